/**
 * How alike two pieces of feedback are, by the words that carry meaning: lower-cased, short
 * and common words dropped, plural and -ing/-ed endings trimmed. Used to offer similar ideas
 * while a member writes one (after the search index found the candidates) and to group
 * likely duplicates in the triage inbox. Pure and cheap: a set per text.
 */
const STOP = new Set(
  "the and for with that this from have has had are was were not but you your our ours they them their its it's can could would should will just also very really about into when what which who how why all any some more most much many one two than then there here too only even still been being would like want make made get got let lets please thanks need needs would don't can't cannot".split(" "),
);

function stem(word: string): string {
  if (word.length > 5 && word.endsWith("ing")) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith("ed")) return word.slice(0, -2);
  if (word.length > 4 && word.endsWith("es")) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

export function contentWords(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  return new Set(words.filter((w) => w.length >= 3 && !STOP.has(w)).map(stem));
}

/** Dice's coefficient of two word sets: 1 for the same words, 0 for none in common. */
export function likeness(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  return (2 * shared) / (a.size + b.size);
}

/** Two ideas are likely the same when their titles, or their whole texts, share most of their words. */
export function likelySame(a: { title: Set<string>; all: Set<string> }, b: { title: Set<string>; all: Set<string> }, threshold = 0.6): boolean {
  // A one-word title ("Calendar") says too little to call two ideas the same.
  const titles = Math.min(a.title.size, b.title.size) >= 2 ? likeness(a.title, b.title) : 0;
  return Math.max(titles, likeness(a.all, b.all)) >= threshold;
}

/**
 * For posts in order of writing: which ones repeat an earlier one (its id). A repeat points
 * at the first post of its group, so a chain of near-copies all point at the original.
 */
export function findRepeats<T extends { id: string; title: string; text: string; group?: string }>(posts: T[], threshold = 0.6): Map<string, T> {
  const seen: { post: T; words: { title: Set<string>; all: Set<string> } }[] = [];
  const repeats = new Map<string, T>();
  for (const post of posts) {
    const words = { title: contentWords(post.title), all: contentWords(`${post.title} ${post.text}`) };
    const original = seen.find((s) => s.post.group === post.group && likelySame(s.words, words, threshold));
    if (original) repeats.set(post.id, repeats.get(original.post.id) ?? original.post);
    else seen.push({ post, words });
  }
  return repeats;
}
