import { afterAll, beforeAll, describe, expect, it, afterEach } from "vitest";
import { refusalOf } from "#app/lib/testing.ts";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { createAccount, signIn } from "#app/features/auth/accounts.server.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { createSession, validateSession } from "#app/features/auth/session.server.ts";
import { addMember, createCommunity, getCommunityForActor, publishCommunity } from "#app/features/communities/communities.server.ts";
import { readThread, replyToThread, startThread } from "#app/features/discussions/discussions.server.ts";
import { castVote, listIdeas, submitIdea } from "#app/features/ideas/ideas.server.ts";
import { DAY, SECOND, advanceClock, resetClock, setClock } from "#app/lib/clock.ts";
import { ERASED_NAME, eraseAccount, exportMyData } from "./privacy.server.ts";

const START = Date.UTC(2026, 8, 1, 8);

describe.each(testEngines())("privacy on %s", (engine) => {
  let t: TestDatabase;
  let moderator: Actor;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
    const { userId } = await createAccount(t.db, { email: "mod@example.com", displayName: "Mod", password: "password!", role: "moderator" });
    moderator = { id: userId, role: "moderator" };
  });
  afterAll(async () => t.cleanup());
  afterEach(() => resetClock());

  it("exports what a member wrote, and erasure anonymises them while counts stay right and sessions end", async () => {
    setClock(START - DAY);
    await createCommunity(t.db, moderator, { name: "Private", slug: "private", purpose: "A community about privacy, at some length.", timeZone: "UTC", startsAt: "2026-09-01T08:00", endsAt: "2026-09-10T08:00" });
    await publishCommunity(t.db, moderator, "private");
    const { community } = await getCommunityForActor(t.db, moderator, "private");
    const people: Actor[] = [];
    for (const name of ["Erin", "Olga"]) {
      const { userId } = await createAccount(t.db, { email: `${name.toLowerCase()}@example.com`, displayName: name, password: "a long password", role: "member" });
      await addMember(t.db, { communityId: community.id, userId, role: "participant", datesConfirmedAt: 1, attributes: { segment: "smb" } });
      people.push({ id: userId, role: "member" });
    }
    const [erin, olga] = people as [Actor, Actor];
    setClock(START + DAY);
    const { threadId } = await startThread(t.db, erin, "private", { title: "My thread", body: "Something I said" });
    advanceClock(20 * SECOND);
    await replyToThread(t.db, olga, "private", threadId, { body: "A reply to Erin" });
    const { ideaId } = await submitIdea(t.db, olga, "private", { title: "Olga's idea", body: "x" });
    await castVote(t.db, erin, "private", ideaId, true);

    const data = await exportMyData(t.db, erin);
    expect(data.account).toMatchObject({ email: "erin@example.com", display_name: "Erin" });
    expect(data.threads.map((x) => [x.title, x.body])).toEqual([["My thread", "Something I said"]]);
    expect(data.votes.map((v) => v.idea)).toEqual(["Olga's idea"]);
    expect(data.memberships[0]).toMatchObject({ community: "Private", attributes: { segment: "smb" } });
    // Nothing of anyone else's.
    expect(JSON.stringify(data)).not.toContain("A reply to Erin");

    const token = await createSession(t.db, erin.id);
    expect((await refusalOf(eraseAccount(t.db, erin, "wrong password"))).status).toBe(400);
    await eraseAccount(t.db, erin, "a long password");
    expect(await validateSession(t.db, token)).toBeNull();
    const page = await readThread(t.db, olga, "private", threadId);
    expect(page.opening.author).toBe(ERASED_NAME);
    expect(page.opening.bodyHtml).toContain("Something I said");
    const view = await getCommunityForActor(t.db, olga, "private");
    expect((await listIdeas(t.db, olga, view, { sort: "top" })).ideas[0]!.votes).toBe(1);
    const row = await t.db.selectFrom("users").select(["email", "display_name"]).where("id", "=", erin.id).executeTakeFirstOrThrow();
    expect(row.email).not.toContain("erin");
    const membership = await t.db.selectFrom("memberships").select("attributes").where("user_id", "=", erin.id).executeTakeFirstOrThrow();
    expect(membership.attributes).toBe("{}");
    // The old address no longer signs anyone in.
    expect((await refusalOf(signIn(t.db, { email: "erin@example.com", password: "a long password" }, { clientAddress: "127.0.0.9" }))).status).toBe(400);
  });

  it("leaves out an idea's vote count from the export while the community hides counts, and shows it once closed (issue 14)", async () => {
    setClock(START - DAY);
    await createCommunity(t.db, moderator, { name: "Blind", slug: "blind", purpose: "A community that hides vote counts, at length.", timeZone: "UTC", startsAt: "2026-09-01T08:00", endsAt: "2026-09-10T08:00", hideVoteCounts: true });
    await publishCommunity(t.db, moderator, "blind");
    const { community } = await getCommunityForActor(t.db, moderator, "blind");
    const people: Actor[] = [];
    for (const name of ["Hana", "Ivo"]) {
      const { userId } = await createAccount(t.db, { email: `${name.toLowerCase()}.blind@example.com`, displayName: name, password: "a long password", role: "member" });
      await addMember(t.db, { communityId: community.id, userId, role: "participant", datesConfirmedAt: 1 });
      people.push({ id: userId, role: "member" });
    }
    const [hana, ivo] = people as [Actor, Actor];
    setClock(START + DAY);
    const { ideaId } = await submitIdea(t.db, hana, "blind", { title: "Counted in secret", body: "x" });
    await castVote(t.db, ivo, "blind", ideaId, true);
    const during = await exportMyData(t.db, hana);
    expect(during.ideas).toEqual([expect.objectContaining({ title: "Counted in secret", vote_count: null })]);
    expect(JSON.stringify(during)).not.toMatch(/"vote_count":1/);
    setClock(START + 10 * DAY);
    const after = await exportMyData(t.db, hana);
    expect(after.ideas[0]!.vote_count).toBe(1);
  });

  it("leaves no name, email or address of an erased person in what others or exports can read (issue 14)", async () => {
    setClock(START - DAY);
    await createCommunity(t.db, moderator, { name: "Forgetful", slug: "forgetful", purpose: "A community that forgets on request, at length.", timeZone: "UTC", startsAt: "2026-09-01T08:00", endsAt: "2026-09-10T08:00" });
    await publishCommunity(t.db, moderator, "forgetful");
    const { community } = await getCommunityForActor(t.db, moderator, "forgetful");
    const { userId } = await createAccount(t.db, { email: "zora.quill@example.com", displayName: "Zora Quill", password: "a long password" });
    const zora: Actor = { id: userId, role: "member" };
    await addMember(t.db, { communityId: community.id, userId, role: "participant", datesConfirmedAt: 1 });
    setClock(START + DAY);
    await signIn(t.db, { email: "zora.quill@example.com", password: "a long password" }, { clientAddress: "198.51.100.77" });
    await refusalOf(signIn(t.db, { email: "zora.quill@example.com", password: "wrong" }, { clientAddress: "198.51.100.77" }));
    const { threadId } = await startThread(t.db, moderator, "forgetful", { title: "Tell us", body: "What do you need?" });
    advanceClock(20 * SECOND);
    const { replyId } = await replyToThread(t.db, zora, "forgetful", threadId, { body: "Faster exports please" });
    await t.db.insertInto("notifications").values({ id: "invite-accepted-zora", user_id: moderator.id, kind: "invitation.accepted", title: "zora.quill@example.com accepted your invitation to Forgetful", body: null, link: "/c/forgetful/members", created_at: START + DAY, read_at: null, emailed_at: null }).execute();
    const { triageItem } = await import("#app/features/triage/triage.server.ts");
    await triageItem(t.db, moderator, { kind: "reply", id: replyId }, { tags: [], suggestion: "Faster exports" });
    const leaky = async () =>
      JSON.stringify(
        await Promise.all([
          t.db.selectFrom("notifications").selectAll().execute(),
          t.db.selectFrom("suggestions").selectAll().execute(),
          t.db.selectFrom("audit_log").selectAll().execute(),
          t.db.selectFrom("security_events").selectAll().execute(),
          exportMyData(t.db, moderator),
        ]),
      );
    // Before erasure the texts do name her: the test sees what it means to remove.
    expect(await leaky()).toContain("Zora Quill");
    await eraseAccount(t.db, zora, "a long password", { clientAddress: "198.51.100.77" });
    const after = await leaky();
    expect(after).not.toContain("Zora");
    expect(after).not.toContain("zora.quill");
    expect(after).not.toContain("198.51.100.77");
    expect(after).toContain(`${ERASED_NAME} wrote, in`);
  });

  it("keeps the last admin from erasing themselves", async () => {
    const { userId } = await createAccount(t.db, { email: "only-admin@example.com", displayName: "Admin", password: "a long password", role: "admin" });
    const others = await t.db.selectFrom("users").select("id").where("role", "=", "admin").where("id", "!=", userId).execute();
    if (others.length === 0) expect((await refusalOf(eraseAccount(t.db, { id: userId, role: "admin" }, "a long password"))).status).toBe(409);
  });
});
