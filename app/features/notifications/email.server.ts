import type { Kysely } from "kysely";
import type { Database, EmailMode, NotificationKind } from "#db/schema.ts";
import { queueEmail } from "#app/features/email/outbox.server.ts";
import { now } from "#app/lib/clock.ts";
import { hashToken, newToken } from "#app/lib/ids.ts";
import { renderMarkdown } from "#app/lib/markdown.server.ts";
import { EMAIL_KINDS } from "./kinds.ts";

type Db = Kysely<Database>;

/** The public address links in emails point to. */
export function publicOrigin(): string {
  return process.env.APP_ORIGIN ?? `http://localhost:${process.env.PORT ?? 3000}`;
}

/** Each kind's mode for this member: what they chose, else the default. */
export async function preferencesOf(db: Db, userId: string): Promise<Record<NotificationKind, EmailMode>> {
  const rows = await db.selectFrom("notification_preferences").select(["kind", "mode"]).where("user_id", "=", userId).execute();
  const chosen = new Map(rows.map((r) => [r.kind, r.mode]));
  return Object.fromEntries(Object.entries(EMAIL_KINDS).map(([kind, { defaultMode }]) => [kind, chosen.get(kind as NotificationKind) ?? defaultMode])) as Record<NotificationKind, EmailMode>;
}

export async function setPreferences(db: Db, userId: string, modes: Partial<Record<NotificationKind, EmailMode>>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const [kind, mode] of Object.entries(modes) as [NotificationKind, EmailMode][]) {
      await trx
        .insertInto("notification_preferences")
        .values({ user_id: userId, kind, mode })
        .onConflict((c) => c.columns(["user_id", "kind"]).doUpdateSet({ mode }))
        .execute();
    }
  });
}

/** A one-click unsubscribe link for this member (the token is stored hashed). */
async function unsubscribeLink(db: Db, userId: string): Promise<string> {
  const token = newToken();
  await db.insertInto("unsubscribe_tokens").values({ token_hash: hashToken(token), user_id: userId, created_at: now() }).execute();
  return `${publicOrigin()}/unsubscribe/${token}`;
}

/** Queue an email to a member with the unsubscribe line every Cohort email carries. */
export async function queueMemberEmail(db: Db, to: { id: string; email: string }, message: { subject: string; text: string }): Promise<string | null> {
  if (to.email.endsWith("@erased.invalid")) return null;
  const unsubscribe = await unsubscribeLink(db, to.id);
  const text = `${message.text}\n\n—\nYou get this because of your email settings in Cohort. Change them at ${publicOrigin()}/account, or stop all Cohort email: ${unsubscribe}`;
  return queueEmail(db, { to: to.email, subject: message.subject, text, html: renderMarkdown(text) });
}

/** Stop every kind of email for the member a token belongs to. False for a token we do not know. */
export async function unsubscribe(db: Db, token: string): Promise<boolean> {
  const row = await db.selectFrom("unsubscribe_tokens").select("user_id").where("token_hash", "=", hashToken(token)).executeTakeFirst();
  if (!row) return false;
  await setPreferences(db, row.user_id, Object.fromEntries(Object.keys(EMAIL_KINDS).map((kind) => [kind, "off"])) as Record<NotificationKind, EmailMode>);
  return true;
}

/**
 * Right after an in-app notification is written: email it now if the member wants this kind
 * immediately. The caller may supply a richer message; the default says what the bell says.
 */
export async function emailIfWanted(
  db: Db,
  notificationId: string,
  userId: string,
  input: { kind: NotificationKind; title: string; body?: string | null; link?: string | null; email?: { subject: string; text: string } },
  /** Already known (a bulk notification looked them up): skips two queries. */
  known?: { id: string; email: string; mode: EmailMode },
): Promise<string | null> {
  const user = known ?? (await db.selectFrom("users").select(["id", "email"]).where("id", "=", userId).executeTakeFirst());
  const mode = known?.mode ?? (user ? (await preferencesOf(db, userId))[input.kind] : "off");
  if (!user || mode !== "immediate") return null;
  const message = input.email ?? {
    subject: input.title,
    text: [input.title, input.body ?? null, input.link ? `Open it: ${publicOrigin()}${input.link}` : null].filter(Boolean).join("\n\n"),
  };
  const id = await queueMemberEmail(db, user, message);
  await db.updateTable("notifications").set({ emailed_at: now() }).where("id", "=", notificationId).execute();
  return id;
}
