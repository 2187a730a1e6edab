import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { refusalOf } from "#app/lib/testing.ts";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { addMember, createCommunity, getCommunityForActor, publishCommunity } from "#app/features/communities/communities.server.ts";
import { replyToThread, startThread } from "#app/features/discussions/posting.server.ts";
import { castVote, ideaDetails, mergeIdea, submitIdea } from "#app/features/ideas/ideas.server.ts";
import { listNotifications } from "#app/features/notifications/notifications.server.ts";
import { answerSuggestion, createSuggestion, getSuggestion, saveSuggestion, updateSuggestion } from "#app/features/suggestions/suggestions.server.ts";
import { readout } from "#app/features/suggestions/readout.server.ts";
import { listBoard } from "#app/features/suggestions/board.server.ts";
import { DAY, SECOND, advanceClock, resetClock, setClock } from "#app/lib/clock.ts";
import { formatCursor, parseCursor } from "#app/lib/cursor.ts";
import { BOARD_COLUMN, BOARD_PAGE } from "#app/features/suggestions/schemas.ts";
import { dismissItem, listInbox, triageItem } from "./triage.server.ts";
import { listTags, mergeTags, updateTag } from "./tags.server.ts";
import { undoAction } from "./undo.server.ts";

const START = Date.UTC(2026, 6, 6, 8);
const ORIGIN = { siteOrigin: "http://cohort.test" };

describe.each(testEngines())("triage and suggestions on %s", (engine) => {
  let t: TestDatabase;
  let moderator: Actor;
  let product: Actor;
  let n = 0;
  const person = async (role: Actor["role"] = "member"): Promise<Actor> => {
    const { userId } = await createAccount(t.db, { email: `t${++n}@example.com`, displayName: `T${n}`, password: "password!", role });
    return { id: userId, role };
  };

  /** A community with three participants (segments smb, enterprise, enterprise; the first invited from a ticket) and some feedback. */
  async function world() {
    setClock(START - DAY);
    const slug = `triage-${++n}`;
    await createCommunity(t.db, moderator, { name: `Triage ${n}`, slug, purpose: "A community to triage feedback from, at length.", timeZone: "UTC", startsAt: "2026-07-06T08:00", endsAt: "2026-07-20T08:00" });
    await publishCommunity(t.db, moderator, slug);
    const { community } = await getCommunityForActor(t.db, moderator, slug);
    const [a, b, c] = [await person(), await person(), await person()];
    await addMember(t.db, { communityId: community.id, userId: a.id, role: "participant", datesConfirmedAt: 1, source: "Ticket #1", attributes: { segment: "smb" } });
    await addMember(t.db, { communityId: community.id, userId: b.id, role: "leader", datesConfirmedAt: 1, attributes: { segment: "enterprise" } });
    await addMember(t.db, { communityId: community.id, userId: c.id, role: "participant", datesConfirmedAt: 1, attributes: { segment: "enterprise" } });
    // Each world a few minutes after the last, so posting limits never meet.
    setClock(START + DAY + n * 60 * SECOND);
    const { threadId } = await startThread(t.db, a, slug, { title: "Exports are painful", body: "I export three reports and merge them by hand every single Monday morning." });
    advanceClock(10 * SECOND);
    const { replyId } = await replyToThread(t.db, b, slug, threadId, { body: "Same here, and the merged sheet loses the region column." });
    advanceClock(10 * SECOND);
    const { ideaId } = await submitIdea(t.db, c, slug, { title: "One combined report", body: "Combine the three weekly reports." });
    await castVote(t.db, a, slug, ideaId, true);
    await castVote(t.db, b, slug, ideaId, true);
    // Staff posts are not feedback.
    await startThread(t.db, moderator, slug, { title: "Welcome", body: "Hello from the team." });
    return { slug, communityId: community.id, a, b, c, threadId, replyId, ideaId };
  }

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    moderator = await person("moderator");
    product = await person("product");
  });
  afterAll(async () => t.cleanup());
  afterEach(() => resetClock());

  it("lists participants' openers, replies and ideas by passion score with its parts, and filters them", async () => {
    const w = await world();
    const items = await listInbox(t.db, moderator, { state: "untriaged", community: w.slug });
    expect(items.map((i) => [i.kind, i.id]).sort()).toEqual([["reply", w.replyId], ["thread", w.ideaId], ["thread", w.threadId]].sort());
    // The idea has two votes; the reply's author leads; the thread's author is an evangelist.
    const idea = items.find((i) => i.id === w.ideaId)!;
    expect(idea.parts.find((p) => p.key === "votes")).toEqual({ key: "votes", label: "2 votes", points: 6 });
    expect(items.find((i) => i.id === w.replyId)!.parts.find((p) => p.key === "author")).toEqual({ key: "author", label: "author leads discussions", points: 4 });
    expect(items.find((i) => i.id === w.threadId)!.parts.find((p) => p.key === "author")).toEqual({ key: "author", label: "author is an evangelist", points: 2 });
    // The thread was answered by someone else, who says "same here"; it reads what was said.
    const thread = Object.fromEntries(items.find((i) => i.id === w.threadId)!.parts.map((p) => [p.key, p.label]));
    expect(thread).toMatchObject({ replies: "1 reply by others", agreeing: "1 member agreeing" });
    expect(items.map((i) => i.score)).toEqual([...items.map((i) => i.score)].sort((x, y) => y - x));
    expect((await listInbox(t.db, moderator, { state: "untriaged", community: w.slug, segment: "smb" })).map((i) => i.id)).toEqual([w.threadId]);
  });

  it("groups likely duplicates under the strongest item, which merging then folds in", async () => {
    const w = await world();
    advanceClock(30 * SECOND);
    const { ideaId: copy } = await submitIdea(t.db, w.a, w.slug, { title: "One combined report please", body: "Combine the three weekly reports into one." });
    const items = await listInbox(t.db, moderator, { state: "untriaged", community: w.slug });
    expect(items.map((i) => i.id)).not.toContain(copy);
    const leader = items.find((i) => i.id === w.ideaId)!;
    expect(leader.duplicates).toEqual([expect.objectContaining({ id: copy, title: "One combined report please", isIdea: true })]);
    expect(leader.duplicates[0]!.score).toBeLessThan(leader.score);
    await mergeIdea(t.db, moderator, w.slug, copy, w.ideaId);
    const after = await listInbox(t.db, moderator, { state: "untriaged", community: w.slug });
    expect(after.find((i) => i.id === w.ideaId)!.duplicates).toEqual([]);
    expect(after.map((i) => i.id)).not.toContain(copy);
  });

  it("saves a suggestion's owner and status together, and a refused answer saves neither", async () => {
    setClock(START + 3 * DAY);
    const { id } = await createSuggestion(t.db, product, { title: `Save all ${++n}`, problem: "" });
    const details = { title: `Save all ${n}`, problem: "", tagIds: [], ownerId: product.id, staffNotes: "" };
    await saveSuggestion(t.db, product, id, { details, answer: { status: "planned", answer: "", alternative: "", withoutAlternative: false } }, ORIGIN);
    expect((await getSuggestion(t.db, product, id)).suggestion).toMatchObject({ owner_id: product.id, status: "planned" });
    const refused = await refusalOf(
      saveSuggestion(t.db, product, id, { details: { ...details, ownerId: null, title: "Changed" }, answer: { status: "declined", answer: "", alternative: "", withoutAlternative: false } }, ORIGIN),
    );
    expect(refused.status).toBe(422);
    expect((await getSuggestion(t.db, product, id)).suggestion).toMatchObject({ owner_id: product.id, status: "planned", title: `Save all ${n}` });
  });

  it("triages with a highlight, inline tags and a new or existing suggestion; an idea is linked; undo puts it all back", async () => {
    const w = await world();
    const first = await triageItem(t.db, moderator, { kind: "thread", id: w.threadId }, { quote: "merge them by hand", tags: ["Exports", "reporting"], suggestion: `Combined report ${n}` });
    const second = await triageItem(t.db, moderator, { kind: "thread", id: w.ideaId }, { tags: ["exports"], suggestion: `combined REPORT ${n}` });
    const untriaged = await listInbox(t.db, moderator, { state: "untriaged", community: w.slug });
    expect(untriaged.map((i) => i.id)).toEqual([w.replyId]);
    const tags = await listTags(t.db, moderator);
    const exportsTag = tags.find((tag) => tag.name === "Exports")!;
    const triaged = await listInbox(t.db, moderator, { state: "triaged", community: w.slug, tag: exportsTag.id });
    expect(triaged).toHaveLength(2);
    expect(triaged.find((i) => i.id === w.threadId)!.highlights[0]).toMatchObject({ excerpt: "merge them by hand", tags: [{ name: "Exports" }, { name: "reporting" }] });
    // Both point to one suggestion; the idea shows it.
    const suggestionId = triaged[0]!.highlights[0]!.suggestion!.id;
    expect(triaged[1]!.highlights[0]!.suggestion!.id).toBe(suggestionId);
    const view = await getCommunityForActor(t.db, w.c, w.slug);
    expect((await ideaDetails(t.db, w.c, view, w.ideaId))?.suggestion?.status).toBe("new");

    await undoAction(t.db, moderator, second.auditId);
    expect((await ideaDetails(t.db, w.c, view, w.ideaId))?.suggestion).toBeNull();
    await undoAction(t.db, moderator, first.auditId);
    expect((await refusalOf(undoAction(t.db, moderator, first.auditId))).status).toBe(409);
    expect((await listInbox(t.db, moderator, { state: "untriaged", community: w.slug })).map((i) => i.id).sort()).toEqual([w.replyId, w.ideaId, w.threadId].sort());
    // The suggestion and the tags created with it went with the undo.
    expect(await t.db.selectFrom("suggestions").select("id").where("id", "=", suggestionId).execute()).toEqual([]);
    expect((await listTags(t.db, moderator)).map((tag) => tag.name)).not.toContain("reporting");
  });

  it("dismisses with a reason, and undo brings the item back", async () => {
    const w = await world();
    const { auditId } = await dismissItem(t.db, moderator, { kind: "reply", id: w.replyId }, "Already known");
    expect((await listInbox(t.db, moderator, { state: "dismissed", community: w.slug })).map((i) => [i.id, i.reason])).toEqual([[w.replyId, "Already known"]]);
    expect((await refusalOf(dismissItem(t.db, moderator, { kind: "reply", id: w.replyId }, "again"))).status).toBe(409);
    await undoAction(t.db, moderator, auditId);
    expect((await listInbox(t.db, moderator, { state: "untriaged", community: w.slug })).map((i) => i.id)).toContain(w.replyId);
  });

  it("shows evidence and strength by segment; declining needs a reason and asks for an alternative; contributors hear it once", async () => {
    const w = await world();
    const title = `Regions everywhere ${n}`;
    await triageItem(t.db, moderator, { kind: "reply", id: w.replyId }, { tags: [], suggestion: title });
    await triageItem(t.db, moderator, { kind: "thread", id: w.ideaId }, { tags: [], suggestion: title });
    const id = (await t.db.selectFrom("suggestions").select("id").where("title", "=", title).executeTakeFirstOrThrow()).id;
    const page = await getSuggestion(t.db, product, id);
    // Authors b (reply) and c (idea), voters a and b: three people, two votes, one community.
    expect(page.strength).toEqual({ members: 3, votes: 2, communities: 1, quotes: 2 });
    expect(page.bySegment).toEqual([
      { segment: "enterprise", members: 2, votes: 1 },
      { segment: "smb", members: 1, votes: 1 },
    ]);
    expect(page.evidence.map((e) => e.link)).toEqual([expect.stringMatching(new RegExp(`^/c/${w.slug}/t/${w.threadId}\\?from=\\d+\\.${w.replyId}#reply-${w.replyId}$`)), `/c/${w.slug}/t/${w.ideaId}`]);

    expect((await refusalOf(answerSuggestion(t.db, product, id, { status: "declined", answer: "", alternative: "", withoutAlternative: false }, ORIGIN))).message).toBe(
      "Declining needs a reason: tell contributors why in the public answer.",
    );
    expect((await refusalOf(answerSuggestion(t.db, product, id, { status: "declined", answer: "Not this year.", alternative: "", withoutAlternative: false }, ORIGIN))).status).toBe(422);
    const told = await answerSuggestion(t.db, product, id, { status: "declined", answer: "Not this year.", alternative: "Use the regional report's export.", withoutAlternative: false }, ORIGIN);
    expect(told.notified).toBe(3);
    expect(told.emailIds).toHaveLength(3);
    for (const who of [w.a, w.b, w.c]) {
      const notes = (await listNotifications(t.db, who.id)).filter((x) => x.kind === "suggestion.answer");
      expect(notes.map((x) => x.title)).toEqual([`The product team answered feedback you gave: Declined: "${title}"`]);
    }
    const mail = await t.db.selectFrom("outbox").selectAll().where("id", "in", told.emailIds).execute();
    expect(mail[0]!.text_body).toContain("What you can do instead: Use the regional report's export.");
    const view = await getCommunityForActor(t.db, w.c, w.slug);
    expect((await ideaDetails(t.db, w.c, view, w.ideaId))?.suggestion).toMatchObject({ status: "declined", answer: "Not this year." });
    // Saving the same answer again tells nobody twice.
    expect((await answerSuggestion(t.db, product, id, { status: "declined", answer: "Not this year.", alternative: "Use the regional report's export.", withoutAlternative: false }, ORIGIN)).notified).toBe(0);
  });

  it("filters the board by tag, community and status, sorts by strength, and counts tags", async () => {
    const w = await world();
    await triageItem(t.db, moderator, { kind: "thread", id: w.threadId }, { tags: [`board-${n}`], suggestion: `Weak ${n}` });
    await triageItem(t.db, moderator, { kind: "thread", id: w.ideaId }, { tags: [`board-${n}`], suggestion: `Strong ${n}` });
    const tag = (await listTags(t.db, moderator)).find((x) => x.name === `board-${n}`)!;
    const board = await listBoard(t.db, product, { tag: tag.id, community: w.slug, sort: "strength" });
    expect(board.suggestions.map((s) => s.title)).toEqual([`Strong ${n}`, `Weak ${n}`]);
    expect(board.tagCounts.find((x) => x.id === tag.id)?.n).toBe(2);
    expect((await listBoard(t.db, product, { tag: tag.id, status: "shipped", sort: "recent" })).suggestions).toEqual([]);
  });

  it("keeps a suggestion's strength on its row as evidence, votes, merges and undo change it", async () => {
    const w = await world();
    const title = `Kept ${n}`;
    // Evidence from a; then the idea (by c, voted by a and b) is linked.
    const first = await triageItem(t.db, moderator, { kind: "thread", id: w.threadId }, { tags: [], suggestion: title });
    await triageItem(t.db, moderator, { kind: "thread", id: w.ideaId }, { tags: [], suggestion: title });
    const id = (await listBoard(t.db, product, { community: w.slug, sort: "recent" })).suggestions.find((s) => s.title === title)!.id;
    const strength = async () => (await getSuggestion(t.db, product, id)).strength;
    expect(await strength()).toEqual({ members: 3, votes: 2, communities: 1, quotes: 2 });
    await castVote(t.db, w.c, w.slug, w.ideaId, true);
    expect(await strength()).toEqual({ members: 3, votes: 3, communities: 1, quotes: 2 });
    await castVote(t.db, w.b, w.slug, w.ideaId, false);
    // b's vote was b's only tie to it; a still has evidence.
    await castVote(t.db, w.a, w.slug, w.ideaId, false);
    expect(await strength()).toEqual({ members: 2, votes: 1, communities: 1, quotes: 2 });
    await undoAction(t.db, moderator, first.auditId);
    expect(await strength()).toEqual({ members: 1, votes: 1, communities: 1, quotes: 1 });
    // A duplicate idea, voted by a, merged into the linked one brings a's vote along.
    advanceClock(30 * SECOND);
    const duplicate = await submitIdea(t.db, w.b, w.slug, { title: "Combined weekly report", body: "The same wish, asked again." });
    await castVote(t.db, w.a, w.slug, duplicate.ideaId, true);
    await mergeIdea(t.db, moderator, w.slug, duplicate.ideaId, w.ideaId);
    expect(await strength()).toEqual({ members: 2, votes: 2, communities: 1, quotes: 1 });
    const listed = (await listBoard(t.db, product, { community: w.slug, sort: "strength" })).suggestions.find((s) => s.id === id);
    expect(listed?.strength).toEqual({ members: 2, votes: 2, communities: 1, quotes: 1 });
  });

  it("pages the board by key without gaps or repeats, and shows the first of each status as columns", async () => {
    const owner = await person("product");
    const made: string[] = [];
    for (let i = 0; i < BOARD_PAGE + 5; i++) {
      const { id } = await createSuggestion(t.db, owner, { title: `Paged ${n} ${i}`, problem: "" });
      await updateSuggestion(t.db, owner, id, { title: `Paged ${n} ${i}`, problem: "", tagIds: [], ownerId: owner.id, staffNotes: "" });
      made.push(id);
      // Half share a moment, so the id breaks the tie.
      if (i % 2) advanceClock(SECOND);
    }
    const first = await listBoard(t.db, product, { owner: owner.id, sort: "recent" });
    expect(first.suggestions).toHaveLength(BOARD_PAGE);
    expect(first.statusCounts).toEqual({ new: BOARD_PAGE + 5 });
    // The cursor survives the trip through the query string.
    const second = await listBoard(t.db, product, { owner: owner.id, sort: "recent" }, { after: parseCursor(formatCursor(first.next!)) });
    expect(second.next).toBeUndefined();
    const seen = [...first.suggestions, ...second.suggestions];
    expect(new Set(seen.map((s) => s.id))).toEqual(new Set(made));
    expect(seen.map((s) => s.updated_at)).toEqual([...seen.map((s) => s.updated_at)].sort((a, b) => b - a));
    const columns = await listBoard(t.db, product, { owner: owner.id, sort: "strength" }, { columns: true });
    expect(columns.suggestions).toHaveLength(BOARD_COLUMN);
    expect(columns.next).toBeUndefined();
    expect((await listBoard(t.db, product, { owner: owner.id, sort: "recent" }, { all: true })).suggestions).toHaveLength(BOARD_PAGE + 5);
  });

  it("undoes a suggestion's creation, edit and status from the audit log", async () => {
    const created = await createSuggestion(t.db, product, { title: `Undo me ${n}`, problem: "" });
    await updateSuggestion(t.db, product, created.id, { title: `Renamed ${n}`, problem: "p", tagIds: [], ownerId: product.id, staffNotes: "secret" });
    await answerSuggestion(t.db, product, created.id, { status: "planned", answer: "", alternative: "", withoutAlternative: false }, ORIGIN);
    const entries = await t.db.selectFrom("audit_log").select(["id", "action"]).where("actor_id", "=", product.id).orderBy("created_at", "desc").orderBy("id", "desc").limit(3).execute();
    const byAction = Object.fromEntries(entries.map((e) => [e.action, e.id]));
    await undoAction(t.db, product, byAction["suggestion.status"]!);
    await undoAction(t.db, product, byAction["suggestion.update"]!);
    expect(await t.db.selectFrom("suggestions").select(["title", "status", "owner_id", "staff_notes"]).where("id", "=", created.id).executeTakeFirst()).toEqual({ title: `Undo me ${n}`, status: "new", owner_id: null, staff_notes: null });
    await undoAction(t.db, product, byAction["suggestion.create"]!);
    expect(await t.db.selectFrom("suggestions").select("id").where("id", "=", created.id).execute()).toEqual([]);
    // Moderators' triage undo is not a product reviewer's to use.
    expect((await refusalOf(listInbox(t.db, product, { state: "untriaged" }))).status).toBe(403);
  });

  it("renames and merges tags, and undoes a merge", async () => {
    const w = await world();
    await triageItem(t.db, moderator, { kind: "thread", id: w.threadId }, { tags: [`dup-${n}`], suggestion: undefined });
    await triageItem(t.db, moderator, { kind: "reply", id: w.replyId }, { tags: [`keep-${n}`] });
    const tags = await listTags(t.db, moderator);
    const dup = tags.find((x) => x.name === `dup-${n}`)!;
    const keep = tags.find((x) => x.name === `keep-${n}`)!;
    await updateTag(t.db, moderator, keep.id, { name: `Kept ${n}`, color: "green", description: "The one to keep" });
    expect((await refusalOf(updateTag(t.db, moderator, dup.id, { name: `kept ${n}`, color: "red", description: "" }))).status).toBe(409);
    await mergeTags(t.db, moderator, dup.id, keep.id);
    expect((await listInbox(t.db, moderator, { state: "triaged", community: w.slug, tag: keep.id })).map((i) => i.id).sort()).toEqual([w.replyId, w.threadId].sort());
    const entry = await t.db.selectFrom("audit_log").select("id").where("action", "=", "tag.merge").orderBy("created_at", "desc").executeTakeFirstOrThrow();
    await undoAction(t.db, moderator, entry.id);
    expect((await listInbox(t.db, moderator, { state: "triaged", community: w.slug, tag: dup.id })).map((i) => i.id)).toEqual([w.threadId]);
    expect((await listInbox(t.db, moderator, { state: "triaged", community: w.slug, tag: keep.id })).map((i) => i.id)).toEqual([w.replyId]);
  });

  it("opens a readout to members when the community closes, with what their input fed", async () => {
    const w = await world();
    await triageItem(t.db, moderator, { kind: "thread", id: w.threadId }, { quote: "merge them by hand", tags: [], suggestion: `Readout ${n}` });
    expect((await refusalOf(readout(t.db, w.a, w.slug))).message).toBe("The readout opens when the community closes.");
    setClock(Date.UTC(2026, 6, 20, 8));
    const page = await readout(t.db, w.a, w.slug);
    expect(page.suggestions.map((s) => [s.title, s.yours])).toEqual([[`Readout ${n}`, ["merge them by hand"]]]);
  });

  it("keeps triage and suggestions from participants (404) and triage from product reviewers (403)", async () => {
    const w = await world();
    for (const attempt of [listInbox(t.db, w.a, { state: "untriaged" }), listBoard(t.db, w.a, { sort: "recent" }), getSuggestion(t.db, w.a, "x"), triageItem(t.db, w.a, { kind: "thread", id: w.threadId }, { tags: [] })]) {
      expect((await refusalOf(attempt)).status).toBe(404);
    }
    expect((await refusalOf(listInbox(t.db, product, { state: "untriaged" }))).status).toBe(403);
  });
});
