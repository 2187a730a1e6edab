import { z } from "#app/lib/zod.ts";
import { displayNameProblem, tidyName } from "./names.ts";

/** Lower-cased and trimmed, so one address is one account however it is typed. */
export function normaliseEmail(email: string): string {
  return email.normalize("NFKC").trim().toLowerCase();
}

export const EmailSchema = z
  .string({ error: "Enter your email address" })
  .trim()
  .min(1, "Enter your email address")
  .max(254, "That email address is too long")
  .email("Enter a valid email address")
  .transform(normaliseEmail);

// At least 8 characters, long passphrases welcome, no composition rules (ASVS 6).
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
export const NewPasswordSchema = z
  .string({ error: "Choose a password" })
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters`);

/** A name others will see: tidied, and refused when it breaks the rules of names.ts. */
export const DisplayNameSchema = z
  .string({ error: "Enter the name others will see" })
  .max(400, "Use at most 60 characters")
  .transform(tidyName)
  .superRefine((name, ctx) => {
    const problem = displayNameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const RedirectToSchema = z.string().max(2000).optional();

export const SignInSchema = z.object({
  email: EmailSchema,
  password: z.string({ error: "Enter your password" }).min(1, "Enter your password").max(PASSWORD_MAX),
  redirectTo: RedirectToSchema,
});

export const SignUpSchema = z.object({
  email: EmailSchema,
  displayName: DisplayNameSchema,
  password: NewPasswordSchema,
  redirectTo: RedirectToSchema,
});

export const ROLES = ["member", "moderator", "product", "admin"] as const;
export const RoleSchema = z.enum(ROLES);

export const ChangePasswordSchema = z.object({
  currentPassword: z.string({ error: "Enter your current password" }).min(1, "Enter your current password").max(PASSWORD_MAX),
  newPassword: NewPasswordSchema,
});

export const ForgotPasswordSchema = z.object({
  email: EmailSchema,
});

/** The same length rules as sign-up. */
export const ResetPasswordSchema = z.object({
  password: NewPasswordSchema,
});
