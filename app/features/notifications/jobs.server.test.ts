import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { addMember, createCommunity, getCommunityForActor, publishCommunity } from "#app/features/communities/communities.server.ts";
import { replyToThread, startThread } from "#app/features/discussions/posting.server.ts";
import { DAY, HOUR, SECOND, advanceClock, resetClock, setClock } from "#app/lib/clock.ts";
import { preferencesOf, setPreferences, unsubscribe } from "./email.server.ts";
import { sendDigests, sendReminders } from "./jobs.server.ts";
import { EMAIL_KINDS } from "./kinds.ts";

const OPENS = Date.UTC(2026, 10, 10, 9);

describe.each(testEngines())("email reminders and digests on %s", (engine) => {
  let t: TestDatabase;
  let moderator: Actor;
  let a: Actor;
  let b: Actor;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
    const person = async (name: string, role: Actor["role"]) => ({ id: (await createAccount(t.db, { email: `${name}@example.com`, displayName: name, password: "password!", role })).userId, role });
    moderator = await person("moderator", "moderator");
    a = await person("ann", "member");
    b = await person("bob", "member");
    setClock(OPENS - 10 * DAY);
    await createCommunity(t.db, moderator, { name: "Reminded", slug: "reminded", purpose: "A community that reminds people, at length.", timeZone: "UTC", startsAt: "2026-11-10T09:00", endsAt: "2026-11-17T09:00" });
    await publishCommunity(t.db, moderator, "reminded");
    const { community } = await getCommunityForActor(t.db, moderator, "reminded");
    for (const who of [a, b]) await addMember(t.db, { communityId: community.id, userId: who.id, role: "participant", datesConfirmedAt: 1 });
  });
  afterAll(async () => t.cleanup());
  afterEach(() => resetClock());

  const mail = (to: string, subject: string) =>
    t.db.selectFrom("outbox").select(["subject", "text_body"]).where("to_address", "=", to).where("subject", "=", subject).execute();

  it("says when it opens and when it closes, once each, even when two workers run at the same moment", async () => {
    setClock(OPENS - 30 * HOUR);
    expect((await sendReminders(t.db)).sent).toEqual([]);
    setClock(OPENS - 20 * HOUR);
    const [first, second] = await Promise.all([sendReminders(t.db), sendReminders(t.db)]);
    expect([...first.sent, ...second.sent]).toEqual(["reminded:opens-tomorrow"]);
    expect(await mail("ann@example.com", "Reminded opens in 20 hours")).toHaveLength(1);
    const notes = await t.db.selectFrom("notifications").select("user_id").where("kind", "=", "community.reminder").where("title", "=", "Reminded opens in 20 hours").execute();
    expect(notes.map((n) => n.user_id).sort()).toEqual([a.id, b.id].sort());
    setClock(OPENS + 7 * DAY - 47 * HOUR);
    const again = await Promise.all([sendReminders(t.db), sendReminders(t.db), sendReminders(t.db)]);
    expect(again.flatMap((r) => r.sent)).toEqual(["reminded:closes-soon"]);
    const closing = await mail("bob@example.com", "Reminded closes in 47 hours");
    expect(closing).toHaveLength(1);
    // Every email can be unsubscribed from in one click.
    expect(closing[0]!.text_body).toMatch(/stop all Cohort email: http:\/\/localhost:\d+\/unsubscribe\/[\w-]+/);
  });

  it("collects digest-mode notifications into one daily email after 07:00 UTC, once per day across workers", async () => {
    await setPreferences(t.db, a.id, { "thread.reply": "digest" });
    setClock(Date.UTC(2026, 10, 12, 5));
    const { threadId } = await startThread(t.db, a, "reminded", { title: "Digest me", body: "x" });
    advanceClock(10 * SECOND);
    await replyToThread(t.db, b, "reminded", threadId, { body: "first" });
    advanceClock(10 * SECOND);
    await replyToThread(t.db, b, "reminded", threadId, { body: "second" });
    // Not emailed right away: Ann asked for a digest.
    expect(await mail("ann@example.com", 'bob replied to "Digest me"')).toEqual([]);
    expect((await sendDigests(t.db)).sent).toBe(0); // before 07:00
    setClock(Date.UTC(2026, 10, 12, 8));
    const runs = await Promise.all([sendDigests(t.db), sendDigests(t.db)]);
    expect(runs.reduce((n, r) => n + r.sent, 0)).toBeGreaterThanOrEqual(1);
    const digests = await t.db.selectFrom("outbox").select(["subject", "text_body"]).where("to_address", "=", "ann@example.com").where("subject", "like", "Your Cohort digest%").execute();
    expect(digests).toHaveLength(1);
    expect(digests[0]!.text_body.match(/bob replied to "Digest me"/g)).toHaveLength(2);
    advanceClock(HOUR);
    expect((await sendDigests(t.db)).sent).toBe(0);
  });

  it("unsubscribes every kind with the link's token, and an unknown token does nothing", async () => {
    const email = await t.db.selectFrom("outbox").select("text_body").where("to_address", "=", "bob@example.com").executeTakeFirstOrThrow();
    const token = /unsubscribe\/([\w-]+)/.exec(email.text_body)![1]!;
    expect(await unsubscribe(t.db, "not-a-token")).toBe(false);
    expect(await unsubscribe(t.db, token)).toBe(true);
    expect(Object.values(await preferencesOf(t.db, b.id))).toEqual(Object.keys(EMAIL_KINDS).map(() => "off"));
    setClock(Date.UTC(2026, 10, 13, 10));
    const { threadId } = await startThread(t.db, a, "reminded", { title: "Quiet now", body: "x" });
    advanceClock(10 * SECOND);
    const before = (await t.db.selectFrom("outbox").select("id").where("to_address", "=", "bob@example.com").execute()).length;
    await replyToThread(t.db, a, "reminded", threadId, { body: "hi" });
    const { threadId: bobs } = await startThread(t.db, b, "reminded", { title: "Bob's", body: "x" });
    advanceClock(10 * SECOND);
    await replyToThread(t.db, a, "reminded", bobs, { body: "to Bob" });
    expect((await t.db.selectFrom("outbox").select("id").where("to_address", "=", "bob@example.com").execute()).length).toBe(before);
  });
});
