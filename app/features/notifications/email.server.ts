import type { Kysely } from "kysely";
import type { Database, EmailMode, NotificationKind } from "#db/schema.ts";
import { queueEmails } from "#app/features/email/outbox.server.ts";
import { publicOrigin } from "#app/lib/origin.server.ts";
import { now } from "#app/lib/clock.ts";
import { hashToken, newToken } from "#app/lib/ids.ts";
import { renderMarkdown } from "#app/lib/markdown.server.ts";
import { named, embed, referenceList, type NamedText } from "#app/lib/named-text.ts";
import { namesFor } from "#app/lib/named-text.server.ts";
import { EMAIL_KINDS } from "./kinds.ts";

type Db = Kysely<Database>;

/** Each kind's mode for this member: what they chose, else the default. */
export async function preferencesOf(db: Db, userId: string): Promise<Record<NotificationKind, EmailMode>> {
  const rows = await db.selectFrom("notification_preferences").select(["kind", "mode"]).where("user_id", "=", userId).execute();
  const chosen = new Map(rows.map((r) => [r.kind, r.mode]));
  return Object.fromEntries(Object.entries(EMAIL_KINDS).map(([kind, { defaultMode }]) => [kind, chosen.get(kind as NotificationKind) ?? defaultMode])) as Record<NotificationKind, EmailMode>;
}

export async function setPreferences(db: Db, userId: string, modes: Partial<Record<NotificationKind, EmailMode>>): Promise<void> {
  const rows = (Object.entries(modes) as [NotificationKind, EmailMode][]).map(([kind, mode]) => ({ user_id: userId, kind, mode }));
  if (!rows.length) return;
  // One statement: atomic on its own, and usable inside a caller's transaction.
  await db
    .insertInto("notification_preferences")
    .values(rows)
    .onConflict((c) => c.columns(["user_id", "kind"]).doUpdateSet({ mode: (eb) => eb.ref("excluded.mode") }))
    .execute();
}

/**
 * Queue emails to members, each with the unsubscribe line every Cohort email carries (a
 * hashed one-click token per email): a few statements for any number of messages. The
 * people the messages name are put in by their current names, and recorded with each
 * message so erasing one of them redacts it (app/lib/named-text.ts).
 */
export async function queueMemberEmails(db: Db, emails: { to: { id: string; email: string }; subject: NamedText; text: NamedText }[]): Promise<string[]> {
  if (!emails.length) return [];
  const at = now();
  const render = await namesFor(db, emails.flatMap((e) => [e.subject, e.text]));
  const tokens = emails.map(() => newToken());
  for (let i = 0; i < emails.length; i += 200) {
    await db
      .insertInto("unsubscribe_tokens")
      .values(emails.slice(i, i + 200).map((e, k) => ({ token_hash: hashToken(tokens[i + k]!), user_id: e.to.id, created_at: at })))
      .execute();
  }
  return queueEmails(
    db,
    emails.map((e, k) => {
      const text = `${render(e.text)}\n\n—\nYou get this because of your email settings in Cohort. Change them at ${publicOrigin()}/account, or stop all Cohort email: ${publicOrigin()}/unsubscribe/${tokens[k]}`;
      return { to: e.to.email, subject: render(e.subject), text, html: renderMarkdown(text), names: referenceList([e.subject, e.text]) };
    }),
  );
}

/** Turn every kind of email off for a member: unsubscribing, or erasing the account. */
export function stopAllEmail(db: Db, userId: string): Promise<void> {
  return setPreferences(db, userId, Object.fromEntries(Object.keys(EMAIL_KINDS).map((kind) => [kind, "off"])) as Record<NotificationKind, EmailMode>);
}

/** Stop every kind of email for the member a token belongs to. False for a token we do not know. */
export async function unsubscribe(db: Db, token: string): Promise<boolean> {
  const row = await db.selectFrom("unsubscribe_tokens").select("user_id").where("token_hash", "=", hashToken(token)).executeTakeFirst();
  if (!row) return false;
  await stopAllEmail(db, row.user_id);
  return true;
}

export interface NotificationEmail {
  kind: NotificationKind;
  /** The bell's line; people in it by reference (app/lib/named-text.ts). */
  title: NamedText;
  body?: string | null;
  link?: string | null;
  /** A fuller message than the bell's line. */
  email?: { subject: NamedText; text: NamedText };
}

/**
 * Right after in-app notifications are written: email those whose members want their kind
 * right away (their mode, or the kind's default), each with its own words, and mark them
 * emailed. Returns the queued email ids. A handful of statements however many there are.
 */
export async function emailWanted(db: Db, notifications: { id: string; input: NotificationEmail }[]): Promise<string[]> {
  if (!notifications.length) return [];
  const inputs = new Map(notifications.map((n) => [n.id, n.input]));
  const ids = [...inputs.keys()];
  const recipients = [];
  for (let i = 0; i < ids.length; i += 500) {
    recipients.push(
      ...(await db
        .selectFrom("notifications")
        .innerJoin("users", "users.id", "notifications.user_id")
        .leftJoin("notification_preferences as p", (join) => join.onRef("p.user_id", "=", "notifications.user_id").onRef("p.kind", "=", "notifications.kind"))
        .select(["notifications.id", "notifications.kind", "users.id as user_id", "users.email", "p.mode"])
        .where("notifications.id", "in", ids.slice(i, i + 500))
        .execute()),
    );
  }
  const wanting = recipients.filter((r) => (r.mode ?? EMAIL_KINDS[r.kind].defaultMode) === "immediate");
  if (!wanting.length) return [];
  const message = (input: NotificationEmail) =>
    input.email ?? {
      subject: input.title,
      text: input.body || input.link
        ? named`${embed(input.title)}${input.body ? `\n\n${input.body}` : ""}${input.link ? `\n\nOpen it: ${publicOrigin()}${input.link}` : ""}`
        : input.title,
    };
  const queued = await queueMemberEmails(db, wanting.map((r) => ({ to: { id: r.user_id, email: r.email }, ...message(inputs.get(r.id)!) })));
  const at = now();
  for (let i = 0; i < wanting.length; i += 500) {
    await db.updateTable("notifications").set({ emailed_at: at }).where("id", "in", wanting.slice(i, i + 500).map((r) => r.id)).execute();
  }
  return queued;
}
