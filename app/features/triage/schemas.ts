import { z } from "#app/lib/zod.ts";
import type { InboxFilters } from "./triage.server.ts";
import { TAG_COLORS } from "./tags.tsx";
import { postRef } from "#app/features/discussions/schemas.ts";


export const TriageActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("triage"),
    ...postRef,
    quote: z.string().max(4000).optional(),
    tags: z.string().max(1000).optional(),
    suggestion: z.string().trim().max(200).optional(),
    // One of the post's images, kept as evidence with the passage.
    image: z.string().trim().max(64).optional().transform((v) => v || undefined),
  }),
  z.object({ intent: z.literal("dismiss"), ...postRef, reason: z.string({ error: "Say why it is dismissed" }).trim().min(2, "Say why it is dismissed").max(300) }),
  z.object({ intent: z.literal("undo"), auditId: z.string().min(1).max(64) }),
  z.object({ intent: z.literal("merge"), community: z.string().min(1).max(100), from: z.string().min(1).max(64), into: z.string().min(1).max(64) }),
]);

/** The inbox's filters from the query string; anything unknown is ignored. */
export function triageFilters(params: URLSearchParams): InboxFilters {
  const value = (key: string) => params.get(key)?.trim() || undefined;
  const state = value("state");
  return {
    community: value("community"),
    state: state === "triaged" || state === "dismissed" ? state : "untriaged",
    tag: value("tag"),
    segment: value("segment"),
  };
}

export const TagSchema = z.object({
  name: z.string({ error: "Name the tag" }).trim().min(1, "Name the tag").max(40, "Use at most 40 characters"),
  color: z.enum(TAG_COLORS),
  description: z.string().trim().max(300).optional().transform((v) => v ?? ""),
});
