/**
 * Completion rules with no I/O: what one cell of the participants × prompts table says, and
 * which calendar day a nudge counts against.
 */

/** A participant's state on one research prompt. */
export type CellState = "answered" | "follow-up" | "not-yet";

export const CELL_LABEL: Record<CellState, string> = {
  answered: "Answered",
  "follow-up": "Follow-up open",
  "not-yet": "Not yet",
};

/** A private follow-up still waiting says more than "answered": the moderator is waiting on it. */
export function cellState(answered: boolean, followUpOpen: boolean): CellState {
  if (followUpOpen) return "follow-up";
  return answered ? "answered" : "not-yet";
}

/** "2026-03-04": the calendar day of a moment in the community's zone; nudges count once per such day. */
export function dayInZone(at: number, zone: string): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(at));
}

/** The pattern that finds a segment in a membership's attributes (JSON written by JSON.stringify), LIKE wildcards escaped. */
export function segmentPattern(segment: string): string {
  const json = `"segment":${JSON.stringify(segment)}`;
  return `%${json.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Columns after the prompts, per participant, in the page and the CSV alike: the prompts
 * answered and the polls voted in. Another measure of completion is one more entry here and
 * one more value in each row's summary (completionTable).
 */
export const SUMMARY_COLUMNS = [
  { key: "answered", label: "Prompts answered" },
  { key: "polls", label: "Polls voted" },
] as const;
export type SummaryKey = (typeof SUMMARY_COLUMNS)[number]["key"];
