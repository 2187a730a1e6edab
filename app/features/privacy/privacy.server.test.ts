import { afterAll, beforeAll, describe, expect, it, afterEach } from "vitest";
import { refusalOf } from "#app/lib/testing.ts";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { createAccount, signIn } from "#app/features/auth/accounts.server.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { createSession, validateSession } from "#app/features/auth/session.server.ts";
import { addMember, createCommunity, getCommunityForActor, publishCommunity } from "#app/features/communities/communities.server.ts";
import { readThread } from "#app/features/discussions/reading.server.ts";
import { replyToThread, startThread } from "#app/features/discussions/posting.server.ts";
import { castVote, listIdeas, submitIdea } from "#app/features/ideas/ideas.server.ts";
import { DAY, SECOND, advanceClock, resetClock, setClock } from "#app/lib/clock.ts";
import { ERASED_NAME, eraseAccount, exportMyData } from "./privacy.server.ts";
import { joinWithNewAccount } from "#app/features/invitations/invitations.server.ts";
import { agreeToConsent, publishConsent, recordAgreement, withdrawFromCommunity } from "#app/features/consent/consent.server.ts";
import { answerPoll, createPoll } from "#app/features/polls/polls.server.ts";
import { quoteMarkdown } from "#app/features/discussions/quote.ts";
import { listOutbox } from "#app/features/email/outbox.server.ts";
import { inviteFromNomination, listOwnNominations, nominate } from "#app/features/nominations/nominations.server.ts";
import { listNotifications } from "#app/features/notifications/notifications.server.ts";
import { changePersonRole } from "#app/features/people/people.server.ts";
import { updateProfile } from "#app/features/profiles/profiles.server.ts";
import { listAudit } from "#app/features/audit/audit.server.ts";
import { dismissItem, triageItem } from "#app/features/triage/triage.server.ts";

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

  it("leaves no name, email or address of an erased person anywhere, even one they had before a rename (issue 14)", async () => {
    setClock(START - 2 * DAY);
    const admin: Actor = { id: (await createAccount(t.db, { email: "boss@example.com", displayName: "Boss", password: "a long password", role: "admin" })).userId, role: "admin" };
    const olga: Actor = { id: (await createAccount(t.db, { email: "olga.f@example.com", displayName: "Olga Fine", password: "a long password" })).userId, role: "member" };
    await createCommunity(t.db, moderator, { name: "Forgetful", slug: "forgetful", purpose: "A community that forgets on request, at length.", timeZone: "UTC", startsAt: "2026-09-01T08:00", endsAt: "2026-09-10T08:00" });
    await publishCommunity(t.db, moderator, "forgetful");
    const { community } = await getCommunityForActor(t.db, moderator, "forgetful");
    await addMember(t.db, { communityId: community.id, userId: olga.id, role: "participant", datesConfirmedAt: 1 });
    // Nominated by the admin, invited by the moderator, joined through the invitation.
    const { id: nominationId } = await nominate(t.db, admin, { email: "xavier.original@example.com", name: "Xavier Original", quote: "Xavier asked for faster exports at the fair", foundWhere: "Trade fair", community: "forgetful" });
    await inviteFromNomination(t.db, moderator, { nominationId, community: "forgetful", role: "participant" }, { siteOrigin: "http://cohort.test" });
    const invitation = await t.db.selectFrom("outbox").select("text_body").where("to_address", "=", "xavier.original@example.com").executeTakeFirstOrThrow();
    const token = /\/invitations\/([A-Za-z0-9_-]+)/.exec(invitation.text_body)![1]!;
    const { userId } = await joinWithNewAccount(t.db, token, { displayName: "Xavier Original", password: "a long password" }, { datesConfirmed: true }, { clientAddress: "198.51.100.77" });
    const xavier: Actor = { id: userId, role: "member" };
    await signIn(t.db, { email: "xavier.original@example.com", password: "a long password" }, { clientAddress: "198.51.100.77" });
    await refusalOf(signIn(t.db, { email: "xavier.original@example.com", password: "wrong" }, { clientAddress: "198.51.100.77" }));

    // He takes part; staff act on what he wrote; another member quotes him.
    setClock(START + DAY);
    const { threadId } = await startThread(t.db, moderator, "forgetful", { title: "Tell us", body: "What do you need?" });
    advanceClock(20 * SECOND);
    const { replyId } = await replyToThread(t.db, xavier, "forgetful", threadId, { body: "Faster exports please" });
    advanceClock(20 * SECOND);
    const { replyId: second } = await replyToThread(t.db, xavier, "forgetful", threadId, { body: "Also darker charts" });
    advanceClock(20 * SECOND);
    await replyToThread(t.db, olga, "forgetful", threadId, { body: `${quoteMarkdown({ id: xavier.id, name: "Xavier Original" }, "Faster exports please")}Same here.` });
    await triageItem(t.db, moderator, { kind: "reply", id: replyId }, { tags: [], suggestion: "Faster exports" });
    await dismissItem(t.db, moderator, { kind: "reply", id: second }, "Out of scope");
    await changePersonRole(t.db, admin, { userId: xavier.id, role: "product" });
    await changePersonRole(t.db, admin, { userId: xavier.id, role: "member" });

    // He renames himself and writes again: the new name is named too, the old one still stored where he was quoted.
    await updateProfile(t.db, xavier, { displayName: "Xavi Renamed", bio: "Analytics lead" });
    advanceClock(20 * SECOND);
    await replyToThread(t.db, xavier, "forgetful", threadId, { body: "One more thing" });

    const readable = async () =>
      JSON.stringify(
        await Promise.all([
          listNotifications(t.db, moderator.id),
          listNotifications(t.db, admin.id),
          listNotifications(t.db, olga.id),
          listAudit(t.db),
          readThread(t.db, olga, "forgetful", threadId),
          readThread(t.db, moderator, "forgetful", threadId),
          listOutbox(t.db),
          listOwnNominations(t.db, admin),
          exportMyData(t.db, moderator),
          exportMyData(t.db, olga),
          t.db.selectFrom("suggestions").selectAll().execute(),
        ]),
      );
    const before = await readable();
    // The test sees what it means to remove: every name he has gone by, and his address.
    for (const trace of ["Xavier Original", "Xavi Renamed", "xavier.original@example.com"]) expect(before).toContain(trace);

    await eraseAccount(t.db, xavier, "a long password", { clientAddress: "198.51.100.77" });
    const after = await readable();
    for (const trace of ["Xavier", "Xavi", "xavier.original", "198.51.100.77"]) expect(after).not.toContain(trace);
    expect(after).toContain(`${ERASED_NAME} replied to`);
    expect(after).toContain(`[${ERASED_NAME}](/people/${xavier.id})`);
    // And not in any table at all: whatever output reads the database next cannot find him.
    for (const table of await t.db.introspection.getTables()) {
      const rows = JSON.stringify(await t.db.selectFrom(table.name as never).selectAll().execute());
      // A per-address throttling counter ("sign-in:address:…") is not about him and expires within the hour.
      const traces = table.name === "rate_limits" ? ["Xavier", "Xavi", "xavier.original"] : ["Xavier", "Xavi", "xavier.original", "198.51.100.77"];
      for (const trace of traces) expect(rows, `${table.name} still holds ${trace}`).not.toContain(trace);
    }
  });

  it("keeps the last admin from erasing themselves", async () => {
    const { userId } = await createAccount(t.db, { email: "only-admin@example.com", displayName: "Admin", password: "a long password", role: "admin" });
    const others = await t.db.selectFrom("users").select("id").where("role", "=", "admin").where("id", "!=", userId).execute();
    if (others.length === 0) expect((await refusalOf(eraseAccount(t.db, { id: userId, role: "admin" }, "a long password"))).status).toBe(409);
  });

  it("exports the member's poll answers and consent records (version, when agreed, when withdrawn), and nobody else's", async () => {
    setClock(START - DAY);
    // A moderator of its own, so the posting limits of the tests before do not apply.
    const moderator: Actor = { id: (await createAccount(t.db, { email: "mod-consented@example.com", displayName: "Mod C", password: "a long password", role: "moderator" })).userId, role: "moderator" };
    await createCommunity(t.db, moderator, { name: "Consented", slug: "consented", purpose: "A study with a consent text and a poll.", timeZone: "UTC", startsAt: "2026-09-01T08:00", endsAt: "2026-09-10T08:00" });
    await publishCommunity(t.db, moderator, "consented");
    await publishConsent(t.db, moderator, "consented", { collected: "Posts.", readers: "Us.", quotes: "Unnamed.", retention: "A year.", incentive: "" });
    const { community } = await getCommunityForActor(t.db, moderator, "consented");
    const people: Actor[] = [];
    for (const name of ["Paula", "Quinn"]) {
      const { userId } = await createAccount(t.db, { email: `${name.toLowerCase()}@example.com`, displayName: name, password: "a long password", role: "member" });
      await addMember(t.db, { communityId: community.id, userId, role: "participant", datesConfirmedAt: 1 });
      await t.db.transaction().execute((trx) => recordAgreement(trx, community.id, userId, 1));
      people.push({ id: userId, role: "member" });
    }
    const [paula, quinn] = people as [Actor, Actor];
    setClock(START + DAY);
    await publishConsent(t.db, moderator, "consented", { collected: "Posts and answers.", readers: "Us.", quotes: "Unnamed.", retention: "A year.", incentive: "" });
    advanceClock(SECOND);
    await agreeToConsent(t.db, paula, "consented", 2);
    const { threadId } = await startThread(t.db, moderator, "consented", { title: "Rank these", body: "Please.", prompt: { masked: false, appearsAt: null } });
    await createPoll(t.db, moderator, "consented", threadId, { question: "Which first?", options: ["Alpha", "Beta", "Gamma"], choice: "ranked", allowOther: false, results: "always" });
    const options = await t.db.selectFrom("poll_options").select(["id", "label"]).orderBy("position").execute();
    const id = (label: string) => options.find((o) => o.label === label)!.id;
    advanceClock(SECOND);
    await answerPoll(t.db, paula, "consented", threadId, { choices: [{ optionId: id("Gamma"), rank: 1 }, { optionId: id("Alpha"), rank: 2 }], other: null });
    advanceClock(SECOND);
    await answerPoll(t.db, paula, "consented", threadId, { choices: [{ optionId: id("Beta"), rank: 1 }, { optionId: id("Gamma"), rank: 2 }], other: null });
    await t.db.transaction().execute((trx) => recordAgreement(trx, community.id, quinn.id, 2));
    await answerPoll(t.db, quinn, "consented", threadId, { choices: [{ optionId: id("Alpha"), rank: 1 }], other: null });

    const data = await exportMyData(t.db, paula);
    expect(data.pollAnswers).toEqual([
      {
        community: "Consented",
        thread: "Rank these",
        question: "Which first?",
        choices: [{ option: "Beta", rank: 1 }, { option: "Gamma", rank: 2 }],
        other: null,
        answered_at: new Date(START + DAY + 2 * SECOND).toISOString(),
        changed_at: new Date(START + DAY + 3 * SECOND).toISOString(),
      },
    ]);
    expect(data.consent).toEqual([
      { community: "Consented", version: 1, agreed_at: new Date(START - DAY).toISOString(), withdrawn_at: null },
      { community: "Consented", version: 2, agreed_at: new Date(START + DAY + SECOND).toISOString(), withdrawn_at: null },
    ]);

    // Withdrawing (without anonymising) keeps the answers hers and dates the withdrawal.
    advanceClock(DAY);
    await withdrawFromCommunity(t.db, paula, "consented", { anonymise: false });
    const after = await exportMyData(t.db, paula);
    expect(after.consent.map((c) => [c.version, c.withdrawn_at])).toEqual([
      [1, new Date(START + 2 * DAY + 3 * SECOND).toISOString()],
      [2, new Date(START + 2 * DAY + 3 * SECOND).toISOString()],
    ]);
    expect(after.pollAnswers.map((a) => a.question)).toEqual(["Which first?"]);
    expect((await exportMyData(t.db, quinn)).pollAnswers.map((a) => a.choices)).toEqual([[{ option: "Alpha", rank: 1 }]]);
  });
});
