import type { Kysely } from "kysely";

/**
 * People administration: an admin can suspend an account (it cannot sign in, its sessions
 * end, what it wrote stays) and the people page shows when each account was last seen.
 * The admin list pages newest accounts first, by key.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").addColumn("suspended_at", "bigint").execute();
  await db.schema.alterTable("users").addColumn("suspended_by", "text").execute();
  await db.schema.alterTable("users").addColumn("last_seen_at", "bigint").execute();
  await db.schema.createIndex("users_created").on("users").columns(["created_at", "id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("users_created").execute();
  for (const column of ["last_seen_at", "suspended_by", "suspended_at"]) await db.schema.alterTable("users").dropColumn(column).execute();
}
