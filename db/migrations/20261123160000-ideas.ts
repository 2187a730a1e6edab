import type { Kysely } from "kysely";

/**
 * Ideas and votes. An idea is a thread (kind 'idea') with a row here, so it has the same
 * discussion, read state and moderation as any thread. Suggestions start here because an
 * idea shows the status and answer of the suggestion it is linked to; triage fills them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Bias controls, per community.
  await db.schema.alterTable("communities").addColumn("hide_vote_counts", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("communities").addColumn("random_idea_order", "integer", (c) => c.notNull().defaultTo(0)).execute();
  // Votes a member has out in the community: the row a vote locks to keep within the budget.
  await db.schema.alterTable("memberships").addColumn("votes_used", "integer", (c) => c.notNull().defaultTo(0)).execute();

  await db.schema
    .createTable("suggestions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("problem_markdown", "text", (c) => c.notNull())
    .addColumn("problem_html", "text", (c) => c.notNull())
    // new, under-review, planned, in-progress, shipped, declined
    .addColumn("status", "text", (c) => c.notNull().defaultTo("new"))
    .addColumn("owner_id", "text", (c) => c.references("users.id"))
    .addColumn("staff_notes", "text")
    .addColumn("public_answer", "text")
    .addColumn("answered_at", "bigint")
    .addColumn("created_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("suggestions_status").on("suggestions").columns(["status", "updated_at"]).execute();

  await db.schema
    .createTable("ideas")
    .addColumn("thread_id", "text", (c) => c.primaryKey().references("threads.id").onDelete("cascade"))
    .addColumn("community_id", "text", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("vote_count", "integer", (c) => c.notNull().defaultTo(0))
    // A random number fixed at creation; mixed with a member's seed it gives each member a stable shuffle.
    .addColumn("shuffle", "bigint", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("merged_into", "text", (c) => c.references("ideas.thread_id"))
    .addColumn("merged_at", "bigint")
    .addColumn("suggestion_id", "text", (c) => c.references("suggestions.id").onDelete("set null"))
    .execute();
  await db.schema.createIndex("ideas_community_top").on("ideas").columns(["community_id", "vote_count", "thread_id"]).execute();
  await db.schema.createIndex("ideas_community_new").on("ideas").columns(["community_id", "created_at", "thread_id"]).execute();
  await db.schema.createIndex("ideas_suggestion").on("ideas").column("suggestion_id").execute();

  await db.schema
    .createTable("votes")
    .addColumn("idea_id", "text", (c) => c.notNull().references("ideas.thread_id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("community_id", "text", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    // One vote per member per idea, whatever the timing of the clicks.
    .addPrimaryKeyConstraint("votes_pk", ["idea_id", "user_id"])
    .execute();
  await db.schema.createIndex("votes_member").on("votes").columns(["community_id", "user_id"]).execute();
  await db.schema.createIndex("votes_recent").on("votes").columns(["idea_id", "created_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("votes").execute();
  await db.schema.dropTable("ideas").execute();
  await db.schema.dropTable("suggestions").execute();
  await db.schema.alterTable("memberships").dropColumn("votes_used").execute();
  await db.schema.alterTable("communities").dropColumn("random_idea_order").execute();
  await db.schema.alterTable("communities").dropColumn("hide_vote_counts").execute();
}
