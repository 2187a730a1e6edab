import { z } from "#app/lib/zod.ts";
import { ThreadSchema } from "#app/features/discussions/schemas.ts";

const ideaId = z.string().min(1).max(64);

/** What the ideas page's forms send: a new idea, or a vote (from the list or an idea's page). */
export const IdeasActionSchema = z.discriminatedUnion("intent", [
  // "anyway": the member saw the similar ideas offered and still posts theirs.
  ThreadSchema.pick({ title: true, body: true }).extend({ intent: z.literal("submit"), anyway: z.literal("1").optional() }),
  z.object({ intent: z.enum(["vote", "unvote"]), ideaId, returnTo: z.string().max(2000).optional(), via: z.literal("js").optional() }),
]);
