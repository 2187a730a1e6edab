/**
 * Which posts a reader sees, with no I/O: the one statement of the rules that the thread
 * page, search and profiles share. Whether the reader "sees all" of a community is the
 * policy's `discussion.see-all`; whether they answered a masked prompt is a fact the caller
 * reads (a reply of theirs in it that is not removed).
 */

/** A thread is there for a reader once it appears (a scheduled prompt at its time); before, only for those who see all. */
export function threadVisible(thread: { visible_from: number }, seesAll: boolean, at: number): boolean {
  return thread.visible_from <= at || seesAll;
}

/** A masked prompt shows its replies to those who see all, and to a participant once they have answered it. */
export function maskedRepliesVisible(thread: { masked: 0 | 1 }, seesAll: boolean, answered: boolean): boolean {
  return thread.masked === 0 || seesAll || answered;
}

/**
 * Whether a post belongs in a list outside its thread (search results, a profile's recent
 * posts): never when it or its thread is removed, then by the two rules above.
 */
export function listedPost(
  post: { kind: "thread" | "reply"; removed: string | null; thread: { removed: string | null; visible_from: number; masked: 0 | 1 } },
  reader: { seesAll: boolean; answeredMasked: boolean },
  at: number,
): boolean {
  if (post.removed || post.thread.removed) return false;
  if (!threadVisible(post.thread, reader.seesAll, at)) return false;
  return post.kind === "thread" || maskedRepliesVisible(post.thread, reader.seesAll, reader.answeredMasked);
}
