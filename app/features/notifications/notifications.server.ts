import { sql, type Kysely } from "kysely";
import type { Database, NotificationKind } from "#db/schema.ts";
import { now } from "#app/lib/clock.ts";
import { newId } from "#app/lib/ids.ts";
import { namesFor } from "#app/lib/named-text.server.ts";
import { emailWanted, type NotificationEmail } from "./email.server.ts";

export interface NotificationInput extends NotificationEmail {
  /** When it reaches the person: now, or later (a scheduled prompt's appearance). */
  at?: number;
}

// Notifications dated in the future (a scheduled prompt) stay out of sight until then.

/**
 * Notify people in the app, each with their own words, and email now those who want that
 * kind right away: one insert per 500 and one email batch, however many people. Returns the
 * queued emails' ids. Notifications dated ahead (a scheduled prompt) wait for the digest.
 */
export async function notifyEach(db: Kysely<Database>, notifications: { userId: string; input: NotificationInput }[]): Promise<string[]> {
  const at = now();
  const rows = notifications.map(({ userId, input }) => ({
    id: newId(),
    user_id: userId,
    kind: input.kind,
    title: input.title,
    body: input.body ?? null,
    link: input.link ?? null,
    created_at: input.at ?? at,
    read_at: null,
  }));
  for (let i = 0; i < rows.length; i += 500) await db.insertInto("notifications").values(rows.slice(i, i + 500)).execute();
  return emailWanted(
    db,
    rows.flatMap((row, k) => (row.created_at > at ? [] : [{ id: row.id, input: notifications[k]!.input }])),
  );
}

/** Notify one person; the queued email's id, if any. */
export async function notify(db: Kysely<Database>, userId: string, input: NotificationInput): Promise<string | null> {
  const [emailId] = await notifyEach(db, [{ userId, input }]);
  return emailId ?? null;
}

/** Notify every member of a community (but the one who caused it) in one statement, then email those who want this kind right away. */
export async function notifyMembers(db: Kysely<Database>, communityId: string, input: NotificationInput, exceptUserId?: string): Promise<void> {
  const at = input.at ?? now();
  const batch = `${newId()}-`;
  const written = await db
    .insertInto("notifications")
    .columns(["id", "user_id", "kind", "title", "body", "link", "created_at"])
    .expression((eb) =>
      eb
        .selectFrom("memberships")
        .select((s) => [
          // A per-row id: a random prefix shared by this batch, then the member's id.
          sql<string>`${batch} || memberships.user_id`.as("id"),
          "memberships.user_id",
          s.val(input.kind).as("kind"),
          s.val(input.title).as("title"),
          s.val(input.body ?? null).as("body"),
          s.val(input.link ?? null).as("link"),
          s.val(at).as("created_at"),
        ])
        .where("memberships.community_id", "=", communityId)
        .$if(exceptUserId !== undefined, (q) => q.where("memberships.user_id", "!=", exceptUserId!)),
    )
    .returning("id")
    .execute();
  if (at > now()) return; // dated ahead: the digest takes it when it is due
  await emailWanted(
    db,
    written.map((n) => ({ id: n.id, input })),
  );
}

export async function unreadCount(db: Kysely<Database>, userId: string): Promise<number> {
  const row = await db
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .where("created_at", "<=", now())
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** This person's latest notifications, each title with the people it names by their current names. */
export async function listNotifications(db: Kysely<Database>, userId: string, limit = 50) {
  const rows = await db.selectFrom("notifications").selectAll().where("user_id", "=", userId).where("created_at", "<=", now()).orderBy("created_at", "desc").orderBy("id", "desc").limit(limit).execute();
  const render = await namesFor(db, rows.map((row) => row.title));
  return rows.map((row) => ({ ...row, title: render(row.title) }));
}

export async function markAllRead(db: Kysely<Database>, userId: string): Promise<void> {
  await db.updateTable("notifications").set({ read_at: now() }).where("user_id", "=", userId).where("read_at", "is", null).where("created_at", "<=", now()).execute();
}

/**
 * Open one of this person's notifications: it is marked read (once; reading again changes
 * nothing) and its link comes back, only ever as a path on this site. Another person's
 * notification, or one not yet due, is not found.
 */
export async function openNotification(db: Kysely<Database>, userId: string, notificationId: string): Promise<{ link: string | null } | undefined> {
  const at = now();
  const row = await db.selectFrom("notifications").select(["link", "read_at"]).where("id", "=", notificationId).where("user_id", "=", userId).where("created_at", "<=", at).executeTakeFirst();
  if (!row) return undefined;
  if (row.read_at === null) await db.updateTable("notifications").set({ read_at: at }).where("id", "=", notificationId).where("user_id", "=", userId).where("read_at", "is", null).execute();
  return { link: row.link };
}
