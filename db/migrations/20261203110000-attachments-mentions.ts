import type { Kysely } from "kysely";

/**
 * Image attachments and @mentions (issue 16, docs/decisions/019).
 *
 * - attachments: one row per processed image. The files (a full size and a thumbnail) live in
 *   the storage module (local directory or an S3-compatible bucket) under the row's id.
 *   post_id is null while an upload waits for its post (uploaded with JavaScript before the
 *   form is sent); only its uploader can see it then.
 * - mentions: who a post mentioned, so an edit notifies only the newly mentioned.
 * - highlights.attachment_id: an image of the post kept as evidence, beside (or instead of)
 *   a passage.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("attachments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("community_id", "text", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("owner_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("post_kind", "text")
    .addColumn("post_id", "text")
    .addColumn("thread_id", "text")
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("alt", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("width", "integer", (c) => c.notNull())
    .addColumn("height", "integer", (c) => c.notNull())
    .addColumn("thumb_width", "integer", (c) => c.notNull())
    .addColumn("thumb_height", "integer", (c) => c.notNull())
    .addColumn("bytes", "integer", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("attached_at", "bigint")
    .execute();
  await db.schema.createIndex("attachments_post").on("attachments").columns(["post_id", "position"]).execute();
  await db.schema.createIndex("attachments_owner").on("attachments").columns(["owner_id", "created_at"]).execute();

  await db.schema
    .createTable("mentions")
    .addColumn("post_kind", "text", (c) => c.notNull())
    .addColumn("post_id", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("mentions_pk", ["post_kind", "post_id", "user_id"])
    .execute();

  await db.schema.alterTable("highlights").addColumn("attachment_id", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("highlights").dropColumn("attachment_id").execute();
  await db.schema.dropTable("mentions").execute();
  await db.schema.dropTable("attachments").execute();
}
