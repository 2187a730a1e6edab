import { sql, type Kysely } from "kysely";

/**
 * Leaving and the time box.
 *
 * - former_memberships: a member who leaves is moved here, so `memberships` keeps meaning
 *   "current members" for every query that counts, lists or notifies them, and the readout
 *   can still let a former member in once the community closes (docs/decisions/017).
 * - reminders are keyed by the moment they announce as well (boundary_at: the starts_at or
 *   ends_at they were sent for), so when the dates move after a reminder went out, the
 *   reminder for the new moment still goes out, once. The table is rebuilt to change its key;
 *   the rows sent so far keep the community's current dates as their moment.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("former_memberships")
    .addColumn("community_id", "text", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("joined_at", "bigint", (c) => c.notNull())
    .addColumn("left_at", "bigint", (c) => c.notNull())
    .addColumn("source", "text")
    .addColumn("attributes", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("votes_used", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("former_memberships_pk", ["community_id", "user_id"])
    .execute();
  await db.schema.createIndex("former_memberships_user_id").on("former_memberships").column("user_id").execute();

  await db.schema
    .createTable("time_box_reminders")
    .addColumn("community_id", "text", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    // opens-tomorrow | closes-soon
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("boundary_at", "bigint", (c) => c.notNull())
    .addColumn("sent_at", "bigint", (c) => c.notNull())
    .addColumn("recipients", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("time_box_reminders_pk", ["community_id", "kind", "boundary_at"])
    .execute();
  await db
    .insertInto("time_box_reminders")
    .columns(["community_id", "kind", "boundary_at", "sent_at", "recipients"])
    .expression(
      db
        .selectFrom("reminders")
        .innerJoin("communities", "communities.id", "reminders.community_id")
        .select([
          "reminders.community_id",
          "reminders.kind",
          sql`case when reminders.kind = 'opens-tomorrow' then communities.starts_at else communities.ends_at end`.as("boundary_at"),
          "reminders.sent_at",
          "reminders.recipients",
        ]),
    )
    .execute();
  await db.schema.dropTable("reminders").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("reminders")
    .addColumn("community_id", "text", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("sent_at", "bigint", (c) => c.notNull())
    .addColumn("recipients", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("reminders_pk", ["community_id", "kind"])
    .execute();
  await db.schema.dropTable("time_box_reminders").execute();
  await db.schema.dropTable("former_memberships").execute();
}
