import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SUSPENDED_MESSAGE, signIn } from "#app/features/auth/accounts.server.ts";
import { refusalOf } from "#app/lib/testing.ts";
import { createTestDatabase, testEngines, type TestDatabase } from "./testing.ts";
import { completionTable } from "#app/features/completion/completion.server.ts";
import { DEMO_ACCOUNTS, SUSPENDED_DEMO_ACCOUNT, generatePassword, isEmpty, seedDemo, shouldSeedDemo, wipe } from "./seed.ts";

describe("shouldSeedDemo", () => {
  it("seeds an empty development database", () => {
    expect(shouldSeedDemo({ empty: true, deployedInProduction: false })).toBe(true);
  });
  it("never seeds a database that has data, even when asked", () => {
    expect(shouldSeedDemo({ empty: false, deployedInProduction: false })).toBe(false);
    expect(shouldSeedDemo({ empty: false, deployedInProduction: true, seedDemo: "1" })).toBe(false);
  });
  it("does not seed a production deployment unless asked", () => {
    expect(shouldSeedDemo({ empty: true, deployedInProduction: true })).toBe(false);
    expect(shouldSeedDemo({ empty: true, deployedInProduction: true, seedDemo: "1" })).toBe(true);
  });
  it("never seeds when told not to", () => {
    expect(shouldSeedDemo({ empty: true, deployedInProduction: false, seedDemo: "0" })).toBe(false);
  });
});

describe.each(testEngines())("demo data on %s", (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("seeds every demo account with the password given, and reseeds after a wipe", async () => {
    expect(await isEmpty(t.db)).toBe(true);
    const password = generatePassword();
    expect(password).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    await seedDemo(t.db, password);
    expect(await isEmpty(t.db)).toBe(false);
    const roles = await t.db.selectFrom("users").select(["email", "role"]).execute();
    expect(roles).toHaveLength(DEMO_ACCOUNTS.length + 1);
    for (const role of ["admin", "moderator", "product", "member"]) expect(roles.map((r) => r.role)).toContain(role);
    await expect(signIn(t.db, { email: DEMO_ACCOUNTS[0]!.email, password }, { clientAddress: "127.0.0.1" })).resolves.toHaveProperty("token");
    // The suspended participant's posts stay; he cannot sign in.
    const tom = await t.db.selectFrom("users").select(["id", "suspended_at"]).where("email", "=", SUSPENDED_DEMO_ACCOUNT.email).executeTakeFirstOrThrow();
    expect(tom.suspended_at).not.toBeNull();
    expect(await t.db.selectFrom("threads").select("id").where("author_id", "=", tom.id).execute()).toHaveLength(1);
    expect((await refusalOf(signIn(t.db, { email: SUSPENDED_DEMO_ACCOUNT.email, password }, { clientAddress: "127.0.0.1" }))).message).toBe(SUSPENDED_MESSAGE);

    await wipe(t);
    expect(await isEmpty(t.db)).toBe(true);
    expect(await t.db.selectFrom("sessions").selectAll().execute()).toEqual([]);
    await seedDemo(t.db, "another password");
    expect(await isEmpty(t.db)).toBe(false);

    // Nobody posted before their account existed or before they joined the community.
    const posts = await t.db
      .selectFrom("threads")
      .innerJoin("users", "users.id", "threads.author_id")
      .leftJoin("memberships", (join) => join.onRef("memberships.user_id", "=", "threads.author_id").onRef("memberships.community_id", "=", "threads.community_id"))
      .select(["threads.title", "threads.created_at", "users.created_at as account_created", "memberships.joined_at"])
      .execute();
    expect(posts.length).toBeGreaterThan(5);
    const early = posts.filter((p) => Number(p.account_created) > Number(p.created_at) || (p.joined_at !== null && Number(p.joined_at) > Number(p.created_at)));
    expect(early.map((p) => p.title)).toEqual([]);

    // The study tools (issue 17): a masked poll some have answered and Lena has not, open and
    // answered follow-ups, a completion table with gaps, and two consent versions.
    const beta = await t.db.selectFrom("communities").select(["id", "consent_version"]).where("slug", "=", "reporting-beta").executeTakeFirstOrThrow();
    const lena = await t.db.selectFrom("users").select("id").where("email", "=", "lena@customer.example").executeTakeFirstOrThrow();
    const poll = await t.db.selectFrom("polls").select(["id", "masked"]).where("community_id", "=", beta.id).executeTakeFirstOrThrow();
    const answerers = await t.db.selectFrom("poll_answers").select("user_id").where("poll_id", "=", poll.id).execute();
    expect([poll.masked, answerers.length]).toEqual([1, 2]);
    expect(answerers.map((a) => a.user_id)).not.toContain(lena.id);
    const followUps = await t.db.selectFrom("follow_ups").select("answered_at").where("community_id", "=", beta.id).execute();
    expect(followUps.some((f) => f.answered_at === null) && followUps.some((f) => f.answered_at !== null)).toBe(true);
    const versions = await t.db.selectFrom("consent_versions").select("version").where("community_id", "=", beta.id).orderBy("version").execute();
    expect([versions.map((v) => v.version), beta.consent_version]).toEqual([[1, 2], 2]);
    const maya = await t.db.selectFrom("users").select("id").where("email", "=", "maya@cohort.example").executeTakeFirstOrThrow();
    const cells = (await completionTable(t.db, { id: maya.id, role: "moderator" }, "reporting-beta")).rows.flatMap((r) => r.cells);
    for (const state of ["answered", "follow-up", "not-yet"]) expect(cells, state).toContain(state);
  });
});
