import type { Kysely } from "kysely";

/**
 * Triage: tags, highlights (the passage of a post that matters, the unit of evidence),
 * each item's triage state, the suggestions' own tags, the declined suggestion's
 * alternative, and the audit log of staff actions (with what undoing each needs).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("tags")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    // Lower-cased name: one tag per name, whatever its case.
    .addColumn("name_key", "text", (c) => c.notNull().unique())
    .addColumn("color", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("highlights")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("community_id", "text", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("thread_id", "text", (c) => c.notNull().references("threads.id").onDelete("cascade"))
    .addColumn("post_kind", "text", (c) => c.notNull())
    .addColumn("post_id", "text", (c) => c.notNull())
    .addColumn("post_author_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("quote", "text", (c) => c.notNull())
    .addColumn("suggestion_id", "text", (c) => c.references("suggestions.id").onDelete("set null"))
    .addColumn("created_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("highlights_suggestion").on("highlights").columns(["suggestion_id", "created_at"]).execute();
  await db.schema.createIndex("highlights_post").on("highlights").columns(["post_kind", "post_id"]).execute();

  await db.schema
    .createTable("highlight_tags")
    .addColumn("highlight_id", "text", (c) => c.notNull().references("highlights.id").onDelete("cascade"))
    .addColumn("tag_id", "text", (c) => c.notNull().references("tags.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("highlight_tags_pk", ["highlight_id", "tag_id"])
    .execute();
  await db.schema.createIndex("highlight_tags_tag").on("highlight_tags").column("tag_id").execute();

  await db.schema
    .createTable("suggestion_tags")
    .addColumn("suggestion_id", "text", (c) => c.notNull().references("suggestions.id").onDelete("cascade"))
    .addColumn("tag_id", "text", (c) => c.notNull().references("tags.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("suggestion_tags_pk", ["suggestion_id", "tag_id"])
    .execute();
  await db.schema.createIndex("suggestion_tags_tag").on("suggestion_tags").column("tag_id").execute();

  // An item is triaged once a highlight is taken from it, or it is dismissed.
  await db.schema
    .createTable("triage_items")
    .addColumn("post_kind", "text", (c) => c.notNull())
    .addColumn("post_id", "text", (c) => c.notNull())
    .addColumn("community_id", "text", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    // "triaged" or "dismissed"
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("decided_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("decided_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("triage_items_pk", ["post_kind", "post_id"])
    .execute();

  await db.schema.alterTable("suggestions").addColumn("alternative", "text").execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("actor_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("action", "text", (c) => c.notNull())
    // What a person reads in the log: "Tagged Lena's reply with Exports".
    .addColumn("summary", "text", (c) => c.notNull())
    // JSON: what undoing it needs; null when it cannot be undone.
    .addColumn("undo", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("undone_at", "bigint")
    .addColumn("undone_by", "text", (c) => c.references("users.id"))
    .execute();
  await db.schema.createIndex("audit_log_recent").on("audit_log").columns(["created_at", "id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("audit_log").execute();
  await db.schema.alterTable("suggestions").dropColumn("alternative").execute();
  for (const table of ["triage_items", "suggestion_tags", "highlight_tags", "highlights", "tags"]) await db.schema.dropTable(table).execute();
}
