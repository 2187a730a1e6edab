import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { now } from "#app/lib/clock.ts";
import { newId } from "#app/lib/ids.ts";

export type SecurityEventKind =
  | "sign-in.success"
  | "sign-in.failure"
  | "sign-in.throttled"
  | "sign-in.suspended"
  | "sign-up"
  | "sign-out"
  | "password.changed"
  | "access.denied"
  | "role.changed"
  | "user.created"
  | "account.erased"
  | "password-reset.requested"
  | "password-reset.throttled"
  | "password-reset.sent"
  | "password-reset.refused"
  | "password.reset"
  | "user.suspended"
  | "user.reactivated";

/** Who did what and when, for security review. Never pass a password or a token here. */
export async function recordSecurityEvent(
  db: Kysely<Database>,
  event: {
    kind: SecurityEventKind;
    userId?: string | null;
    subject?: string | null;
    clientAddress?: string | null;
    detail?: string | null;
  },
): Promise<void> {
  await db
    .insertInto("security_events")
    .values({
      id: newId(),
      at: now(),
      kind: event.kind,
      user_id: event.userId ?? null,
      subject: event.subject ?? null,
      client_address: event.clientAddress ?? null,
      detail: event.detail ?? null,
    })
    .execute();
}
