import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { addMember, createCommunity, getCommunityForActor, publishCommunity } from "#app/features/communities/communities.server.ts";
import { moderatePost } from "#app/features/discussions/moderating.server.ts";
import { removeOwnPost, replyToThread, startThread } from "#app/features/discussions/posting.server.ts";
import { readThread } from "#app/features/discussions/reading.server.ts";
import { submitIdea } from "#app/features/ideas/ideas.server.ts";
import { eraseAccount } from "#app/features/privacy/privacy.server.ts";
import { DAY, SECOND, advanceClock, resetClock, setClock } from "#app/lib/clock.ts";
import { refusalOf } from "#app/lib/testing.ts";
import { PROFILE_POSTS, readProfile, updateProfile } from "./profiles.server.ts";

const START = Date.UTC(2026, 9, 5, 8);

describe.each(testEngines())("profiles on %s", (engine) => {
  let t: TestDatabase;
  let moderator: Actor;
  let product: Actor;
  let leader: Actor;
  let lena: Actor;
  let bridge: Actor;
  let outsider: Actor;
  const account = async (name: string, role: Actor["role"]) => {
    const { userId } = await createAccount(t.db, { email: `${name}@example.com`, displayName: name, password: "password!", role });
    return { id: userId, role };
  };
  const community = async (slug: string, members: [Actor, "participant" | "leader"][]) => {
    await createCommunity(t.db, moderator, { name: slug, slug, purpose: "A community for profiles, at some length.", timeZone: "UTC", startsAt: "2026-10-05T08:00", endsAt: "2026-10-20T08:00" });
    await publishCommunity(t.db, moderator, slug);
    const { community: row } = await getCommunityForActor(t.db, moderator, slug);
    for (const [who, role] of members) await addMember(t.db, { communityId: row.id, userId: who.id, role, datesConfirmedAt: 1 });
  };
  const titles = async (reader: Actor, person: Actor) => (await readProfile(t.db, reader, person.id)).posts.map((p) => `${p.kind}:${p.title}`);

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    moderator = await account("Mod", "moderator");
    product = await account("Prod", "product");
    leader = await account("Lead", "member");
    lena = await account("Lena", "member");
    bridge = await account("Bridge", "member");
    outsider = await account("Out", "member");
    setClock(START - DAY);
    await community("ours", [
      [leader, "leader"],
      [lena, "participant"],
      [bridge, "participant"],
    ]);
    await community("theirs", [
      [bridge, "participant"],
      [outsider, "participant"],
    ]);
  });
  afterAll(async () => t.cleanup());
  afterEach(() => resetClock());

  it("changes a name and bio under the name rules; the new name shows on the member's posts", async () => {
    setClock(START + DAY);
    const { threadId } = await startThread(t.db, lena, "ours", { title: "Lena's first", body: "Hello." });
    await updateProfile(t.db, lena, { displayName: "  Lena   Fischer ", bio: "  I run the exports.\r\n\n\n\nBerlin.  " });
    const profile = await readProfile(t.db, leader, lena.id);
    expect(profile.person).toMatchObject({ displayName: "Lena Fischer", bio: "I run the exports.\n\nBerlin." });
    expect((await readThread(t.db, leader, "ours", threadId)).opening.author).toBe("Lena Fischer");

    for (const name of ["Former member", "MODERATOR", "Аdmin", "x", "Lena\u200b"]) {
      expect((await refusalOf(updateProfile(t.db, lena, { displayName: name, bio: "" }))).status, name).toBe(400);
    }
    expect((await refusalOf(updateProfile(t.db, lena, { displayName: "Lena", bio: "b".repeat(501) }))).message).toMatch(/500/);
    expect((await readProfile(t.db, lena, lena.id)).person.displayName).toBe("Lena Fischer");
  });

  it("shows a person only to someone who shares a community with them, and answers 404 as for no one at all", async () => {
    const missing = await refusalOf(readProfile(t.db, lena, "no-such-person"));
    const unshared = await refusalOf(readProfile(t.db, outsider, lena.id));
    expect(unshared.status).toBe(404);
    expect([unshared.status, unshared.message]).toEqual([missing.status, missing.message]);
    expect((await refusalOf(readProfile(t.db, lena, outsider.id))).status).toBe(404);

    // Shared communities only, with the person's role there.
    expect((await readProfile(t.db, lena, leader.id)).communities).toEqual([{ slug: "ours", name: "ours", role: "Discussion leader" }]);
    expect((await readProfile(t.db, outsider, bridge.id)).communities.map((c) => c.slug)).toEqual(["theirs"]);
    // Staff see anyone, and a participant sees the staff who run their communities.
    expect((await readProfile(t.db, product, outsider.id)).communities.map((c) => c.slug)).toEqual(["theirs"]);
    expect((await readProfile(t.db, lena, moderator.id)).person.staffLabel).toBe("Moderator");
  });

  it("lists recent posts in shared communities only, without removed, hidden, scheduled or masked ones the reader may not see", async () => {
    setClock(START + 2 * DAY);
    await startThread(t.db, bridge, "ours", { title: "Bridge in ours", body: "Visible to Lena." });
    advanceClock(20 * SECOND);
    await startThread(t.db, bridge, "theirs", { title: "Bridge in theirs", body: "Not for Lena." });
    advanceClock(20 * SECOND);
    const removed = await startThread(t.db, bridge, "ours", { title: "Bridge removed this", body: "Gone." });
    await removeOwnPost(t.db, bridge, "ours", removed.threadId, { kind: "thread", id: removed.threadId });
    advanceClock(20 * SECOND);
    const hidden = await replyToThread(t.db, bridge, "ours", removed.threadId, { body: "A reply in a removed thread." });
    advanceClock(20 * SECOND);
    const open = await startThread(t.db, leader, "ours", { title: "Open question", body: "Answer." });
    advanceClock(10 * SECOND);
    const hiddenReply = await replyToThread(t.db, bridge, "ours", open.threadId, { body: "Hidden by a moderator." });
    await moderatePost(t.db, moderator, "ours", open.threadId, { kind: "reply", id: hiddenReply.replyId }, "hide");
    advanceClock(10 * SECOND);
    const masked = await startThread(t.db, leader, "ours", { title: "Masked question", body: "Answer first.", prompt: { masked: true, appearsAt: null } });
    advanceClock(10 * SECOND);
    await replyToThread(t.db, bridge, "ours", masked.threadId, { body: "Bridge's masked answer." });
    advanceClock(10 * SECOND);
    await startThread(t.db, leader, "ours", { title: "Tomorrow's prompt", body: "Soon.", prompt: { masked: false, appearsAt: "2026-10-08T09:00" } });
    advanceClock(20 * SECOND);
    await submitIdea(t.db, bridge, "ours", { title: "Bridge's idea", body: "An idea." });
    expect(hidden.replyId).toBeTruthy();

    expect(await titles(lena, bridge)).toEqual(["idea:Bridge's idea", "discussion:Bridge in ours"]);
    expect(await titles(outsider, bridge)).toEqual(["discussion:Bridge in theirs"]);
    // Staff see every community, and masked answers; never removed or hidden posts.
    expect(await titles(moderator, bridge)).toEqual(["idea:Bridge's idea", "reply:Reply in “Masked question”", "discussion:Bridge in theirs", "discussion:Bridge in ours"]);
    // The leader's scheduled prompt: on their own profile (they see all), not for Lena until it appears.
    expect(await titles(leader, leader)).toContain("prompt:Tomorrow's prompt");
    expect(await titles(lena, leader)).not.toContain("prompt:Tomorrow's prompt");
    // Once Lena answers the masked prompt, Bridge's answer shows on his profile too.
    advanceClock(10 * SECOND);
    await replyToThread(t.db, lena, "ours", masked.threadId, { body: "Lena's answer." });
    expect(await titles(lena, bridge)).toEqual(["idea:Bridge's idea", "reply:Reply in “Masked question”", "discussion:Bridge in ours"]);
    setClock(Date.UTC(2026, 9, 8, 9));
    expect(await titles(lena, leader)).toContain("prompt:Tomorrow's prompt");
  });

  it("pages by key, newest first, with nothing lost or repeated", async () => {
    const writer = await account("Writer", "member");
    const { community: row } = await getCommunityForActor(t.db, moderator, "ours");
    await addMember(t.db, { communityId: row.id, userId: writer.id, role: "participant", datesConfirmedAt: 1 });
    setClock(START + 3 * DAY);
    const { threadId } = await startThread(t.db, writer, "ours", { title: "Writer's thread", body: "Start." });
    for (let i = 0; i < PROFILE_POSTS + 4; i++) {
      advanceClock(6 * SECOND);
      await replyToThread(t.db, writer, "ours", threadId, { body: `Reply ${i}` });
    }
    const first = await readProfile(t.db, lena, writer.id);
    expect(first.posts).toHaveLength(PROFILE_POSTS);
    expect(first.posts[0]!.excerpt).toBe(`Reply ${PROFILE_POSTS + 3}`);
    expect(first.next).not.toBeNull();
    const second = await readProfile(t.db, lena, writer.id, first.next!);
    expect(second.posts.map((p) => p.excerpt)).toEqual(["Reply 3", "Reply 2", "Reply 1", "Reply 0", "Start."]);
    expect(second.next).toBeNull();
  });

  it("erasure clears the bio and the profile is gone", async () => {
    const erin = await account("Erin", "member");
    const { community: row } = await getCommunityForActor(t.db, moderator, "ours");
    await addMember(t.db, { communityId: row.id, userId: erin.id, role: "participant", datesConfirmedAt: 1 });
    await updateProfile(t.db, erin, { displayName: "Erin", bio: "Something personal." });
    expect((await readProfile(t.db, lena, erin.id)).person.bio).toBe("Something personal.");
    await eraseAccount(t.db, erin, "password!");
    const row2 = await t.db.selectFrom("users").select(["bio", "display_name"]).where("id", "=", erin.id).executeTakeFirstOrThrow();
    expect(row2).toEqual({ bio: "", display_name: "Former member" });
    expect((await refusalOf(readProfile(t.db, lena, erin.id))).status).toBe(404);
    expect((await refusalOf(readProfile(t.db, moderator, erin.id))).status).toBe(404);
  });
});
