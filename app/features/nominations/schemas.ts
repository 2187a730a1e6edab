import { z } from "#app/lib/zod.ts";
import { EmailSchema } from "#app/features/auth/schemas.ts";

const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .optional()
    .transform((value) => value || undefined);

/** The nomination form: who, what they said (the reason), where, and optionally a community and a lead. */
export const NominateSchema = z.object({
  email: EmailSchema,
  name: z.string({ error: "Enter the customer's name" }).trim().min(1, "Enter the customer's name").max(100, "Use at most 100 characters"),
  quote: z
    .string({ error: "Write down what the customer said" })
    .trim()
    .min(10, "Write down what the customer said, in a sentence or two")
    .max(2000, "Keep it under 2,000 characters"),
  foundWhere: optionalText(300, "Keep it under 300 characters"),
  community: optionalText(100, "Choose a community from the list"),
  askToLead: z.literal("on").optional(),
});
export type NominateInput = z.infer<typeof NominateSchema>;

/** Inviting from a nomination: the community and the role are chosen (or confirmed) in the same step. */
export const InviteFromNominationSchema = z.object({
  nominationId: z.string().min(1).max(64),
  community: z.string({ error: "Choose the community to invite them to" }).trim().min(1, "Choose the community to invite them to").max(100),
  role: z.enum(["participant", "leader"], { error: "Choose the role offered" }),
  note: optionalText(2000, "Keep the note under 2,000 characters"),
});

export const DeclineNominationSchema = z.object({
  nominationId: z.string().min(1).max(64),
  reason: z.string({ error: "Say why, so the nominator knows" }).trim().min(3, "Say why, so the nominator knows").max(1000, "Keep it under 1,000 characters"),
});
