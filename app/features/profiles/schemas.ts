import { DisplayNameSchema } from "#app/features/auth/schemas.ts";
import { z } from "#app/lib/zod.ts";
import { BIO_MAX, tidyBio } from "./bio.ts";

/** The account page's profile form: the name others see and a short plain-text bio. */
export const ProfileSchema = z.object({
  displayName: DisplayNameSchema,
  bio: z
    .string()
    .max(BIO_MAX * 2, `Keep your bio to ${BIO_MAX} characters`)
    .optional()
    .transform((bio) => tidyBio(bio ?? ""))
    .refine((bio) => Array.from(bio).length <= BIO_MAX, `Keep your bio to ${BIO_MAX} characters`),
});
