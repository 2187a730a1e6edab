import { z } from "#app/lib/zod.ts";
import { FLAG_REASON_VALUES } from "./flag-reasons.ts";

const title = z.string({ error: "Give your thread a title" }).trim().min(3, "Use at least 3 characters").max(200, "Use at most 200 characters");
const body = z.string({ error: "Write something" }).trim().min(1, "Write something").max(20_000, "Use at most 20,000 characters");
const checkbox = z.literal("on").optional().transform((value) => value === "on");

export const ThreadSchema = z.object({
  title,
  body,
  // Research prompts: only moderators and leaders may ask for one; the policy decides.
  prompt: checkbox,
  masked: checkbox,
  appearsAt: z
    .string()
    .trim()
    .optional()
    .transform((value) => value || null),
});

export const ReplySchema = z.object({
  body: z.string({ error: "Write your reply" }).trim().min(1, "Write your reply").max(20_000, "Use at most 20,000 characters"),
});

/** A post named in a form: its kind and id. */
export const postRef = { kind: z.enum(["thread", "reply"]), id: z.string().min(1).max(64) };

/** Everything a thread page's forms can ask for, one shape per intent. */
export const ThreadActionSchema = z.discriminatedUnion("intent", [
  ReplySchema.extend({ intent: z.literal("reply") }),
  z.object({ intent: z.literal("edit"), ...postRef, body, title: title.optional() }),
  z.object({ intent: z.literal("remove"), ...postRef }),
  z.object({
    intent: z.literal("flag"),
    ...postRef,
    reason: z.enum(FLAG_REASON_VALUES, { error: "Choose a reason" }),
    note: z.string().trim().max(500, "Use at most 500 characters").optional(),
  }),
  z.object({ intent: z.enum(["hide", "restore", "keep"]), ...postRef }),
  z.object({ intent: z.enum(["pin", "unpin", "lock", "unlock"]) }),
  // A private follow-up to the post's author (app/features/follow-ups).
  z.object({
    intent: z.literal("ask"),
    ...postRef,
    question: z.string({ error: "Write your question" }).trim().min(3, "Write your question (at least 3 characters)").max(5_000, "Use at most 5,000 characters"),
  }),
  // An idea's page: merge it into another.
  z.object({ intent: z.literal("merge"), into: z.string({ error: "Choose the idea to merge into" }).min(1, "Choose the idea to merge into").max(64) }),
]);

export type ThreadAction = z.infer<typeof ThreadActionSchema>;

/** "reply:abc" in a link (?edit=, ?quote=, ?flag=) names one post. */
export function parsePostParam(value: string | null): { kind: "thread" | "reply"; id: string } | undefined {
  const match = value ? /^(thread|reply):([\w-]{1,64})$/.exec(value) : null;
  return match ? { kind: match[1] as "thread" | "reply", id: match[2]! } : undefined;
}
