import { z } from "#app/lib/zod.ts";
import { parseCursor } from "#app/lib/cursor.ts";
import type { CompletionFilters } from "./completion.server.ts";

const FiltersSchema = z.object({
  prompt: z.string().max(64).optional().transform((v) => v || undefined),
  poll: z.string().max(64).optional().transform((v) => v || undefined),
  segment: z.string().max(100).optional().transform((v) => v || undefined),
});

/** The filters as the URL says them: the page, its CSV and its next page share them. */
export function completionFilters(url: URL): CompletionFilters & { query: URLSearchParams } {
  const parsed = FiltersSchema.safeParse(Object.fromEntries(url.searchParams));
  const filters: { prompt?: string; poll?: string; segment?: string } = parsed.success ? parsed.data : {};
  const query = new URLSearchParams();
  if (filters.prompt) query.set("prompt", filters.prompt);
  if (filters.poll) query.set("poll", filters.poll);
  if (filters.segment) query.set("segment", filters.segment);
  return { notAnswered: filters.prompt, notVoted: filters.poll, segment: filters.segment, after: parseCursor(url.searchParams.get("after")), query };
}

