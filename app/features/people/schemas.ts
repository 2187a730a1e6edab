import { z } from "#app/lib/zod.ts";
import { DisplayNameSchema, EmailSchema, RoleSchema } from "#app/features/auth/schemas.ts";

/** The people page's search box: name or email, any case. */
export const PeopleSearchSchema = z.string().trim().max(100, "Search for at most 100 characters").catch("");

export const CreatePersonSchema = z.object({
  email: EmailSchema,
  displayName: DisplayNameSchema,
  role: RoleSchema,
});

export const ChangeRoleSchema = z.object({ role: RoleSchema });
