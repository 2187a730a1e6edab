import { createRequire } from "node:module";
import Sentiment from "sentiment";
import { count } from "#app/lib/plural.ts";

/**
 * The passion score that orders the triage inbox: how strongly and concretely a member
 * said something, and how other members answered it. Pure, so it is tested on its own and
 * every part is shown on the item in plain words. Formula, weights and why:
 * docs/decisions/022-passion-score.md.
 *
 *   From what was said (at most 60):
 *     feeling      up to 25  strength of the feeling words (AFINN lexicon of the `sentiment`
 *                            package; each word once; praise counts half a complaint; a word
 *                            after "not", "never", "no"… counts half and flips), plus a little
 *                            for shouting (CAPITALS, "!!")
 *     details      up to 20  numbers, amounts, versions, steps, named products
 *     need         up to 15  first-person need: "I can't", "we have to", "I need"…
 *   From how others answered (at most 40):
 *     votes        3 a vote, up to 15
 *     replies      2 a reply by someone else, up to 10
 *     quotes       3 a quote of it in a reply, up to 9
 *     agreeing     2 a member who says they agree ("me too", "+1"…), up to 8
 *   Small terms:
 *     recency      up to 6, halving every 3 days
 *     author       4 when the author leads discussions, 2 when invited from a named source
 *   Repeats: a near-duplicate of an earlier post counts at half, so the original ranks first.
 *
 * Each text part saturates (1 − e^(−x/k)), so a long post cannot pile up points by length.
 */
export interface PassionInputs {
  /** The post as plain text (app/lib/markdown: markdownToText), title first for a thread. */
  text: string;
  votes: number;
  repliesByOthers: number;
  quotes: number;
  agreeing: number;
  authorLeads: boolean;
  authorEvangelist: boolean;
  ageMs: number;
  /** The title of the earlier post this one repeats, if it does. */
  repeats: string | null;
}

export type PassionKey = "feeling" | "details" | "need" | "votes" | "replies" | "quotes" | "agreeing" | "recency" | "author" | "repeats";

export interface PassionPart {
  key: PassionKey;
  /** What a moderator reads: why this part counted. */
  label: string;
  points: number;
}

const HALF_LIFE_MS = 3 * 24 * 60 * 60 * 1000;
const round = (n: number) => Math.round(n * 10) / 10;
/** Grows fast for the first few signals, then flattens towards `max`. */
const saturate = (max: number, x: number, k: number) => max * (1 - Math.exp(-x / k));

// The package's own AFINN lexicon, read as the package reads it (a JSON file, not an ES module).
const lexicon = createRequire(import.meta.url)("sentiment/languages/en/labels.json") as Record<string, number>;
const analyzer = new Sentiment();
const NEGATORS = new Set(["not", "no", "never", "nothing", "nobody", "hardly", "without", "cant", "can't", "dont", "don't", "doesnt", "doesn't", "isnt", "isn't", "wont", "won't", "wasnt", "wasn't", "didnt", "didn't", "aren't", "arent"]);

export interface Feeling {
  /** Sum of the feeling words' strengths after negation (each 1 to 5 in AFINN). */
  strength: number;
  /** The strongest words, as written, for the label. */
  words: string[];
  negative: boolean;
  shouting: number;
}

/** How strongly the text feels, either way: the lexicon's words, with negation within three words. */
export function feelingOf(text: string): Feeling {
  const tokens = analyzer.analyze(text).tokens;
  let strength = 0;
  let balance = 0;
  const found = new Map<string, number>();
  tokens.forEach((token, i) => {
    const value = lexicon[token];
    if (value === undefined) return;
    const negated = tokens.slice(Math.max(0, i - 3), i).some((t) => NEGATORS.has(t));
    const signed = negated ? -value / 2 : value;
    const word = negated ? `not ${token}` : token;
    // Each word counts once (saying "awful" five times is one feeling); praise counts half a complaint.
    if (found.has(word)) return;
    const weight = signed < 0 ? Math.abs(signed) : Math.abs(signed) / 2;
    found.set(word, weight);
    strength += weight;
    balance += signed;
  });
  const capitals = (text.match(/\b[A-Z]{3,}\b/g) ?? []).filter((w) => !/^[A-Z]{2,5}$/.test(w) || w.length > 3).length;
  const bangs = (text.match(/!/g) ?? []).length;
  const shouting = Math.min(3, capitals * 0.5 + Math.max(0, bangs - 1) * 0.5);
  const words = [...found.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([word]) => word);
  return { strength, words, negative: balance < 0, shouting };
}

export interface Details {
  numbers: number;
  steps: number;
  names: string[];
}

const STEP_WORDS = /\b(first|then|after that|next|finally|step \d+|clicked|click|open(?:ed)?|press(?:ed)?|select(?:ed)?|chose|typed)\b/gi;
const COMMON_CAPITALISED = new Set(["I", "I'm", "I've", "I'd", "The", "This", "That", "We", "It", "It's", "And", "But", "So", "If", "When", "Then", "My", "Our", "You", "Your", "Please", "Also", "After", "Before", "Every", "Each", "Today", "Yesterday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Why", "What", "How", "Is", "Are", "Can", "Not", "No", "Yes", "Just", "There", "They", "A", "An", "In", "On", "At", "For", "With", "Of", "To", "As", "Or", "All", "Some", "Now", "Still", "Even", "Maybe", "Thanks", "Hi", "Hello", "Same", "Me", "Us", "He", "She", "Who", "Where", "Would", "Could", "Should", "Will", "Do", "Does", "Did", "Has", "Have", "Had", "Was", "Were", "Be", "Been", "Let", "Like", "Love", "Hate", "Sometimes", "Always", "Never", "Only", "Most", "Many", "First", "Next", "Finally", "Once", "One", "Two", "Three", "Ok", "OK"]);

/** Concrete details: numbers and amounts, steps taken, products and things named. */
export function detailsOf(text: string): Details {
  const numbers = (text.match(/(?:[$€£]\s?)?\b\d[\d.,:]*\s?(?:%|ms|s|seconds?|minutes?|hours?|days?|weeks?|gb|mb|kb|k|x)?/gi) ?? []).length;
  const listed = (text.match(/^\s*(?:\d+[.)]|•)\s+/gm) ?? []).length;
  const steps = listed + (text.match(STEP_WORDS) ?? []).length;
  const names = new Set<string>();
  // A capitalised word inside a sentence (not its first word), or a word with a digit or a dot in it (v2.3, Node.js).
  for (const sentence of text.split(/(?<=[.!?:\n])\s+/)) {
    const words = sentence.split(/\s+/).slice(1);
    for (const raw of words) {
      const word = raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
      if (word.length < 2 || COMMON_CAPITALISED.has(word)) continue;
      if (/^\p{Lu}[\p{L}\p{N}.-]*$/u.test(word) && !/^\p{Lu}+$/u.test(word)) names.add(word);
    }
  }
  for (const match of text.match(/\b[A-Za-z]+[.-]?[A-Za-z]*\d[\w.]*\b|\b\w+\.(?:js|io|com|app)\b/g) ?? []) names.add(match);
  return { numbers, steps, names: [...names] };
}

const NEED = /\b(?:i|we)\s+(?:can(?:'|’)?t|cannot|could(?:n't|n’t| not)|have to|had to|need(?:ed)? to|need|must|am unable to|are unable to|keep having to|still have to|lose|lost|waste|wasted)\b|\b(?:blocks?|blocked|stops?|stopped)\s+(?:me|us)\b|\bunable to\b/gi;

/** The member's own need, said in the first person. */
export function needsOf(text: string): string[] {
  return [...new Set((text.match(NEED) ?? []).map((m) => m.toLowerCase().replace(/\s+/g, " ")))];
}

export function passionScore(input: PassionInputs): { score: number; parts: PassionPart[] } {
  const feeling = feelingOf(input.text);
  const details = detailsOf(input.text);
  const needs = needsOf(input.text);
  const detailCount = details.numbers + details.steps + details.names.length;
  const detailWords = [
    details.numbers ? count(details.numbers, "number") : null,
    details.steps ? count(details.steps, "step") : null,
    details.names.length ? `names ${details.names.slice(0, 3).join(", ")}` : null,
  ].filter(Boolean);
  const feelingLabel = feeling.strength
    ? `${feeling.negative ? "frustrated" : "enthusiastic"}: “${feeling.words.join("”, “")}”${feeling.shouting ? ", shouting" : ""}`
    : feeling.shouting
      ? "shouting, few feeling words"
      : "no feeling words";
  const parts: PassionPart[] = [
    { key: "feeling", label: feelingLabel, points: round(saturate(25, feeling.strength + feeling.shouting, 8)) },
    { key: "details", label: detailWords.length ? `concrete: ${detailWords.join("; ")}` : "no concrete details", points: round(saturate(20, detailCount, 4)) },
    { key: "need", label: needs.length ? `says what they need: “${needs.slice(0, 2).join("”, “")}”` : "no need in their own words", points: Math.min(15, 6 * needs.length) },
    { key: "votes", label: count(input.votes, "vote"), points: Math.min(15, 3 * input.votes) },
    { key: "replies", label: `${count(input.repliesByOthers, "reply", "replies")} by others`, points: Math.min(10, 2 * input.repliesByOthers) },
    { key: "quotes", label: `quoted ${count(input.quotes, "time")}`, points: Math.min(9, 3 * input.quotes) },
    { key: "agreeing", label: `${count(input.agreeing, "member")} agreeing`, points: Math.min(8, 2 * input.agreeing) },
    { key: "recency", label: "recent", points: round(6 * 0.5 ** (Math.max(0, input.ageMs) / HALF_LIFE_MS)) },
    {
      key: "author",
      label: input.authorLeads ? "author leads discussions" : input.authorEvangelist ? "author is an evangelist" : "author",
      points: input.authorLeads ? 4 : input.authorEvangelist ? 2 : 0,
    },
  ];
  const sum = parts.reduce((total, part) => total + part.points, 0);
  if (input.repeats !== null) {
    parts.push({ key: "repeats", label: `repeats “${input.repeats}”: counted at half`, points: -round(sum / 2) });
  }
  return { score: round(parts.reduce((total, part) => total + part.points, 0)), parts };
}
