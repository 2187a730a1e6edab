import { z } from "#app/lib/zod.ts";

export const INVITATION_CONTACT_MAX = 500;

export const SettingsSchema = z.object({
  invitationContact: z
    .string()
    .max(INVITATION_CONTACT_MAX, `Use at most ${INVITATION_CONTACT_MAX} characters.`)
    .optional()
    .transform((text) => text ?? ""),
});
