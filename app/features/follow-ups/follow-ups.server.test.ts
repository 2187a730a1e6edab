import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { refusalOf } from "#app/lib/testing.ts";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { DAY, resetClock, setClock } from "#app/lib/clock.ts";
import { toLocalInput } from "#app/lib/dates.ts";
import { addMember, createCommunity, getCommunityForActor, publishCommunity } from "#app/features/communities/communities.server.ts";
import { readThread } from "#app/features/discussions/reading.server.ts";
import { replyToThread, startThread } from "#app/features/discussions/posting.server.ts";
import { search } from "#app/features/search/search.server.ts";
import { answerFollowUp, askFollowUp, followUpsInThread, listOpenFollowUps, needingMyReply, readFollowUp } from "./follow-ups.server.ts";

const OPENS = Date.UTC(2026, 2, 1, 9);
const CLOSES = OPENS + 15 * DAY;

describe.each(testEngines())("private follow-ups on %s", (engine) => {
  let t: TestDatabase;
  let moderator: Actor, product: Actor, lena: Actor, sam: Actor, leader: Actor;
  const person = async (role: Actor["role"], name: string): Promise<Actor> => {
    const { userId } = await createAccount(t.db, { email: `${name}@example.com`, displayName: name, password: "password!", role });
    return { id: userId, role };
  };

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    moderator = await person("moderator", "mod");
    product = await person("product", "priya");
    lena = await person("member", "lena");
    sam = await person("member", "sam");
    leader = await person("member", "leo");
    setClock(OPENS - 10 * DAY);
    await createCommunity(t.db, moderator, { name: "Follow ups", slug: "follow-ups-study", purpose: "A study with follow-up questions.", timeZone: "Europe/Berlin", startsAt: toLocalInput(OPENS, "Europe/Berlin"), endsAt: toLocalInput(CLOSES, "Europe/Berlin") });
    await publishCommunity(t.db, moderator, "follow-ups-study");
    const { community } = await getCommunityForActor(t.db, moderator, "follow-ups-study");
    for (const who of [lena, sam]) await addMember(t.db, { communityId: community.id, userId: who.id, role: "participant", datesConfirmedAt: 1 });
    await addMember(t.db, { communityId: community.id, userId: leader.id, role: "leader", datesConfirmedAt: 1 });
  });
  afterAll(async () => t.cleanup());
  afterEach(() => resetClock());

  it("only the participant, staff and leaders read a follow-up; the answer stays out of the thread, search and counts for others", async () => {
    setClock(OPENS + DAY);
    const { threadId } = await startThread(t.db, moderator, "follow-ups-study", { title: "How do you export?", body: "Tell us.", prompt: { masked: false, appearsAt: null } });
    setClock(OPENS + DAY + 60_000);
    const { replyId } = await replyToThread(t.db, lena, "follow-ups-study", threadId, { body: "I export every Monday to a spreadsheet." });

    // Participants do not ask follow-ups; nobody asks one of themselves or of staff.
    expect((await refusalOf(askFollowUp(t.db, sam, "follow-ups-study", threadId, { kind: "reply", id: replyId }, { question: "Why?" }))).status).toBe(403);
    expect((await refusalOf(askFollowUp(t.db, moderator, "follow-ups-study", threadId, { kind: "thread", id: threadId }, { question: "Why?" }))).status).toBe(403);

    const { followUpId } = await askFollowUp(t.db, leader, "follow-ups-study", threadId, { kind: "reply", id: replyId }, { question: "Which **spreadsheet** tool?" });
    const told = await t.db.selectFrom("notifications").select(["kind", "link"]).where("user_id", "=", lena.id).where("kind", "=", "follow-up.asked").execute();
    expect(told).toEqual([{ kind: "follow-up.asked", link: `/follow-ups/${followUpId}` }]);
    expect((await needingMyReply(t.db, lena)).map((f) => f.id)).toEqual([followUpId]);
    expect(await needingMyReply(t.db, sam)).toEqual([]);

    // Another participant: the same 404 as an id that does not exist; product reviewers (staff) read it.
    expect((await refusalOf(readFollowUp(t.db, sam, followUpId))).status).toBe(404);
    expect((await refusalOf(readFollowUp(t.db, sam, "no-such-id"))).message).toBe((await refusalOf(readFollowUp(t.db, sam, followUpId))).message);
    expect((await readFollowUp(t.db, product, followUpId)).questionHtml).toContain("<strong>spreadsheet</strong>");
    expect((await readFollowUp(t.db, lena, followUpId)).canAnswer).toBe(true);
    expect((await readFollowUp(t.db, moderator, followUpId)).canAnswer).toBe(false);
    const samView = await getCommunityForActor(t.db, sam, "follow-ups-study");
    expect(await followUpsInThread(t.db, sam, samView, threadId)).toEqual([]);

    // The moderator's list, oldest first; a participant has none (404).
    expect((await listOpenFollowUps(t.db, moderator)).followUps.map((f) => f.id)).toEqual([followUpId]);
    expect((await listOpenFollowUps(t.db, leader)).followUps.map((f) => f.id)).toEqual([followUpId]);
    expect((await refusalOf(listOpenFollowUps(t.db, sam))).status).toBe(404);

    // Only lena answers, once.
    expect((await refusalOf(answerFollowUp(t.db, sam, followUpId, { body: "Me too" }))).status).toBe(404);
    setClock(OPENS + DAY + 120_000);
    const { replyId: answerId } = await answerFollowUp(t.db, lena, followUpId, { body: "LibreOffice Calc, with a pivot table." });
    setClock(OPENS + DAY + 180_000);
    expect((await refusalOf(answerFollowUp(t.db, lena, followUpId, { body: "Again" }))).status).toBe(403);
    expect((await listOpenFollowUps(t.db, moderator)).followUps).toEqual([]);
    expect(await needingMyReply(t.db, lena)).toEqual([]);
    expect((await readFollowUp(t.db, moderator, followUpId)).answer?.bodyHtml).toContain("pivot table");

    // Sam's view of the thread: one reply, no private answer, nothing in search.
    const samThread = await readThread(t.db, sam, "follow-ups-study", threadId);
    expect(samThread.thread.reply_count).toBe(1);
    expect(samThread.replies.map((r) => r.id)).toEqual([replyId]);
    expect(await search(t.db, sam, "pivot")).toEqual([]);
    // Lena and staff find it, and the result opens the follow-up's own page.
    expect((await search(t.db, lena, "pivot")).map((r) => r.link)).toEqual([`/follow-ups/${followUpId}`]);
    expect((await search(t.db, moderator, "pivot")).map((r) => r.link)).toEqual([`/follow-ups/${followUpId}`]);
    // The answer is an ordinary reply row for triage, marked as private.
    const row = await t.db.selectFrom("replies").select(["follow_up_id", "author_id"]).where("id", "=", answerId).executeTakeFirstOrThrow();
    expect(row).toEqual({ follow_up_id: followUpId, author_id: lena.id });
  });
});
