import { z } from "#app/lib/zod.ts";
import { postRef } from "#app/features/discussions/schemas.ts";

/** A moderator's or leader's private question about one post. */
export const AskFollowUpSchema = z.object({
  ...postRef,
  question: z.string({ error: "Write your question" }).trim().min(3, "Write your question (at least 3 characters)").max(5_000, "Use at most 5,000 characters"),
});

/** The participant's answer: a reply like any other. */
export const AnswerFollowUpSchema = z.object({
  body: z.string({ error: "Write your answer" }).trim().min(1, "Write your answer").max(20_000, "Use at most 20,000 characters"),
});
