import type { Kysely } from "kysely";

/**
 * Private follow-ups and completion nudges (docs/decisions/021).
 *
 * - follow_ups: a moderator or leader asks one participant a private question about one of
 *   their posts. The answer is an ordinary reply row marked with `replies.follow_up_id`, so
 *   triage, highlights, suggestions, erasure and the account export treat it as feedback like
 *   any other; every public reader of replies leaves marked rows out.
 * - nudges: one row per prompt, member and day (in the community's zone). The primary key is
 *   what makes "at most once a day" true when two nudge runs meet: the second insert does
 *   nothing, and only inserted rows are notified.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("follow_ups")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("community_id", "text", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("thread_id", "text", (c) => c.notNull().references("threads.id").onDelete("cascade"))
    // thread | reply: the post the question is about
    .addColumn("post_kind", "text", (c) => c.notNull())
    .addColumn("post_id", "text", (c) => c.notNull())
    .addColumn("participant_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("asked_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("question_markdown", "text", (c) => c.notNull())
    .addColumn("question_html", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("answered_at", "bigint")
    .addColumn("answer_id", "text")
    .execute();
  await db.schema.createIndex("follow_ups_open").on("follow_ups").columns(["answered_at", "created_at", "id"]).execute();
  await db.schema.createIndex("follow_ups_participant").on("follow_ups").columns(["participant_id", "answered_at"]).execute();
  await db.schema.createIndex("follow_ups_thread").on("follow_ups").columns(["thread_id", "created_at"]).execute();
  // One answer per follow-up, whatever the double clicks.
  await db.schema.createIndex("follow_ups_answer").on("follow_ups").column("answer_id").unique().execute();

  await db.schema.alterTable("replies").addColumn("follow_up_id", "text").execute();
  await db.schema.createIndex("replies_follow_up").on("replies").column("follow_up_id").execute();

  await db.schema
    .createTable("nudges")
    .addColumn("thread_id", "text", (c) => c.notNull().references("threads.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    // "2026-03-04": the calendar day in the community's time zone
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("community_id", "text", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("sent_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("sent_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("nudges_pk", ["thread_id", "user_id", "day"])
    .execute();
  await db.schema.createIndex("nudges_community").on("nudges").columns(["community_id", "sent_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("nudges").execute();
  await db.schema.dropIndex("replies_follow_up").execute();
  await db.schema.alterTable("replies").dropColumn("follow_up_id").execute();
  await db.schema.dropTable("follow_ups").execute();
}
