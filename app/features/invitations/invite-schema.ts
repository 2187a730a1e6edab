import { z } from "#app/lib/zod.ts";

export const InviteFormSchema = z.object({
  emails: z.string({ error: "Paste at least one email address" }).trim().min(3, "Paste at least one email address").max(40_000),
  role: z.enum(["participant", "leader"]).default("participant"),
  note: z.string().trim().max(2000, "Keep the note under 2,000 characters").optional(),
  source: z.string().trim().max(200).optional(),
  attributes: z.string().trim().max(1000).optional(),
});
