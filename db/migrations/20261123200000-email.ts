import type { Kysely } from "kysely";

/**
 * Email that follows the in-app notifications: per-member preferences per kind, one-click
 * unsubscribe tokens, daily digests and time-box reminders, each claimed by a unique key so
 * several app processes never send the same one twice.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("notification_preferences")
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    // immediate | digest | off
    .addColumn("mode", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("notification_preferences_pk", ["user_id", "kind"])
    .execute();
  await db.schema
    .createTable("unsubscribe_tokens")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  // One digest per member per day: the primary key is the claim.
  await db.schema
    .createTable("digests")
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("sent_at", "bigint", (c) => c.notNull())
    .addColumn("items", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("digests_pk", ["user_id", "day"])
    .execute();
  // One reminder of each kind per community: the primary key is the claim.
  await db.schema
    .createTable("reminders")
    .addColumn("community_id", "text", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    // opens-tomorrow | closes-soon
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("sent_at", "bigint", (c) => c.notNull())
    .addColumn("recipients", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("reminders_pk", ["community_id", "kind"])
    .execute();
  await db.schema.alterTable("notifications").addColumn("emailed_at", "bigint").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("notifications").dropColumn("emailed_at").execute();
  for (const table of ["reminders", "digests", "unsubscribe_tokens", "notification_preferences"]) await db.schema.dropTable(table).execute();
}
