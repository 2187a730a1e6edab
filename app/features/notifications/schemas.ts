import type { EmailMode, NotificationKind } from "#db/schema.ts";
import { z } from "#app/lib/zod.ts";
import { EMAIL_KINDS, EMAIL_MODE_LABEL } from "./kinds.ts";

const EmailModeField = z
  .enum(Object.keys(EMAIL_MODE_LABEL) as [EmailMode, ...EmailMode[]])
  .optional()
  .catch(undefined);

/** The email settings form: one mode per kind of notification; a kind left out, or sent with no known mode, keeps its setting. */
export const EmailPreferencesSchema = z
  .object(Object.fromEntries((Object.keys(EMAIL_KINDS) as NotificationKind[]).map((kind) => [kind, EmailModeField])) as Record<NotificationKind, typeof EmailModeField>)
  .transform((modes) => Object.fromEntries(Object.entries(modes).filter(([, mode]) => mode !== undefined)) as Partial<Record<NotificationKind, EmailMode>>);
