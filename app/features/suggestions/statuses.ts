import type { SuggestionStatus } from "#db/schema.ts";

/** Every status, in the order a suggestion moves through them. */
export const SUGGESTION_STATUSES = ["new", "under-review", "planned", "in-progress", "shipped", "declined"] as const satisfies readonly SuggestionStatus[];

/** A suggestion's status as people read it, wherever it shows (ideas, the board). */
export const STATUS_LABEL: Record<SuggestionStatus, string> = {
  new: "New",
  "under-review": "Under review",
  planned: "Planned",
  "in-progress": "In progress",
  shipped: "Shipped",
  declined: "Declined",
};
