import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { refusalOf } from "#app/lib/testing.ts";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { addMember, createCommunity, getCommunityForActor, publishCommunity } from "#app/features/communities/communities.server.ts";
import { listThreads, readThread } from "#app/features/discussions/reading.server.ts";
import { DAY, SECOND, advanceClock, resetClock, setClock } from "#app/lib/clock.ts";
import { castVote, ideaDetails, listIdeas, mergeIdea, similarIdeas, sortsFor, submitIdea, voteBudget } from "./ideas.server.ts";
import { moderatePost } from "#app/features/discussions/moderating.server.ts";

const START = Date.UTC(2026, 4, 4, 8);

describe.each(testEngines())("ideas and votes on %s", (engine) => {
  let t: TestDatabase;
  let moderator: Actor;
  let n = 0;
  const person = async (role: Actor["role"] = "member"): Promise<Actor> => {
    const { userId } = await createAccount(t.db, { email: `i${++n}@example.com`, displayName: `I${n}`, password: "password!", role });
    return { id: userId, role };
  };
  async function community(options: { budget?: number; hidden?: boolean; shuffled?: boolean } = {}) {
    setClock(START - DAY);
    const slug = `ideas-${++n}`;
    await createCommunity(t.db, moderator, {
      name: "Ideas",
      slug,
      purpose: "A community to collect ideas in, at length.",
      timeZone: "UTC",
      startsAt: "2026-05-04T08:00",
      endsAt: "2026-05-18T08:00",
      voteBudget: options.budget,
      hideVoteCounts: options.hidden,
      randomIdeaOrder: options.shuffled,
    });
    await publishCommunity(t.db, moderator, slug);
    const { community: row } = await getCommunityForActor(t.db, moderator, slug);
    const members = await Promise.all([person(), person(), person()]);
    for (const m of members) await addMember(t.db, { communityId: row.id, userId: m.id, role: "participant", datesConfirmedAt: 1 });
    setClock(START + DAY);
    return { slug, id: row.id, members: members as [Actor, Actor, Actor] };
  }
  /** Ideas posted by different members so posting limits stay out of the way. */
  async function ideas(slug: string, authors: Actor[], titles: string[]) {
    const ids: string[] = [];
    for (const [i, title] of titles.entries()) {
      ids.push((await submitIdea(t.db, authors[i % authors.length]!, slug, { title, body: `Why ${title}` })).ideaId);
      advanceClock(20 * SECOND);
    }
    return ids;
  }

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    moderator = await person("moderator");
  });
  afterAll(async () => t.cleanup());
  afterEach(() => resetClock());

  it("offers the most similar ideas of the community while a member writes one, from the search index", async () => {
    const { slug, members } = await community();
    const other = await community();
    const [darkMode, exportCsv, calendar] = await ideas(slug, members, ["Dark mode for the dashboard", "Export reports to CSV", "Calendar sync with Outlook"]);
    // The same wording in another community is never offered here.
    await ideas(other.slug, other.members, ["Dark mode for the dashboard"]);
    const offered = await similarIdeas(t.db, members[0], slug, { title: "A dark mode for the dashboard please", body: "My eyes hurt at night." });
    expect(offered.map((o) => o.id)).toEqual([darkMode]);
    expect(offered[0]).toMatchObject({ title: "Dark mode for the dashboard", voted: false, canVote: true });
    expect((await similarIdeas(t.db, members[1], slug, { title: "CSV export of the reports", body: "" })).map((o) => o.id)).toEqual([exportCsv]);
    // Unrelated drafts get nothing; merged and hidden ideas are not offered.
    expect(await similarIdeas(t.db, members[0], slug, { title: "Faster page loads", body: "Everything is slow." })).toEqual([]);
    await mergeIdea(t.db, moderator, slug, darkMode!, calendar!);
    expect(await similarIdeas(t.db, members[0], slug, { title: "A dark mode for the dashboard please", body: "" })).toEqual([]);
    await moderatePost(t.db, moderator, slug, exportCsv!, { kind: "thread", id: exportCsv! }, "hide");
    expect(await similarIdeas(t.db, members[1], slug, { title: "CSV export of the reports", body: "" })).toEqual([]);
    // Someone outside the community is refused.
    const stranger = await person();
    await expect(similarIdeas(t.db, stranger, slug, { title: "Dark mode", body: "" })).rejects.toThrow();
  });

  it("gives each idea its own discussion, kept out of the thread list", async () => {
    const { slug, members } = await community();
    const [ideaId] = await ideas(slug, members, ["Combined export"]);
    const page = await readThread(t.db, members[1], slug, ideaId!);
    expect(page.thread.kind).toBe("idea");
    const view = await getCommunityForActor(t.db, members[1], slug);
    expect((await listThreads(t.db, members[1], view)).threads).toEqual([]);
    expect((await listIdeas(t.db, members[1], view, { sort: "new" })).ideas.map((i) => i.title)).toEqual(["Combined export"]);
  });

  // On PostgreSQL the pool runs these on up to 20 connections at once. On SQLite one process
  // has one connection, so they interleave between statements; the journeys in
  // e2e/ideas.spec.ts race real requests across two server processes on one file.
  it("leaves exactly one vote after 50 simultaneous votes by one member", async () => {
    const { slug, members } = await community({ budget: 3 });
    const [ideaId] = await ideas(slug, members, ["Dark mode"]);
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => castVote(t.db, members[0], slug, ideaId!, true)));
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const rows = await t.db.selectFrom("votes").selectAll().where("idea_id", "=", ideaId!).execute();
    expect(rows).toHaveLength(1);
    const view = await getCommunityForActor(t.db, members[0], slug);
    expect((await listIdeas(t.db, members[0], view, { sort: "top" })).ideas[0]).toMatchObject({ votes: 1, voted: true });
    expect(await voteBudget(t.db, members[0], view)).toEqual({ left: 2, budget: 3 });
  });

  it("keeps to the vote budget under simultaneous votes on different ideas, and a removed vote comes back", async () => {
    const { slug, members } = await community({ budget: 2 });
    const ids = await ideas(slug, members, ["A idea", "B idea", "C idea", "D idea", "E idea"]);
    const results = await Promise.allSettled(ids.map((id) => castVote(t.db, members[1], slug, id, true)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason.message).toBe("You have used all 2 of your votes. Take one back from another idea to vote for this one.");
    expect(await t.db.selectFrom("votes").selectAll().where("user_id", "=", members[1].id).execute()).toHaveLength(2);
    const voted = (await t.db.selectFrom("votes").select("idea_id").where("user_id", "=", members[1].id).execute()).map((v) => v.idea_id);
    const view = await getCommunityForActor(t.db, members[1], slug);
    expect(await voteBudget(t.db, members[1], view)).toEqual({ left: 0, budget: 2 });
    await castVote(t.db, members[1], slug, voted[0]!, false);
    expect(await voteBudget(t.db, members[1], view)).toEqual({ left: 1, budget: 2 });
    const free = ids.find((id) => !voted.includes(id))!;
    await expect(castVote(t.db, members[1], slug, free, true)).resolves.toMatchObject({ voted: true, left: 0 });
    // Unvoting what was never voted changes nothing.
    await castVote(t.db, members[1], slug, voted[0]!, false);
    expect(await voteBudget(t.db, members[1], view)).toEqual({ left: 0, budget: 2 });
  });

  it("hides counts and vote-ordered sorts from participants until close, never from staff", async () => {
    const { slug, members } = await community({ hidden: true, shuffled: true });
    const [first] = await ideas(slug, members, ["Hidden one", "Hidden two"]);
    await castVote(t.db, members[2], slug, first!, true);
    const participantView = await getCommunityForActor(t.db, members[0], slug);
    expect(sortsFor(members[0], participantView)).toEqual({ sorts: ["shuffled", "new"], initial: "shuffled" });
    const page = await listIdeas(t.db, members[0], participantView, { sort: "shuffled" });
    expect(page.ideas.map((i) => i.votes)).toEqual([null, null]);
    expect((await ideaDetails(t.db, members[0], participantView, first!))?.votes).toBeNull();
    const staffView = await getCommunityForActor(t.db, moderator, slug);
    expect(sortsFor(moderator, staffView).sorts).toContain("top");
    expect((await listIdeas(t.db, moderator, staffView, { sort: "top" })).ideas[0]).toMatchObject({ title: "Hidden one", votes: 1 });
    setClock(Date.UTC(2026, 4, 18, 8)); // closed
    const closedView = await getCommunityForActor(t.db, members[0], slug);
    expect((await listIdeas(t.db, members[0], closedView, { sort: "top" })).ideas.map((i) => i.votes)).toEqual([1, 0]);
  });

  it("shuffles ideas in a stable order per member, different between members, and pages by key", async () => {
    const { slug, members } = await community({ shuffled: true });
    const titles = Array.from({ length: 35 }, (_, i) => `Idea ${i}`);
    await ideas(slug, members, titles);
    const orderFor = async (who: Actor) => {
      const view = await getCommunityForActor(t.db, who, slug);
      const first = await listIdeas(t.db, who, view, { sort: "shuffled" });
      const second = await listIdeas(t.db, who, view, { sort: "shuffled", after: first.next! });
      expect(second.next).toBeNull();
      return [...first.ideas, ...second.ideas].map((i) => i.title);
    };
    const a = await orderFor(members[0]);
    expect(new Set(a).size).toBe(35);
    expect(await orderFor(members[0])).toEqual(a);
    expect(await orderFor(members[1])).not.toEqual(a);
  });

  it("sorts by top, new and trending (votes in the last 7 days)", async () => {
    const { slug, members } = await community();
    const [old, fresh] = await ideas(slug, members, ["Old favourite", "Fresh one"]);
    const voters = [...members, await person(), await person()];
    const { community: row } = await getCommunityForActor(t.db, moderator, slug);
    for (const v of voters.slice(3)) await addMember(t.db, { communityId: row.id, userId: v.id, role: "participant", datesConfirmedAt: 1 });
    for (const v of voters.slice(0, 3)) await castVote(t.db, v, slug, old!, true);
    advanceClock(8 * DAY);
    for (const v of voters.slice(3)) await castVote(t.db, v, slug, fresh!, true);
    const view = await getCommunityForActor(t.db, members[0], slug);
    const titles = async (sort: "top" | "new" | "trending") => (await listIdeas(t.db, members[0], view, { sort })).ideas.map((i) => i.title);
    expect(await titles("top")).toEqual(["Old favourite", "Fresh one"]);
    expect(await titles("new")).toEqual(["Fresh one", "Old favourite"]);
    expect(await titles("trending")).toEqual(["Fresh one", "Old favourite"]);
  });

  it("merges a duplicate: votes move over, a member who voted for both counts once and gets a vote back", async () => {
    const { slug, members } = await community({ budget: 5 });
    const [keep, dupe] = await ideas(slug, members, ["Export to Excel", "Excel export please"]);
    await castVote(t.db, members[0], slug, keep!, true);
    await castVote(t.db, members[0], slug, dupe!, true);
    await castVote(t.db, members[1], slug, dupe!, true);
    expect((await refusalOf(mergeIdea(t.db, members[2], slug, dupe!, keep!))).status).toBe(403);
    await mergeIdea(t.db, moderator, slug, dupe!, keep!);
    const votes = await t.db.selectFrom("votes").select(["idea_id", "user_id"]).where("idea_id", "in", [keep!, dupe!]).execute();
    expect(votes.filter((v) => v.idea_id === keep).map((v) => v.user_id).sort()).toEqual([members[0].id, members[1].id].sort());
    expect(votes.filter((v) => v.idea_id === dupe)).toEqual([]);
    const view = await getCommunityForActor(t.db, members[0], slug);
    expect(await voteBudget(t.db, members[0], view)).toEqual({ left: 4, budget: 5 });
    expect((await listIdeas(t.db, members[0], view, { sort: "top" })).ideas.map((i) => [i.title, i.votes])).toEqual([["Export to Excel", 2]]);
    const merged = await ideaDetails(t.db, members[1], view, dupe!);
    expect(merged).toMatchObject({ mergedInto: { id: keep, title: "Export to Excel" }, canVote: false });
    // Its discussion stays readable, and closed to new replies.
    const page = await readThread(t.db, members[1], slug, dupe!);
    expect(page.replyRefusal).toBe("This thread is locked; it takes no new replies.");
    expect((await refusalOf(castVote(t.db, members[2], slug, dupe!, true))).status).toBe(409);
  });

  it("refuses votes outside the open phase, by staff who are not members, and for another community's idea", async () => {
    const { slug, members } = await community();
    const other = await community();
    const [ideaId] = await ideas(slug, members, ["Somewhere"]);
    expect((await refusalOf(castVote(t.db, moderator, slug, ideaId!, true))).message).toBe("Only the community's members vote on its ideas.");
    expect((await refusalOf(castVote(t.db, other.members[0], other.slug, ideaId!, true))).status).toBe(404);
    setClock(Date.UTC(2026, 4, 18, 8));
    expect((await refusalOf(castVote(t.db, members[0], slug, ideaId!, true))).status).toBe(403);
    expect(await t.db.selectFrom("votes").selectAll().where("idea_id", "=", ideaId!).execute()).toEqual([]);
  });

  it("takes no votes for an idea a moderator hid, and gives a vote back when taken back (issue 14)", async () => {
    const { slug, members } = await community({ budget: 3 });
    const [idea] = await ideas(slug, [members[0]], ["Hidden soon"]);
    await castVote(t.db, members[2], slug, idea!, true);
    const { moderatePost } = await import("#app/features/discussions/moderating.server.ts");
    await moderatePost(t.db, moderator, slug, idea!, { kind: "thread", id: idea! }, "hide");
    const refusal = await refusalOf(castVote(t.db, members[1], slug, idea!, true));
    expect(refusal.status).toBe(403);
    expect(refusal.message).toBe("A moderator hid this idea; it takes no votes.");
    const view = await getCommunityForActor(t.db, members[1], slug);
    expect(await voteBudget(t.db, members[1], view)).toEqual({ left: 3, budget: 3 });
    expect((await ideaDetails(t.db, members[1], view, idea!))!.canVote).toBe(false);
    // The list says the same: no button for a new vote, but the voter can still take hers back.
    const listed = async (member: Actor) => (await listIdeas(t.db, member, await getCommunityForActor(t.db, member, slug), { sort: "new" })).ideas.find((i) => i.id === idea)!;
    expect((await listed(members[1])).canVote).toBe(false);
    expect(await listed(members[2])).toMatchObject({ voted: true, canVote: true });
    // The member who had voted gets the vote back for another idea.
    await castVote(t.db, members[2], slug, idea!, false);
    expect(await voteBudget(t.db, members[2], await getCommunityForActor(t.db, members[2], slug))).toEqual({ left: 3, budget: 3 });
    const row = await t.db.selectFrom("ideas").select("vote_count").where("thread_id", "=", idea!).executeTakeFirstOrThrow();
    expect(row.vote_count).toBe(0);
  });

});
