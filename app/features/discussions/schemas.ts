import { z } from "zod";

export const ThreadSchema = z.object({
  title: z.string({ error: "Give your thread a title" }).trim().min(3, "Use at least 3 characters").max(200, "Use at most 200 characters"),
  body: z.string({ error: "Write something" }).trim().min(1, "Write something").max(20_000, "Use at most 20,000 characters"),
});

export const ReplySchema = z.object({
  body: z.string({ error: "Write your reply" }).trim().min(1, "Write your reply").max(20_000, "Use at most 20,000 characters"),
});
