import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { refusalOf } from "#app/lib/testing.ts";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { DAY, HOUR, MINUTE, resetClock, setClock } from "#app/lib/clock.ts";
import { toLocalInput } from "#app/lib/dates.ts";
import { addMember, createCommunity, getCommunityForActor, publishCommunity } from "#app/features/communities/communities.server.ts";
import { replyToThread, startThread } from "#app/features/discussions/posting.server.ts";
import { askFollowUp } from "#app/features/follow-ups/follow-ups.server.ts";
import { answerPoll, createPoll } from "#app/features/polls/polls.server.ts";
import { completionCsvRows, completionTable, myProgress, nudgeNonAnswerers } from "./completion.server.ts";

const OPENS = Date.UTC(2026, 2, 1, 9);
const CLOSES = OPENS + 15 * DAY;
const SLUG = "completion-study";
const byName = <R extends { name: string }>(rows: R[]) => [...rows].sort((a, b) => a.name.localeCompare(b.name));

describe.each(testEngines())("completion and nudges on %s", (engine) => {
  let t: TestDatabase;
  let moderator: Actor, product: Actor, ana: Actor, ben: Actor, cai: Actor, leader: Actor;
  const person = async (role: Actor["role"], name: string): Promise<Actor> => {
    const { userId } = await createAccount(t.db, { email: `${name}@example.com`, displayName: name, password: "password!", role });
    return { id: userId, role };
  };
  const nudgesOf = async (who: Actor) => t.db.selectFrom("notifications").select("title").where("user_id", "=", who.id).where("kind", "=", "prompt.nudge").execute();

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    moderator = await person("moderator", "mod");
    product = await person("product", "priya");
    ana = await person("member", "ana");
    ben = await person("member", "ben");
    cai = await person("member", "cai");
    leader = await person("member", "leo");
    setClock(OPENS - 10 * DAY);
    await createCommunity(t.db, moderator, { name: "Completion", slug: SLUG, purpose: "A study with several prompts.", timeZone: "Europe/Berlin", startsAt: toLocalInput(OPENS, "Europe/Berlin"), endsAt: toLocalInput(CLOSES, "Europe/Berlin") });
    await publishCommunity(t.db, moderator, SLUG);
    const { community } = await getCommunityForActor(t.db, moderator, SLUG);
    await addMember(t.db, { communityId: community.id, userId: ana.id, role: "participant", datesConfirmedAt: 1, attributes: { segment: "enterprise" } });
    await addMember(t.db, { communityId: community.id, userId: ben.id, role: "participant", datesConfirmedAt: 1, attributes: { segment: "smb_%" } });
    await addMember(t.db, { communityId: community.id, userId: cai.id, role: "participant", datesConfirmedAt: 1, attributes: { segment: "enterprise" } });
    await addMember(t.db, { communityId: community.id, userId: leader.id, role: "leader", datesConfirmedAt: 1 });
  });
  afterAll(async () => t.cleanup());
  afterEach(() => resetClock());

  it("shows who answered which prompt, filters, totals, and each participant's own progress", async () => {
    setClock(OPENS + HOUR);
    const first = await startThread(t.db, moderator, SLUG, { title: "Prompt one", body: "Tell us.", prompt: { masked: false, appearsAt: null } });
    setClock(OPENS + 2 * HOUR);
    const second = await startThread(t.db, moderator, SLUG, { title: "Prompt two", body: "Tell us more.", prompt: { masked: true, appearsAt: null } });
    // Scheduled for later: not yet a column.
    setClock(OPENS + 2 * HOUR + 60_000);
    await startThread(t.db, moderator, SLUG, { title: "Prompt three", body: "Later.", prompt: { masked: false, appearsAt: toLocalInput(OPENS + 5 * DAY, "Europe/Berlin") } });
    setClock(OPENS + 3 * HOUR);
    const anaReply = await replyToThread(t.db, ana, SLUG, first.threadId, { body: "One from ana" });
    setClock(OPENS + 3 * HOUR + 10_000);
    await replyToThread(t.db, ana, SLUG, second.threadId, { body: "Two from ana" });
    setClock(OPENS + 3 * HOUR + 20_000);
    await replyToThread(t.db, ben, SLUG, first.threadId, { body: "One from ben" });
    await askFollowUp(t.db, moderator, SLUG, first.threadId, { kind: "reply", id: anaReply.replyId }, { question: "Say more?" });

    const table = await completionTable(t.db, moderator, SLUG);
    expect(table.prompts.map((p) => [p.title, p.answered, p.notAnswered])).toEqual([
      ["Prompt one", 2, 1],
      ["Prompt two", 1, 2],
    ]);
    expect(byName(table.rows).map((r) => [r.name, r.segment, ...r.cells, r.answeredCount])).toEqual([
      ["ana", "enterprise", "follow-up", "answered", 2],
      ["ben", "smb_%", "answered", "not-yet", 1],
      ["cai", "enterprise", "not-yet", "not-yet", 0],
    ]);
    const notSecond = await completionTable(t.db, moderator, SLUG, { notAnswered: second.threadId });
    expect(byName(notSecond.rows).map((r) => r.name)).toEqual(["ben", "cai"]);
    // A segment with LIKE's wildcards in its name matches only itself.
    const smb = await completionTable(t.db, moderator, SLUG, { segment: "smb_%" });
    expect([smb.participantCount, smb.rows.map((r) => r.name), smb.prompts.map((p) => p.answered)]).toEqual([1, ["ben"], [1, 0]]);
    const enterprise = await completionTable(t.db, moderator, SLUG, { segment: "enterprise", notAnswered: first.threadId });
    expect(enterprise.rows.map((r) => r.name)).toEqual(["cai"]);
    // Paged by key.
    const pageOne = await completionTable(t.db, moderator, SLUG, {}, 2);
    const pageTwo = await completionTable(t.db, moderator, SLUG, { after: pageOne.next! }, 2);
    expect([pageOne.rows.length, pageTwo.rows.length, pageTwo.next]).toEqual([2, 1, null]);
    expect(byName([...pageOne.rows, ...pageTwo.rows]).map((r) => r.name)).toEqual(["ana", "ben", "cai"]);

    expect(await myProgress(t.db, ben, await getCommunityForActor(t.db, ben, SLUG))).toEqual({ answered: 1, prompts: 2 });
    expect(await myProgress(t.db, leader, await getCommunityForActor(t.db, leader, SLUG))).toBeNull();

    // Staff read it (product reviewers too); participants and leaders do not.
    expect((await completionTable(t.db, product, SLUG)).canNudge).toBe(false);
    expect((await refusalOf(completionTable(t.db, ana, SLUG))).status).toBe(403);
    expect((await refusalOf(completionTable(t.db, leader, SLUG))).status).toBe(403);
  });

  it("nudges exactly those who have not answered, once a day, even when two runs meet, and records it", async () => {
    setClock(OPENS + 2 * DAY);
    const prompt = await startThread(t.db, moderator, SLUG, { title: "Prompt four", body: "Nudge-worthy.", prompt: { masked: false, appearsAt: null } });
    setClock(OPENS + 2 * DAY + HOUR);
    await replyToThread(t.db, ana, SLUG, prompt.threadId, { body: "Done already" });
    expect((await refusalOf(nudgeNonAnswerers(t.db, product, SLUG, prompt.threadId))).status).toBe(403);
    expect((await refusalOf(nudgeNonAnswerers(t.db, leader, SLUG, prompt.threadId))).status).toBe(403);

    const runs = await Promise.all([nudgeNonAnswerers(t.db, moderator, SLUG, prompt.threadId), nudgeNonAnswerers(t.db, moderator, SLUG, prompt.threadId)]);
    expect(runs.map((r) => r.sent).sort()).toEqual([0, 2]);
    expect(runs.map((r) => r.alreadyToday).sort()).toEqual([0, 2]);
    expect((await nudgesOf(ben)).length).toBe(1);
    expect((await nudgesOf(cai)).length).toBe(1);
    expect((await nudgesOf(ana)).length).toBe(0);
    // Emails went out (default: right away), one each.
    const mail = await t.db.selectFrom("outbox").select("to_address").where("subject", "like", "%Prompt four%is waiting for your answer%").execute();
    expect(mail.map((m) => m.to_address).sort()).toEqual(["ben@example.com", "cai@example.com"]);
    const audit = await t.db.selectFrom("audit_log").select("summary").where("action", "=", "completion.nudge").execute();
    expect(audit.map((a) => a.summary)).toContain('Nudged 2 members to answer "Prompt four" in Completion');

    // Later the same day: nothing more. The next day in Berlin: again, to whoever still has not answered.
    setClock(OPENS + 2 * DAY + 8 * HOUR);
    expect(await nudgeNonAnswerers(t.db, moderator, SLUG, prompt.threadId)).toEqual({ sent: 0, alreadyToday: 2 });
    await replyToThread(t.db, ben, SLUG, prompt.threadId, { body: "Fine, here" });
    setClock(OPENS + 3 * DAY);
    expect(await nudgeNonAnswerers(t.db, moderator, SLUG, prompt.threadId)).toEqual({ sent: 1, alreadyToday: 0 });
    expect((await nudgesOf(cai)).length).toBe(2);
    expect((await nudgesOf(ben)).length).toBe(1);

    // After the community closes, nobody is nudged.
    setClock(CLOSES + HOUR);
    expect((await refusalOf(nudgeNonAnswerers(t.db, moderator, SLUG, prompt.threadId))).status).toBe(403);
  });

  it("counts the polls each participant voted in, filters by a poll not voted in, and puts the column in the CSV", async () => {
    setClock(OPENS + 4 * DAY);
    const polled = await startThread(t.db, moderator, SLUG, { title: "Prompt with a poll", body: "Vote.", prompt: { masked: false, appearsAt: null } });
    setClock(OPENS + 4 * DAY + MINUTE);
    const another = await startThread(t.db, moderator, SLUG, { title: "Another with a poll", body: "Vote again.", prompt: { masked: false, appearsAt: null } });
    // A poll on a prompt participants cannot see yet is not counted.
    setClock(OPENS + 4 * DAY + 2 * MINUTE);
    const later = await startThread(t.db, moderator, SLUG, { title: "A poll for later", body: "Soon.", prompt: { masked: false, appearsAt: toLocalInput(OPENS + 9 * DAY, "Europe/Berlin") } });
    const poll = { options: ["Yes", "No"], choice: "single" as const, allowOther: false, results: "always" as const };
    await createPoll(t.db, moderator, SLUG, polled.threadId, { question: "First poll?", ...poll });
    await createPoll(t.db, moderator, SLUG, another.threadId, { question: "Second poll?", ...poll });
    await createPoll(t.db, moderator, SLUG, later.threadId, { question: "Later poll?", ...poll });
    const optionOf = async (threadId: string) =>
      (await t.db.selectFrom("poll_options").innerJoin("polls", "polls.id", "poll_options.poll_id").select("poll_options.id").where("polls.thread_id", "=", threadId).orderBy("position").executeTakeFirstOrThrow()).id;
    const vote = (who: Actor, threadId: string) => optionOf(threadId).then((optionId) => answerPoll(t.db, who, SLUG, threadId, { choices: [{ optionId, rank: null }], other: null }));
    await vote(ana, polled.threadId);
    await vote(ana, another.threadId);
    await vote(ben, polled.threadId);
    await vote(leader, polled.threadId);

    const table = await completionTable(t.db, moderator, SLUG);
    expect(table.polls.map((p) => [p.number, p.question])).toEqual([
      [1, "First poll?"],
      [2, "Second poll?"],
    ]);
    expect(byName(table.rows).map((r) => [r.name, r.summary.polls])).toEqual([
      ["ana", "2 of 2"],
      ["ben", "1 of 2"],
      ["cai", "0 of 2"],
    ]);
    const notSecond = await completionTable(t.db, moderator, SLUG, { notVoted: table.polls[1]!.id });
    expect(byName(notSecond.rows).map((r) => r.name)).toEqual(["ben", "cai"]);
    const enterpriseNotFirst = await completionTable(t.db, moderator, SLUG, { notVoted: table.polls[0]!.id, segment: "enterprise" });
    expect(enterpriseNotFirst.rows.map((r) => r.name)).toEqual(["cai"]);

    const csv = completionCsvRows(table);
    expect(csv[0]!.slice(-2)).toEqual(["Prompts answered", "Polls voted"]);
    expect(csv.find((row) => row[0] === "ben")!.at(-1)).toBe("1 of 2");
  });
});
