import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { seedDemo } from "#db/seed.ts";
import { DAY } from "#app/lib/clock.ts";
import { communityDashboard, overviewDashboard } from "./dashboard.server.ts";

describe.each(testEngines())("dashboards on %s", (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
    await seedDemo(t.db, "demo password 1");
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("count a community's posts and ideas per day of its time box, as the database holds them", async () => {
    const maya = await t.db.selectFrom("users").select("id").where("email", "=", "maya@cohort.example").executeTakeFirstOrThrow();
    const board = await communityDashboard(t.db, { id: maya.id, role: "moderator" }, "reporting-beta");
    const { starts_at: from } = board.view.community;
    const to = board.days.at(-1)!.start + DAY;
    const threads = await t.db
      .selectFrom("threads")
      .select(["kind", "created_at"])
      .where("community_id", "=", board.view.community.id)
      .where("created_at", ">=", from)
      .where("created_at", "<", to)
      .execute();
    const replies = await t.db
      .selectFrom("replies")
      .innerJoin("threads", "threads.id", "replies.thread_id")
      .select("replies.created_at")
      .where("threads.community_id", "=", board.view.community.id)
      .where("replies.created_at", ">=", from)
      .where("replies.created_at", "<", to)
      .execute();
    const ideas = threads.filter((r) => r.kind === "idea").length;
    expect(ideas).toBeGreaterThan(0);
    expect(board.days.reduce((n, d) => n + d.ideas, 0)).toBe(ideas);
    expect(board.days.reduce((n, d) => n + d.posts, 0)).toBe(threads.length - ideas + replies.length);
    // Each post in the day it was written.
    const first = Math.floor((threads[0]!.created_at - from) / DAY);
    expect(board.days[first]!.posts + board.days[first]!.ideas).toBeGreaterThan(0);
  });

  it("give product teams the overview across communities", async () => {
    const priya = await t.db.selectFrom("users").select("id").where("email", "=", "priya@cohort.example").executeTakeFirstOrThrow();
    const overview = await overviewDashboard(t.db, { id: priya.id, role: "product" });
    expect(overview.statuses.reduce((n, s) => n + Number(s.n), 0)).toBeGreaterThan(0);
  });
});
