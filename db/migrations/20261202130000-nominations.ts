import type { Kysely } from "kysely";

/**
 * Nominations: someone at the company met a passionate customer and says so, with what the
 * customer said and where. Moderators invite from a nomination (the invitation points back
 * at it) or decline it with a reason; the nominator hears the outcome.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("nominations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("quote", "text", (c) => c.notNull())
    .addColumn("found_where", "text")
    .addColumn("community_id", "text", (c) => c.references("communities.id").onDelete("set null"))
    .addColumn("ask_to_lead", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("nominated_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("open"))
    .addColumn("decided_by", "text", (c) => c.references("users.id"))
    .addColumn("decided_at", "bigint")
    .addColumn("decline_reason", "text")
    .addColumn("joined_at", "bigint")
    .execute();
  // The review list (open ones, oldest first) and each nominator's own list.
  await db.schema.createIndex("nominations_status_created").on("nominations").columns(["status", "created_at", "id"]).execute();
  await db.schema.createIndex("nominations_nominated_by_created").on("nominations").columns(["nominated_by", "created_at"]).execute();
  await db.schema.alterTable("invitations").addColumn("nomination_id", "text", (c) => c.references("nominations.id")).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("invitations").dropColumn("nomination_id").execute();
  await db.schema.dropTable("nominations").execute();
}
