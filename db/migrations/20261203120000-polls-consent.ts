import type { Kysely } from "kysely";

/**
 * Study tools: polls and recorded consent (issue 17).
 *
 * - polls hang off a thread (a research prompt or a discussion), one per thread. Options are
 *   rows; a member's answer is one row keyed (poll_id, user_id), so the database, not a read
 *   before the write, guarantees one answer per member; the options they chose (with their
 *   rank when the poll is ranked) are rows keyed (poll_id, user_id, option_id).
 * - consent_versions keep every text a community has published, numbered from 1;
 *   communities.consent_version is the current one (0: none yet) and
 *   memberships.consent_version the one the member last agreed to, so the policy can refuse
 *   a write without another query. consent_agreements keeps the history (who agreed to
 *   which version, when) for staff and their CSV (docs/decisions/020).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("polls")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("community_id", "text", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("thread_id", "text", (c) => c.notNull().unique().references("threads.id").onDelete("cascade"))
    .addColumn("question", "text", (c) => c.notNull())
    .addColumn("multiple", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("ranked", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("allow_other", "integer", (c) => c.notNull().defaultTo(0))
    // Results shown to a participant only after they answered (as a masked prompt), or only after close (as hidden vote counts).
    .addColumn("masked", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("hidden_until_close", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("polls_community_id").on("polls").columns(["community_id", "created_at"]).execute();
  await db.schema
    .createTable("poll_options")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("poll_id", "text", (c) => c.notNull().references("polls.id").onDelete("cascade"))
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("poll_options_poll_id").on("poll_options").columns(["poll_id", "position"]).execute();
  await db.schema
    .createTable("poll_answers")
    .addColumn("poll_id", "text", (c) => c.notNull().references("polls.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("community_id", "text", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("other_text", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("poll_answers_pk", ["poll_id", "user_id"])
    .execute();
  await db.schema.createIndex("poll_answers_community_user").on("poll_answers").columns(["community_id", "user_id"]).execute();
  await db.schema
    .createTable("poll_answer_choices")
    .addColumn("poll_id", "text", (c) => c.notNull().references("polls.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("option_id", "text", (c) => c.notNull().references("poll_options.id").onDelete("cascade"))
    .addColumn("rank", "integer")
    .addPrimaryKeyConstraint("poll_answer_choices_pk", ["poll_id", "user_id", "option_id"])
    .execute();

  await db.schema
    .createTable("consent_versions")
    .addColumn("community_id", "text", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("collected", "text", (c) => c.notNull())
    .addColumn("readers", "text", (c) => c.notNull())
    .addColumn("quotes", "text", (c) => c.notNull())
    .addColumn("retention", "text", (c) => c.notNull())
    .addColumn("incentive", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("published_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("published_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("consent_versions_pk", ["community_id", "version"])
    .execute();
  await db.schema
    .createTable("consent_agreements")
    .addColumn("community_id", "text", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("agreed_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("consent_agreements_pk", ["community_id", "user_id", "version"])
    .execute();
  await db.schema.alterTable("communities").addColumn("consent_version", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("memberships").addColumn("consent_version", "integer", (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("memberships").dropColumn("consent_version").execute();
  await db.schema.alterTable("communities").dropColumn("consent_version").execute();
  await db.schema.dropTable("consent_agreements").execute();
  await db.schema.dropTable("consent_versions").execute();
  await db.schema.dropTable("poll_answer_choices").execute();
  await db.schema.dropTable("poll_answers").execute();
  await db.schema.dropTable("poll_options").execute();
  await db.schema.dropTable("polls").execute();
}
