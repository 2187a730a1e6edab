/** Matches are marked with these two characters in titles and snippets; the search page turns them into <mark>. */
export const MARK_START = "\u0002";
export const MARK_END = "\u0003";
