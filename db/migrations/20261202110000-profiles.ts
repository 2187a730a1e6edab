import type { Kysely } from "kysely";

/**
 * Profiles: a short bio on each account (plain text, empty until written), and the indexes a
 * profile's "recent posts" reads by: a person's thread openers and replies, newest first.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").addColumn("bio", "text", (c) => c.notNull().defaultTo("")).execute();
  await db.schema.createIndex("threads_author_created").on("threads").columns(["author_id", "created_at", "id"]).execute();
  await db.schema.createIndex("replies_author_created").on("replies").columns(["author_id", "created_at", "id"]).execute();
}
