import { sql, type Kysely } from "kysely";

/**
 * Research prompts (kind, masked, scheduled appearance), pins, locks, edits, soft removal,
 * read state per member and thread, and flags for moderators.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ["threads", "replies"]) {
    await db.schema.alterTable(table).addColumn("edited_at", "bigint").execute();
    // Soft removal: "author" (removed by its author) or "moderator" (hidden by a moderator).
    await db.schema.alterTable(table).addColumn("removed", "text").execute();
    await db.schema.alterTable(table).addColumn("removed_at", "bigint").execute();
  }
  await db.schema.alterTable("threads").addColumn("kind", "text", (c) => c.notNull().defaultTo("discussion")).execute();
  await db.schema.alterTable("threads").addColumn("masked", "integer", (c) => c.notNull().defaultTo(0)).execute();
  // When participants first see the thread: its creation, or a prompt's scheduled time.
  await db.schema.alterTable("threads").addColumn("visible_from", "bigint", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("threads").addColumn("pinned_at", "bigint").execute();
  await db.schema.alterTable("threads").addColumn("locked_at", "bigint").execute();
  await db.updateTable("threads").set({ visible_from: sql`created_at` }).execute();
  await db.schema.createIndex("threads_community_pinned").on("threads").columns(["community_id", "pinned_at"]).execute();
  // "Has this member answered this prompt yet?" without reading the whole thread.
  await db.schema.createIndex("replies_author_thread").on("replies").columns(["author_id", "thread_id"]).execute();

  await db.schema
    .createTable("thread_reads")
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("thread_id", "text", (c) => c.notNull().references("threads.id").onDelete("cascade"))
    // The key (created_at, id) of the last reply this member has been shown.
    .addColumn("last_read_at", "bigint", (c) => c.notNull())
    .addColumn("last_read_id", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("thread_reads_pk", ["user_id", "thread_id"])
    .execute();

  await db.schema
    .createTable("flags")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("community_id", "text", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("thread_id", "text", (c) => c.notNull().references("threads.id").onDelete("cascade"))
    .addColumn("post_kind", "text", (c) => c.notNull())
    .addColumn("post_id", "text", (c) => c.notNull())
    .addColumn("post_author_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("reporter_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("resolved_at", "bigint")
    // "hidden" or "kept".
    .addColumn("resolution", "text")
    .addColumn("resolved_by", "text", (c) => c.references("users.id"))
    .addUniqueConstraint("flags_one_per_reporter", ["reporter_id", "post_kind", "post_id"])
    .execute();
  await db.schema.createIndex("flags_open").on("flags").columns(["resolved_at", "community_id", "created_at"]).execute();
  await db.schema.createIndex("flags_post").on("flags").columns(["post_kind", "post_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("flags").execute();
  await db.schema.dropTable("thread_reads").execute();
  await db.schema.dropIndex("replies_author_thread").execute();
  await db.schema.dropIndex("threads_community_pinned").execute();
  for (const column of ["kind", "masked", "visible_from", "pinned_at", "locked_at"]) {
    await db.schema.alterTable("threads").dropColumn(column).execute();
  }
  for (const table of ["threads", "replies"]) {
    for (const column of ["edited_at", "removed", "removed_at"]) await db.schema.alterTable(table).dropColumn(column).execute();
  }
}
