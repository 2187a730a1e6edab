import type { Kysely } from "kysely";

/**
 * People are named by id in stored text (docs/decisions/025): notifications and audit
 * entries hold references rendered with the current name when read. An email is rendered
 * when queued (that is what was sent), so the outbox keeps which people each message names
 * (`names`: " user:<id> invitation:<id> "), and erasing one of them redacts those messages.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("outbox").addColumn("names", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("outbox").dropColumn("names").execute();
}
