import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("communities")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("purpose_markdown", "text", (c) => c.notNull())
    .addColumn("purpose_html", "text", (c) => c.notNull())
    .addColumn("starts_at", "bigint", (c) => c.notNull())
    .addColumn("ends_at", "bigint", (c) => c.notNull())
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("vote_budget", "integer")
    .addColumn("published_at", "bigint")
    .addColumn("archived_at", "bigint")
    .addColumn("created_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("memberships")
    .addColumn("community_id", "text", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("joined_at", "bigint", (c) => c.notNull())
    .addColumn("dates_confirmed_at", "bigint")
    .addColumn("source", "text")
    .addColumn("attributes", "text", (c) => c.notNull().defaultTo("{}"))
    .addPrimaryKeyConstraint("memberships_pk", ["community_id", "user_id"])
    .execute();
  await db.schema.createIndex("memberships_user_id").on("memberships").column("user_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("memberships").execute();
  await db.schema.dropTable("communities").execute();
}
