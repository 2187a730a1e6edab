import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { refusalOf } from "#app/lib/testing.ts";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { addMember, createCommunity, getCommunityForActor, publishCommunity } from "#app/features/communities/communities.server.ts";
import { DAY, SECOND, advanceClock, now, resetClock, setClock } from "#app/lib/clock.ts";
import { listNotifications, unreadCount } from "#app/features/notifications/notifications.server.ts";
import { editPost, removeOwnPost, replyToThread, startThread } from "./posting.server.ts";
import { flagPost, moderatePost, setThreadState } from "./moderating.server.ts";
import { listThreads, postSource, readThread } from "./reading.server.ts";

const START = Date.UTC(2026, 2, 3, 8);


describe.each(testEngines())("discussions on %s", (engine) => {
  let t: TestDatabase;
  let moderator: Actor;
  let member: Actor;
  let other: Actor;
  let product: Actor;
  let n = 0;
  const person = async (role: Actor["role"]): Promise<Actor> => {
    const { userId } = await createAccount(t.db, { email: `p${++n}@example.com`, displayName: `P${n}`, password: "password!", role });
    return { id: userId, role };
  };
  async function community(): Promise<{ slug: string; id: string }> {
    setClock(START - DAY);
    const slug = `talk-${++n}`;
    await createCommunity(t.db, moderator, { name: "Talk", slug, purpose: "A community to talk in, at length.", timeZone: "UTC", startsAt: "2026-03-03T08:00", endsAt: "2026-03-17T08:00" });
    await publishCommunity(t.db, moderator, slug);
    const { community } = await getCommunityForActor(t.db, moderator, slug);
    await addMember(t.db, { communityId: community.id, userId: member.id, role: "participant", datesConfirmedAt: 1 });
    return { slug, id: community.id };
  }

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    moderator = await person("moderator");
    member = await person("member");
    other = await person("member");
    product = await person("product");
  });
  afterAll(async () => {
    await t.cleanup();
  });
  afterEach(() => resetClock());

  it("refuses a participant's thread before opening and after closing with a clear message, writing nothing", async () => {
    const { slug, id } = await community();
    setClock(START - 1000);
    expect((await refusalOf(startThread(t.db, member, slug, { title: "Too early", body: "Hi" }))).message).toBe(
      "This community opens on Tuesday, 3 March 2026 at 08:00 UTC; you can take part from then.",
    );
    setClock(START + 14 * DAY);
    const closed = await refusalOf(startThread(t.db, member, slug, { title: "Too late", body: "Hi" }));
    expect(closed.status).toBe(403);
    expect(closed.message).toBe("This community closed on 17 March 2026; it is read only.");
    expect(await t.db.selectFrom("threads").selectAll().where("community_id", "=", id).execute()).toEqual([]);
  });

  it("lets members post and reply while open, renders Markdown safely, and keeps counts", async () => {
    const { slug, id } = await community();
    setClock(START);
    const { threadId } = await startThread(t.db, member, slug, { title: "Exports", body: "We **always** export <script>x</script>" });
    await replyToThread(t.db, moderator, slug, threadId, { body: "Tell us more" });
    const { thread, replies } = await readThread(t.db, member, slug, threadId);
    expect(thread.body_html).toContain("<strong>always</strong>");
    expect(thread.body_html).not.toContain("<script");
    expect(thread.reply_count).toBe(1);
    expect(replies.map((r) => r.author)).toHaveLength(1);
    const view = await getCommunityForActor(t.db, member, slug);
    expect((await listThreads(t.db, member, view)).threads.map((x) => x.title)).toEqual(["Exports"]);
    expect(id).toBeTruthy();
  });

  it("keeps outsiders and product reviewers from writing, and another community's thread id answers 404", async () => {
    const first = await community();
    const second = await community();
    setClock(START + 2 * DAY);
    const { threadId } = await startThread(t.db, member, first.slug, { title: "Here", body: "Body" });
    expect((await refusalOf(replyToThread(t.db, other, first.slug, threadId, { body: "Hi" }))).status).toBe(404);
    expect((await refusalOf(replyToThread(t.db, product, first.slug, threadId, { body: "Hi" }))).message).toBe("Product reviewers read communities but do not post in them.");
    expect((await refusalOf(readThread(t.db, member, second.slug, threadId))).status).toBe(404);
    expect((await refusalOf(replyToThread(t.db, member, second.slug, threadId, { body: "Hi" }))).status).toBe(404);
  });

  it("limits posting speed per member with a clear message", async () => {
    const { slug } = await community();
    setClock(START + 3 * DAY);
    const { threadId } = await startThread(t.db, member, slug, { title: "One", body: "Body" });
    const fast = await refusalOf(startThread(t.db, member, slug, { title: "Two", body: "Body" }));
    expect(fast.status).toBe(429);
    expect(fast.message).toBe("You are posting threads faster than we allow. Try again in 15 seconds.");
    advanceClock(15 * SECOND);
    await expect(startThread(t.db, member, slug, { title: "Two", body: "Body" })).resolves.toHaveProperty("threadId");
    await replyToThread(t.db, member, slug, threadId, { body: "a" });
    expect((await refusalOf(replyToThread(t.db, member, slug, threadId, { body: "b" }))).status).toBe(429);
    advanceClock(5 * SECOND);
    await expect(replyToThread(t.db, member, slug, threadId, { body: "b" })).resolves.toHaveProperty("replyId");
  });

  it("notifies a thread's author of replies by others, not of their own", async () => {
    const { slug } = await community();
    setClock(START + 4 * DAY);
    const { threadId } = await startThread(t.db, member, slug, { title: "Notify me", body: "Body" });
    await replyToThread(t.db, member, slug, threadId, { body: "my own follow-up" });
    await replyToThread(t.db, moderator, slug, threadId, { body: "a reply" });
    const notes = (await listNotifications(t.db, member.id)).filter((n) => n.kind === "thread.reply" && n.link?.startsWith(`/c/${slug}/t/${threadId}`));
    expect(notes).toHaveLength(1);
    expect(notes[0]!.title).toMatch(/^P\d+ replied to "Notify me"$/);
    // The link opens the thread at that reply, however long the thread has grown.
    expect(notes[0]!.link).toMatch(new RegExp(`^/c/${slug}/t/${threadId}\\?from=\\d+\\.[\\w-]+#reply-`));
  });

  it("reads a thread page with the same number of queries for 10 and 1,000 replies", async () => {
    const { slug, id } = await community();
    setClock(START + 5 * DAY);
    const counted = async (replies: number): Promise<number[]> => {
      const { threadId } = await startThread(t.db, moderator, slug, { title: `With ${replies}`, body: "Body" });
      const rows = Array.from({ length: replies }, (_, i) => ({ id: `${threadId}-${i}`, thread_id: threadId, author_id: member.id, body_markdown: "x", body_html: "<p>x</p>", created_at: now() + 1 + i, edited_at: null, removed: null, removed_at: null }));
      for (let i = 0; i < rows.length; i += 200) await t.db.insertInto("replies").values(rows.slice(i, i + 200)).execute();
      await t.db.updateTable("threads").set({ reply_count: replies }).where("id", "=", threadId).execute();
      let queries = 0;
      const db = t.db.withPlugin({
        transformQuery: (args) => {
          queries++;
          return args.node;
        },
        transformResult: async (args) => args.result,
      });
      // A first visit, then a return visit that opens where the member left off, then a moderator's view.
      const first = await readThread(db, member, slug, threadId);
      expect(first.replies.length).toBe(Math.min(replies, 50));
      const firstVisit = queries;
      // Someone replies; the member comes back to one new reply either way.
      await t.db.insertInto("replies").values({ ...rows[0]!, id: `${threadId}-new`, created_at: now() + 2000 }).execute();
      await t.db.updateTable("threads").set({ reply_count: replies + 1 }).where("id", "=", threadId).execute();
      queries = 0;
      await readThread(db, member, slug, threadId);
      const returnVisit = queries;
      queries = 0;
      await readThread(db, moderator, slug, threadId);
      const moderatorVisit = queries;
      advanceClock(20 * SECOND);
      return [firstVisit, returnVisit, moderatorVisit];
    };
    const small = await counted(10);
    const large = await counted(1000);
    expect(large).toEqual(small);
    expect(Math.max(...small)).toBeLessThanOrEqual(8);
    expect(id).toBeTruthy();
  });

  async function withLeader() {
    const c = await community();
    const leader = await person("member");
    const reader = await person("member");
    await addMember(t.db, { communityId: c.id, userId: leader.id, role: "leader", datesConfirmedAt: 1 });
    await addMember(t.db, { communityId: c.id, userId: reader.id, role: "participant", datesConfirmedAt: 1 });
    return { ...c, leader, reader };
  }

  it("masks a prompt's replies from a participant until they answer; staff and the leader always see them", async () => {
    const { slug, leader, reader } = await withLeader();
    setClock(START + 7 * DAY);
    expect((await refusalOf(startThread(t.db, member, slug, { title: "Not mine", body: "x", prompt: { masked: true, appearsAt: null } }))).message).toBe(
      "Only moderators and discussion leaders can do this.",
    );
    const { threadId } = await startThread(t.db, leader, slug, { title: "Which report?", body: "Answer first.", prompt: { masked: true, appearsAt: null } });
    advanceClock(SECOND);
    const { replyId } = await replyToThread(t.db, member, slug, threadId, { body: "The revenue one." });
    const before = await readThread(t.db, reader, slug, threadId);
    expect(before.masked).toBe(true);
    expect(before.replies).toEqual([]);
    expect(before.thread.reply_count).toBe(1);
    expect(await postSource(t.db, reader, slug, threadId, { kind: "reply", id: replyId })).toBeUndefined();
    for (const sees of [leader, moderator, product]) {
      const page = await readThread(t.db, sees, slug, threadId);
      expect(page.masked).toBe(false);
      expect(page.replies.map((r) => r.bodyHtml)).toEqual(["<p>The revenue one.</p>\n"]);
    }
    advanceClock(10 * SECOND);
    await replyToThread(t.db, reader, slug, threadId, { body: "Pipeline." });
    const after = await readThread(t.db, reader, slug, threadId);
    expect(after.masked).toBe(false);
    expect(after.replies).toHaveLength(2);
  });

  it("schedules a prompt inside the window: hidden from participants, notified and listed when it appears", async () => {
    const { slug, leader, reader } = await withLeader();
    setClock(START + 8 * DAY); // 2026-03-11 08:00 UTC
    expect((await refusalOf(startThread(t.db, leader, slug, { title: "Too late", body: "x", prompt: { masked: false, appearsAt: "2026-03-17T09:00" } }))).message).toBe(
      "Schedule it inside the community's window: it closes on Tuesday, 17 March 2026 at 08:00 UTC.",
    );
    const { threadId } = await startThread(t.db, leader, slug, { title: "Tomorrow's prompt", body: "x", prompt: { masked: false, appearsAt: "2026-03-12T09:00" } });
    const view = await getCommunityForActor(t.db, reader, slug);
    expect((await listThreads(t.db, reader, view)).threads.map((x) => x.title)).not.toContain("Tomorrow's prompt");
    expect((await refusalOf(readThread(t.db, reader, slug, threadId))).status).toBe(404);
    expect((await refusalOf(replyToThread(t.db, reader, slug, threadId, { body: "early" }))).status).toBe(404);
    const staffView = await getCommunityForActor(t.db, moderator, slug);
    const listed = (await listThreads(t.db, moderator, staffView)).threads.find((x) => x.title === "Tomorrow's prompt");
    expect(listed?.scheduled).toBe(true);
    expect(await unreadCount(t.db, reader.id)).toBe(0);

    setClock(Date.UTC(2026, 2, 12, 9));
    expect((await listThreads(t.db, reader, view)).threads.map((x) => x.title)).toContain("Tomorrow's prompt");
    expect((await readThread(t.db, reader, slug, threadId)).thread.kind).toBe("prompt");
    const notes = await listNotifications(t.db, reader.id);
    expect(notes.map((n) => [n.kind, n.title])).toContainEqual(["prompt.new", `New research prompt in Talk: "Tomorrow's prompt"`]);
    // The leader who posted it is not notified of their own prompt.
    expect((await listNotifications(t.db, leader.id)).filter((n) => n.kind === "prompt.new")).toEqual([]);
  });

  it("lets authors edit (marked edited) and remove their posts; nobody else; a lock stops participants but not the leader", async () => {
    const { slug, leader, reader } = await withLeader();
    setClock(START + 9 * DAY);
    const { threadId } = await startThread(t.db, member, slug, { title: "Edit me", body: "first" });
    advanceClock(SECOND);
    const { replyId } = await replyToThread(t.db, reader, slug, threadId, { body: "a reply" });
    const reply = { kind: "reply" as const, id: replyId };
    expect((await refusalOf(editPost(t.db, member, slug, threadId, reply, { body: "hijack" }))).message).toBe("Only its author can change a post.");
    expect((await refusalOf(editPost(t.db, moderator, slug, threadId, reply, { body: "hijack" }))).status).toBe(403);
    advanceClock(SECOND);
    await editPost(t.db, reader, slug, threadId, reply, { body: "a **better** reply" });
    await editPost(t.db, member, slug, threadId, { kind: "thread", id: threadId }, { title: "Edited title", body: "second" });
    let page = await readThread(t.db, leader, slug, threadId);
    expect(page.thread.title).toBe("Edited title");
    expect(page.opening.editedAt).toBe(START + 9 * DAY + 2 * SECOND);
    expect(page.replies[0]!.bodyHtml).toContain("<strong>better</strong>");

    await setThreadState(t.db, leader, slug, threadId, { locked: true });
    expect((await refusalOf(replyToThread(t.db, reader, slug, threadId, { body: "late" }))).message).toBe("This thread is locked; it takes no new replies.");
    expect((await refusalOf(editPost(t.db, reader, slug, threadId, reply, { body: "again" }))).message).toBe("This thread is locked; its posts can no longer be changed.");
    await expect(replyToThread(t.db, leader, slug, threadId, { body: "Locking this, thanks all." })).resolves.toHaveProperty("replyId");
    expect((await refusalOf(setThreadState(t.db, reader, slug, threadId, { locked: false }))).status).toBe(403);
    await setThreadState(t.db, leader, slug, threadId, { locked: false });

    await removeOwnPost(t.db, reader, slug, threadId, reply);
    page = await readThread(t.db, member, slug, threadId);
    expect(page.replies[0]).toMatchObject({ removed: "author", bodyHtml: null, canChange: false, canFlag: false });
    expect((await refusalOf(editPost(t.db, reader, slug, threadId, reply, { body: "undo" }))).message).toBe("This post was removed; it can no longer be changed.");
  });

  it("flags go to moderators once per member; hiding tells the author and the flaggers, restoring brings it back", async () => {
    const { slug, leader, reader } = await withLeader();
    setClock(START + 10 * DAY);
    const { threadId } = await startThread(t.db, member, slug, { title: "Flag target", body: "ok" });
    advanceClock(SECOND);
    const { replyId } = await replyToThread(t.db, reader, slug, threadId, { body: "Call me on 555-0100" });
    const reply = { kind: "reply" as const, id: replyId };
    expect((await refusalOf(flagPost(t.db, reader, slug, threadId, reply, { reason: "spam" }))).message).toBe("You cannot flag your own post.");
    expect((await refusalOf(flagPost(t.db, other, slug, threadId, reply, { reason: "spam" }))).status).toBe(404);
    await flagPost(t.db, member, slug, threadId, reply, { reason: "personal-data", note: "phone number" });
    // The page tells the member they flagged it and offers no second flag.
    const afterFlag = (await readThread(t.db, member, slug, threadId)).replies.find((r) => r.id === reply.id)!;
    expect(afterFlag).toMatchObject({ flaggedByReader: true, canFlag: false });
    await flagPost(t.db, leader, slug, threadId, reply, { reason: "spam" });
    expect((await refusalOf(flagPost(t.db, member, slug, threadId, reply, { reason: "spam" }))).status).toBe(409);
    expect((await refusalOf(moderatePost(t.db, leader, slug, threadId, reply, "hide"))).status).toBe(403);
    expect((await readThread(t.db, moderator, slug, threadId)).replies[0]!.openFlags).toBe(2);

    await moderatePost(t.db, moderator, slug, threadId, reply, "hide");
    expect((await readThread(t.db, member, slug, threadId)).replies[0]).toMatchObject({ removed: "moderator", bodyHtml: null });
    expect((await readThread(t.db, moderator, slug, threadId)).replies[0]).toMatchObject({ removed: "moderator", bodyHtml: "<p>Call me on 555-0100</p>\n", openFlags: 0 });
    const open = await t.db.selectFrom("flags").selectAll().where("post_id", "=", replyId).execute();
    expect(open.map((f) => f.resolution)).toEqual(["hidden", "hidden"]);
    const told = async (who: Actor) => (await listNotifications(t.db, who.id)).filter((n) => n.kind === "flag.outcome").map((n) => n.title);
    expect(await told(reader)).toEqual(['A moderator hid your post in "Flag target" in Talk.']);
    expect(await told(member)).toEqual(['A moderator hid a post you flagged in "Flag target" in Talk. Thank you for flagging it.']);

    advanceClock(SECOND);
    await moderatePost(t.db, moderator, slug, threadId, reply, "restore");
    expect((await readThread(t.db, member, slug, threadId)).replies[0]!.bodyHtml).toBe("<p>Call me on 555-0100</p>\n");
    expect((await told(reader))[0]).toBe('A moderator restored your post in "Flag target" in Talk.');
    expect((await refusalOf(moderatePost(t.db, moderator, slug, threadId, reply, "restore"))).status).toBe(409);
  });

  it("tracks reading: new threads and new replies are marked, and a thread opens at the first unread reply", async () => {
    const { slug, reader } = await withLeader();
    setClock(START + 11 * DAY);
    const { threadId } = await startThread(t.db, member, slug, { title: "Long one", body: "x" });
    const rows = Array.from({ length: 120 }, (_, i) => ({ id: `${threadId}-${String(i).padStart(3, "0")}`, thread_id: threadId, author_id: member.id, body_markdown: "x", body_html: "<p>x</p>", created_at: now() + 1 + i, edited_at: null, removed: null, removed_at: null }));
    await t.db.insertInto("replies").values(rows).execute();
    await t.db.updateTable("threads").set({ reply_count: 120, last_activity_at: now() + 120 }).where("id", "=", threadId).execute();
    advanceClock(SECOND);
    const view = await getCommunityForActor(t.db, reader, slug);
    const unreadOf = async () => (await listThreads(t.db, reader, view)).threads.find((x) => x.id === threadId)!.unread;
    expect(await unreadOf()).toBe("never-opened");

    const first = await readThread(t.db, reader, slug, threadId);
    expect(first.replies[0]!.id).toBe(rows[0]!.id);
    expect(first.later?.id).toBe(rows[49]!.id);
    expect(await unreadOf()).toBe(70);

    // Coming back opens at reply 51, the first one not yet shown, with the earlier ones a link away.
    const again = await readThread(t.db, reader, slug, threadId);
    expect(again.replies[0]).toMatchObject({ id: rows[50]!.id, unread: true });
    expect(again.earlier?.id).toBe(rows[50]!.id);
    const third = await readThread(t.db, reader, slug, threadId);
    expect(third.replies.map((r) => r.id)).toEqual(rows.slice(100).map((r) => r.id));
    expect(await unreadOf()).toBe(0);
    // All read: it opens at the latest replies; going back a page does not lose read state.
    const caughtUp = await readThread(t.db, reader, slug, threadId);
    expect(caughtUp.replies.at(-1)!.id).toBe(rows[119]!.id);
    expect(caughtUp.replies.some((r) => r.unread)).toBe(false);
    await readThread(t.db, reader, slug, threadId, { before: { at: rows[70]!.created_at, id: rows[70]!.id } });
    expect(await unreadOf()).toBe(0);
  });

  it("lists pinned threads first, and lets only leaders and moderators pin", async () => {
    const { slug, leader } = await withLeader();
    setClock(START + 12 * DAY);
    const { threadId } = await startThread(t.db, member, slug, { title: "Old but pinned", body: "x" });
    advanceClock(20 * SECOND);
    await startThread(t.db, member, slug, { title: "Newer", body: "x" });
    expect((await refusalOf(setThreadState(t.db, member, slug, threadId, { pinned: true }))).status).toBe(403);
    await setThreadState(t.db, leader, slug, threadId, { pinned: true });
    const view = await getCommunityForActor(t.db, member, slug);
    const list = await listThreads(t.db, member, view);
    expect(list.pinned.map((x) => x.title)).toEqual(["Old but pinned"]);
    expect(list.threads.map((x) => x.title)).not.toContain("Old but pinned");
  });

  it("stores no flag before the community opens or after it closes (issue 14)", async () => {
    const { slug, id } = await community();
    setClock(START - 1000);
    // Moderators prepare a thread before opening; a member cannot flag it yet.
    const host = await person("moderator");
    const { threadId } = await startThread(t.db, host, slug, { title: "Welcome", body: "Read this first" });
    const early = await refusalOf(flagPost(t.db, member, slug, threadId, { kind: "thread", id: threadId }, { reason: "spam" }));
    expect(early.status).toBe(403);
    expect(early.message).toMatch(/opens on/);
    setClock(START + 14 * DAY);
    const late = await refusalOf(flagPost(t.db, member, slug, threadId, { kind: "thread", id: threadId }, { reason: "spam" }));
    expect(late.status).toBe(403);
    expect(late.message).toMatch(/closed on/);
    expect(await t.db.selectFrom("flags").selectAll().where("community_id", "=", id).execute()).toEqual([]);
  });

  it("takes no replies to a thread whose opening post a moderator hid (issue 14)", async () => {
    const { slug, id } = await community();
    setClock(START);
    const writer = await person("member");
    await addMember(t.db, { communityId: id, userId: writer.id, role: "participant", datesConfirmedAt: 1 });
    const { threadId } = await startThread(t.db, writer, slug, { title: "Off topic", body: "Something to hide" });
    await moderatePost(t.db, moderator, slug, threadId, { kind: "thread", id: threadId }, "hide");
    advanceClock(60 * SECOND);
    for (const actor of [member, moderator]) {
      const refusal = await refusalOf(replyToThread(t.db, actor, slug, threadId, { body: "Still here" }));
      expect(refusal.status).toBe(403);
      expect(refusal.message).toBe("A moderator hid this thread; it takes no new replies.");
    }
    const page = await readThread(t.db, member, slug, threadId);
    expect(page.thread.reply_count).toBe(0);
    expect(page.replyRefusal).toBe("A moderator hid this thread; it takes no new replies.");
  });

});
