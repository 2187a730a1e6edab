import { z } from "#app/lib/zod.ts";
import type { SuggestionStatus } from "#db/schema.ts";
import { SUGGESTION_STATUSES } from "./statuses.ts";
import type { BoardFilters } from "./board.server.ts";

/** Suggestions per page of the board's list, and per status in its columns view. */
export const BOARD_PAGE = 50;
export const BOARD_COLUMN = 20;

const title = z.string({ error: "Give it a title" }).trim().min(3, "Use at least 3 characters").max(200, "Use at most 200 characters");
const problem = z.string().trim().max(20_000).optional().transform((v) => v ?? "");

export const NewSuggestionSchema = z.object({ title, problem });

const details = {
  title,
  problem,
  owner: z.string().max(64).optional().transform((v) => v || null),
  notes: z.string().max(20_000).optional().transform((v) => v ?? ""),
  // Checkboxes named "tag" arrive as one value or several.
  tag: z.union([z.string(), z.array(z.string())]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
};
const answer = {
  status: z.enum(SUGGESTION_STATUSES, { error: "Choose a status" }),
  answer: z.string().max(5000).optional().transform((v) => v ?? ""),
  alternative: z.string().max(2000).optional().transform((v) => v ?? ""),
  withoutAlternative: z.literal("on").optional().transform((v) => v === "on"),
};

/** The suggestion page sends everything in one form ("save"); the two halves alone stay accepted. */
export const SuggestionActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("save"), ...details, ...answer }),
  z.object({ intent: z.literal("details"), ...details }),
  z.object({ intent: z.literal("answer"), ...answer }),
]);

/** The board's filters from the query string. */
export function boardFilters(params: URLSearchParams): BoardFilters & { view: "list" | "columns" } {
  const value = (key: string) => params.get(key)?.trim() || undefined;
  const status = value("status");
  return {
    tag: value("tag"),
    community: value("community"),
    owner: value("owner"),
    status: (SUGGESTION_STATUSES as readonly string[]).includes(status ?? "") ? (status as SuggestionStatus) : undefined,
    sort: value("sort") === "recent" ? "recent" : "strength",
    view: value("view") === "columns" ? "columns" : "list",
  };
}
