import type { SuggestionStatus } from "#db/schema.ts";
import { STATUS_LABEL } from "#app/features/suggestions/statuses.ts";

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
