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

export const STATUS_STYLE: Record<SuggestionStatus, string> = {
  new: "bg-slate-100 text-slate-700",
  "under-review": "bg-amber-100 text-amber-800",
  planned: "bg-sky-100 text-sky-800",
  "in-progress": "bg-indigo-100 text-indigo-800",
  shipped: "bg-green-100 text-green-800",
  declined: "bg-red-100 text-red-800",
};

export function StatusBadge({ status }: { status: SuggestionStatus }) {
  return <span className={`rounded-full px-2 py-0.5 text-xs font-semibold ${STATUS_STYLE[status]}`}>{STATUS_LABEL[status]}</span>;
}
