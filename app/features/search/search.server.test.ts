import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { addMember, createCommunity, getCommunityForActor, publishCommunity } from "#app/features/communities/communities.server.ts";
import { editPost, removeOwnPost, replyToThread, startThread } from "#app/features/discussions/posting.server.ts";
import { moderatePost } from "#app/features/discussions/moderating.server.ts";
import { submitIdea } from "#app/features/ideas/ideas.server.ts";
import { createSuggestion } from "#app/features/suggestions/suggestions.server.ts";
import { DAY, SECOND, advanceClock, resetClock, setClock } from "#app/lib/clock.ts";
import { MARK_END, MARK_START } from "./marks.ts";
import { search, searchTerms } from "./search.server.ts";

const START = Date.UTC(2026, 9, 5, 8);

describe("search terms", () => {
  it("keeps only words, so nothing typed is query syntax", () => {
    expect(searchTerms(`"export" OR NEAR(x) -dashboard* 'Café'`)).toEqual(["export", "or", "near", "x", "dashboard", "café"]);
    expect(searchTerms("   ")).toEqual([]);
  });
});

describe.each(testEngines())("search on %s", (engine) => {
  let t: TestDatabase;
  let moderator: Actor;
  let leader: Actor;
  let member: Actor;
  let outsider: Actor;
  let product: Actor;
  const account = async (name: string, role: Actor["role"]) => {
    const { userId } = await createAccount(t.db, { email: `${name}@example.com`, displayName: name, password: "password!", role });
    return { id: userId, role };
  };
  const community = async (slug: string, members: [Actor, "participant" | "leader"][]) => {
    await createCommunity(t.db, moderator, { name: slug, slug, purpose: "A community for searching in, at length.", timeZone: "UTC", startsAt: "2026-10-05T08:00", endsAt: "2026-10-20T08:00" });
    await publishCommunity(t.db, moderator, slug);
    const { community: row } = await getCommunityForActor(t.db, moderator, slug);
    for (const [who, role] of members) await addMember(t.db, { communityId: row.id, userId: who.id, role, datesConfirmedAt: 1 });
  };
  const titles = async (who: Actor, q: string) => (await search(t.db, who, q)).map((r) => `${r.kind}:${r.title.replaceAll(MARK_START, "").replaceAll(MARK_END, "")}`);

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    moderator = await account("mod", "moderator");
    product = await account("prod", "product");
    leader = await account("lead", "member");
    member = await account("mem", "member");
    outsider = await account("out", "member");
    setClock(START - DAY);
    await community("ours", [
      [leader, "leader"],
      [member, "participant"],
    ]);
    await community("theirs", [[outsider, "participant"]]);
  });
  afterAll(async () => t.cleanup());
  afterEach(() => resetClock());

  it("returns only what the reader's communities hold, ranked, with the matches marked; staff see everything and suggestions", async () => {
    setClock(START + DAY);
    await startThread(t.db, member, "ours", { title: "Spreadsheet exports everywhere", body: "We export spreadsheets every Monday." });
    await startThread(t.db, outsider, "theirs", { title: "Secret spreadsheet plans", body: "Not for the other community." });
    await submitIdea(t.db, leader, "ours", { title: "Native spreadsheet connector", body: "Connect to the sheet directly." });
    await createSuggestion(t.db, product, { title: "Spreadsheet-ready exports", problem: "People re-type exports." });

    expect((await titles(member, "spreadsheet")).sort()).toEqual(["idea:Native spreadsheet connector", "thread:Spreadsheet exports everywhere"]);
    expect(await titles(outsider, "spreadsheet")).toEqual(["thread:Secret spreadsheet plans"]);
    expect((await titles(product, "spreadsheet")).sort()).toEqual(["idea:Native spreadsheet connector", "suggestion:Spreadsheet-ready exports", "thread:Secret spreadsheet plans", "thread:Spreadsheet exports everywhere"]);
    // Marked, and every word must match (as a prefix).
    const [hit] = await search(t.db, member, "spreadsh monday");
    expect(hit?.title).toContain(`${MARK_START}Spreadsheet${MARK_END}`);
    expect(hit?.snippet).toContain(`${MARK_START}Monday${MARK_END}`);
    expect(await titles(member, "spreadsheet nonexistentword")).toEqual([]);
  });

  it("follows edits and removals, and keeps a masked prompt's answers and scheduled prompts from participants", async () => {
    setClock(START + 2 * DAY);
    const { threadId } = await startThread(t.db, member, "ours", { title: "Typo in the dashbord", body: "The dashbord loads slowly." });
    expect(await titles(member, "dashbord")).toEqual(["thread:Typo in the dashbord"]);
    await editPost(t.db, member, "ours", threadId, { kind: "thread", id: threadId }, { title: "Slow dashboard", body: "The dashboard loads slowly." });
    expect(await titles(member, "dashbord")).toEqual([]);
    expect(await titles(member, "dashboard")).toEqual(["thread:Slow dashboard"]);
    advanceClock(10 * SECOND);
    const { replyId } = await replyToThread(t.db, leader, "ours", threadId, { body: "Zebrafish loads fine for me." });
    expect(await titles(member, "zebrafish")).toEqual(["reply:Reply in “Slow dashboard”"]);
    await moderatePost(t.db, moderator, "ours", threadId, { kind: "reply", id: replyId }, "hide");
    expect(await titles(member, "zebrafish")).toEqual([]);
    await removeOwnPost(t.db, member, "ours", threadId, { kind: "thread", id: threadId });
    expect(await titles(member, "dashboard")).toEqual([]);

    advanceClock(20 * SECOND);
    const masked = await startThread(t.db, leader, "ours", { title: "Masked question", body: "Answer first.", prompt: { masked: true, appearsAt: null } });
    advanceClock(10 * SECOND);
    await replyToThread(t.db, leader, "ours", masked.threadId, { body: "Quokka is my answer." });
    expect(await titles(member, "quokka")).toEqual([]);
    expect(await titles(product, "quokka")).toEqual(["reply:Reply in “Masked question”"]);
    advanceClock(10 * SECOND);
    await replyToThread(t.db, member, "ours", masked.threadId, { body: "Mine is different." });
    expect(await titles(member, "quokka")).toEqual(["reply:Reply in “Masked question”"]);

    advanceClock(20 * SECOND);
    await startThread(t.db, leader, "ours", { title: "Tomorrow's platypus prompt", body: "Soon.", prompt: { masked: false, appearsAt: "2026-10-08T09:00" } });
    expect(await titles(member, "platypus")).toEqual([]);
    expect(await titles(leader, "platypus")).toEqual(["prompt:Tomorrow's platypus prompt"]);
    setClock(Date.UTC(2026, 9, 8, 9));
    expect(await titles(member, "platypus")).toEqual(["prompt:Tomorrow's platypus prompt"]);
  });
});
