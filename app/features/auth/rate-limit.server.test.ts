import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { MINUTE, advanceClock, resetClock, setClock } from "#app/lib/clock.ts";
import { checkLimit, refundAttempt, reserveAttempt } from "./rate-limit.server.ts";

describe.each(testEngines())("database rate limits on %s", (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await t.cleanup();
  });
  afterEach(() => resetClock());

  it("counts concurrent attempts exactly, so parallel requests cannot slip past", async () => {
    const limit = { bucket: `concurrent-${engine}`, max: 10, windowMs: MINUTE };
    const states = await Promise.all(Array.from({ length: 25 }, () => reserveAttempt(t.db, [limit])));
    expect(states.filter((s) => !s.blocked)).toHaveLength(10);
    const row = await t.db.selectFrom("rate_limits").selectAll().where("bucket", "=", limit.bucket).executeTakeFirstOrThrow();
    expect(row.hits).toBe(10);
  });

  it("blocks at the limit and opens again when the window ends", async () => {
    setClock(Date.UTC(2026, 5, 1));
    const limit = { bucket: `window-${engine}`, max: 3, windowMs: 10 * MINUTE };
    for (let i = 0; i < 3; i++) await reserveAttempt(t.db, [limit]);
    const blocked = await checkLimit(t.db, limit);
    expect(blocked.blocked).toBe(true);
    expect(blocked.retryAfterMs).toBe(10 * MINUTE);

    advanceClock(10 * MINUTE - 1);
    expect((await checkLimit(t.db, limit)).blocked).toBe(true);
    advanceClock(1);
    expect((await checkLimit(t.db, limit)).blocked).toBe(false);
    expect((await reserveAttempt(t.db, [limit])).blocked).toBe(false);
    const row = await t.db.selectFrom("rate_limits").selectAll().where("bucket", "=", limit.bucket).executeTakeFirstOrThrow();
    expect(row.hits).toBe(1);
  });

  it("reserves at most max of 50 parallel attempts, counting refused ones nowhere", async () => {
    const pair = { bucket: `reserve-pair-${engine}`, max: 5, windowMs: MINUTE };
    const wide = { bucket: `reserve-wide-${engine}`, max: 100, windowMs: MINUTE };
    const states = await Promise.all(Array.from({ length: 50 }, () => reserveAttempt(t.db, [pair, wide])));
    expect(states.filter((s) => !s.blocked)).toHaveLength(5);
    const hits = async (bucket: string) => (await t.db.selectFrom("rate_limits").select("hits").where("bucket", "=", bucket).executeTakeFirstOrThrow()).hits;
    expect(await hits(pair.bucket)).toBe(5);
    expect(await hits(wide.bucket)).toBe(5);
    await refundAttempt(t.db, [pair]);
    expect((await reserveAttempt(t.db, [pair])).blocked).toBe(false);
    expect((await reserveAttempt(t.db, [pair])).blocked).toBe(true);
  });

  it("gives back earlier limits when a later one refuses", async () => {
    const first = { bucket: `reserve-first-${engine}`, max: 10, windowMs: MINUTE };
    const full = { bucket: `reserve-full-${engine}`, max: 1, windowMs: MINUTE };
    expect((await reserveAttempt(t.db, [full])).blocked).toBe(false);
    const refused = await reserveAttempt(t.db, [first, full]);
    expect(refused.blocked).toBe(true);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    const row = await t.db.selectFrom("rate_limits").select("hits").where("bucket", "=", first.bucket).executeTakeFirstOrThrow();
    expect(row.hits).toBe(0);
  });
});
