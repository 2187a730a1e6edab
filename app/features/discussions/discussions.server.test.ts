import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { refusalOf } from "#app/lib/testing.ts";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { addMember, createCommunity, getCommunityForActor, publishCommunity } from "#app/features/communities/communities.server.ts";
import { DAY, SECOND, advanceClock, resetClock, setClock } from "#app/lib/clock.ts";
import { listThreads, readThread, replyToThread, startThread } from "./discussions.server.ts";

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
    expect((await listThreads(t.db, id)).threads.map((x) => x.title)).toEqual(["Exports"]);
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
    const notes = await t.db
      .selectFrom("notifications")
      .selectAll()
      .where("user_id", "=", member.id)
      .where("kind", "=", "thread.reply")
      .where("link", "like", `/c/${slug}/t/${threadId}%`)
      .execute();
    expect(notes).toHaveLength(1);
    expect(notes[0]!.title).toMatch(/^P\d+ replied to "Notify me"$/);
    expect(notes[0]!.link).toMatch(new RegExp(`^/c/${slug}/t/${threadId}#reply-`));
  });

  it("reads a thread page with the same number of queries for 10 and 1,000 replies", async () => {
    const { slug, id } = await community();
    setClock(START + 5 * DAY);
    const counted = async (replies: number): Promise<number> => {
      const { threadId } = await startThread(t.db, moderator, slug, { title: `With ${replies}`, body: "Body" });
      const rows = Array.from({ length: replies }, (_, i) => ({ id: `${threadId}-${i}`, thread_id: threadId, author_id: member.id, body_markdown: "x", body_html: "<p>x</p>", created_at: START + i }));
      for (let i = 0; i < rows.length; i += 200) await t.db.insertInto("replies").values(rows.slice(i, i + 200)).execute();
      let queries = 0;
      const db = t.db.withPlugin({
        transformQuery: (args) => {
          queries++;
          return args.node;
        },
        transformResult: async (args) => args.result,
      });
      const page = await readThread(db, member, slug, threadId);
      expect(page.replies.length).toBe(Math.min(replies, 50));
      advanceClock(20 * SECOND);
      return queries;
    };
    const small = await counted(10);
    const large = await counted(1000);
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(3);
    expect(id).toBeTruthy();
  });
});
