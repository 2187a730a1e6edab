import { Migrator } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrations } from "./migrations/index.ts";
import { migrateToLatest } from "./migrate.ts";
import { createTestDatabase, testEngines, type TestDatabase } from "./testing.ts";

describe.each(testEngines())("migrations on %s", (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine, { migrate: false });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("run forward on a database that already holds data, and a second run changes nothing", async () => {
    const names = Object.keys(migrations).sort();
    const first = names[0]!;
    const migrator = new Migrator({ db: t.db, provider: { getMigrations: async () => migrations }, ...(t.schema ? { migrationTableSchema: t.schema } : {}) });
    const { error } = await migrator.migrateTo(first);
    expect(error).toBeUndefined();
    await t.db
      .insertInto("users")
      .values({ id: "u1", email: "early@example.com", display_name: "Early", password_hash: "x", role: "admin", created_at: 1, updated_at: 1 })
      .execute();

    const applied = await migrateToLatest(t.db, t.schema);
    expect(applied).toEqual(names.slice(1));
    expect(await t.db.selectFrom("users").select(["email", "role"]).execute()).toEqual([{ email: "early@example.com", role: "admin" }]);
    expect(await t.db.selectFrom("communities").selectAll().execute()).toEqual([]);
    expect(await migrateToLatest(t.db, t.schema)).toEqual([]);
  });
});

describe.each(testEngines())("the suggestion-strength migration on %s", (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine, { migrate: false });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("counts the strength of suggestions that already have evidence and linked votes", async () => {
    const migrator = new Migrator({ db: t.db, provider: { getMigrations: async () => migrations }, ...(t.schema ? { migrationTableSchema: t.schema } : {}) });
    expect((await migrator.migrateTo("20261123210000-webhooks")).error).toBeUndefined();
    const users = ["a", "b", "c"].map((id) => ({ id, email: `${id}@example.com`, display_name: id, password_hash: "x", role: "member" as const, created_at: 1, updated_at: 1 }));
    await t.db.insertInto("users").values(users).execute();
    const community = (id: string) => ({ id, slug: id, name: id, purpose_markdown: "", purpose_html: "", starts_at: 1, ends_at: 2, time_zone: "UTC", vote_budget: null, hide_vote_counts: 0 as const, random_idea_order: 0 as const, published_at: 1, archived_at: null, created_by: "a", created_at: 1, updated_at: 1 });
    await t.db.insertInto("communities").values([community("one"), community("two")]).execute();
    const thread = (id: string, communityId: string, authorId: string) => ({ id, community_id: communityId, author_id: authorId, title: id, body_markdown: "", body_html: "", reply_count: 0, created_at: 1, last_activity_at: 1, kind: "idea" as const, masked: 0 as const, visible_from: 1, pinned_at: null, locked_at: null, edited_at: null, removed: null, removed_at: null });
    await t.db.insertInto("threads").values([thread("t1", "one", "a"), thread("t2", "two", "b")]).execute();
    await t.db.insertInto("suggestions").values([
      { id: "s1", title: "Strong", problem_markdown: "", problem_html: "", status: "new", owner_id: null, staff_notes: null, public_answer: null, answered_at: null, alternative: null, created_by: "a", created_at: 1, updated_at: 1 },
      { id: "s2", title: "Empty", problem_markdown: "", problem_html: "", status: "new", owner_id: null, staff_notes: null, public_answer: null, answered_at: null, alternative: null, created_by: "a", created_at: 1, updated_at: 1 },
    ] as never).execute();
    await t.db.insertInto("ideas").values({ thread_id: "t2", community_id: "two", vote_count: 2, shuffle: 1, created_at: 1, merged_into: null, merged_at: null, suggestion_id: "s1" }).execute();
    await t.db.insertInto("votes").values([{ idea_id: "t2", user_id: "a", community_id: "two", created_at: 1 }, { idea_id: "t2", user_id: "c", community_id: "two", created_at: 1 }]).execute();
    const highlight = (id: string) => ({ id, community_id: "one", thread_id: "t1", post_kind: "thread" as const, post_id: "t1", post_author_id: "a", quote: "q", suggestion_id: "s1", created_by: "a", created_at: 1 });
    await t.db.insertInto("highlights").values([highlight("h1"), highlight("h2")]).execute();

    await migrateToLatest(t.db, t.schema);
    const rows = await t.db.selectFrom("suggestions").select(["id", "strength_members", "strength_votes", "strength_communities", "strength_quotes"]).orderBy("id").execute();
    // Members a (evidence and vote) and c (vote); votes 2; communities one and two; quotes 2.
    expect(rows).toEqual([
      { id: "s1", strength_members: 2, strength_votes: 2, strength_communities: 2, strength_quotes: 2 },
      { id: "s2", strength_members: 0, strength_votes: 0, strength_communities: 0, strength_quotes: 0 },
    ]);
  });
});
