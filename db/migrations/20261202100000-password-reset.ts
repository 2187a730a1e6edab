import type { Kysely } from "kysely";

/**
 * Password reset links, and the instance's own settings.
 *
 * A reset link's token is only ever in the email; the row keeps its SHA-256. A row is
 * usable while used_at and revoked_at are null and expires_at is ahead: the reset POST
 * consumes it with one conditional UPDATE, and a newer request revokes the older ones.
 *
 * settings: a small key/value table for what an admin sets for the whole instance (how a
 * visitor gets an invitation). value_html is the Markdown rendered once when it is saved.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("password_resets")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    // The staff member who sent it from the people page; null when the person asked.
    .addColumn("sent_by", "text", (c) => c.references("users.id"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("used_at", "bigint")
    .addColumn("revoked_at", "bigint")
    .execute();
  await db.schema.createIndex("password_resets_user").on("password_resets").columns(["user_id", "created_at"]).execute();

  await db.schema
    .createTable("settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("value_html", "text")
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.references("users.id"))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("settings").execute();
  await db.schema.dropTable("password_resets").execute();
}
