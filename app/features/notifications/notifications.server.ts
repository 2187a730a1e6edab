import { sql, type Kysely } from "kysely";
import type { Database, NotificationKind } from "#db/schema.ts";
import { now } from "#app/lib/clock.ts";
import { newId } from "#app/lib/ids.ts";
import { emailIfWanted } from "./email.server.ts";
import { EMAIL_KINDS } from "./kinds.ts";

export interface NotificationInput {
  kind: NotificationKind;
  title: string;
  body?: string | null;
  link?: string | null;
  /** When it reaches the person: now, or later (a scheduled prompt's appearance). */
  at?: number;
  /** A fuller email than the bell's line, when the member wants this kind by email right away. */
  email?: { subject: string; text: string };
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
  return at <= now() ? emailIfWanted(db, id, userId, input) : null;
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
  const recipients = await db
    .selectFrom("notifications")
    .innerJoin("users", "users.id", "notifications.user_id")
    .leftJoin("notification_preferences as p", (join) => join.onRef("p.user_id", "=", "notifications.user_id").on("p.kind", "=", input.kind))
    .select(["notifications.id", "users.id as user_id", "users.email", "p.mode"])
    .where("notifications.id", "like", `${batch}%`)
    .execute();
  const wanting = recipients.filter((r) => (r.mode ?? EMAIL_KINDS[input.kind].defaultMode) === "immediate");
  for (const r of wanting) {
    await emailIfWanted(db, r.id, r.user_id, input, { id: r.user_id, email: r.email, mode: "immediate" });
  }
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
