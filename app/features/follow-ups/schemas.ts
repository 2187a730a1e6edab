import { z } from "#app/lib/zod.ts";

/** The participant's answer to a private follow-up: a reply like any other. (The question is asked from the thread page: ThreadActionSchema's "ask".) */
export const AnswerFollowUpSchema = z.object({
  body: z.string({ error: "Write your answer" }).trim().min(1, "Write your answer").max(20_000, "Use at most 20,000 characters"),
});
