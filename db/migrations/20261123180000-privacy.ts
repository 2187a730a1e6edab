import type { Kysely } from "kysely";

/** When a member erased their account: the row stays (posts and votes keep their counts), anonymised. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").addColumn("erased_at", "bigint").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").dropColumn("erased_at").execute();
}
