import { sql, type Kysely } from "kysely";
import type { Database, NotificationKind } from "#db/schema.ts";
import { now } from "#app/lib/clock.ts";
import { newId } from "#app/lib/ids.ts";
import { emailWanted, type NotificationEmail } from "./email.server.ts";

export interface NotificationInput extends NotificationEmail {
  /** When it reaches the person: now, or later (a scheduled prompt's appearance). */
  at?: number;
}

// Notifications dated in the future (a scheduled prompt) stay out of sight until then.

/** Notify one person in the app, and by email now if that is how they want this kind. Returns the queued email's id, if any. */
export async function notify(db: Kysely<Database>, userId: string, input: NotificationInput): Promise<string | null> {
  const id = newId();
  const at = input.at ?? now();
  await db
    .insertInto("notifications")
    .values({ id, user_id: userId, kind: input.kind, title: input.title, body: input.body ?? null, link: input.link ?? null, created_at: at, read_at: null })
    .execute();
  // Dated ahead (a scheduled prompt): the digest picks it up once it is due.
  if (at > now()) return null;
  const [emailId] = await emailWanted(db, [id], input);
  return emailId ?? null;
}

/** Notify every member of a community (but the one who caused it) in one statement, then email those who want this kind right away. */
export async function notifyMembers(db: Kysely<Database>, communityId: string, input: NotificationInput, exceptUserId?: string): Promise<void> {
  const at = input.at ?? now();
  const batch = `${newId()}-`;
  await db
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
    .execute();
  if (at > now()) return; // dated ahead: the digest takes it when it is due
  const written = await db.selectFrom("notifications").select("id").where("id", "like", `${batch}%`).execute();
  await emailWanted(
    db,
    written.map((n) => n.id),
    input,
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

export async function listNotifications(db: Kysely<Database>, userId: string, limit = 50) {
  return db.selectFrom("notifications").selectAll().where("user_id", "=", userId).where("created_at", "<=", now()).orderBy("created_at", "desc").orderBy("id", "desc").limit(limit).execute();
}

export async function markAllRead(db: Kysely<Database>, userId: string): Promise<void> {
  await db.updateTable("notifications").set({ read_at: now() }).where("user_id", "=", userId).where("read_at", "is", null).where("created_at", "<=", now()).execute();
}
