import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { refusalOf } from "#app/lib/testing.ts";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { createCommunity, getCommunityForActor, publishCommunity } from "#app/features/communities/communities.server.ts";
import { acceptInvitation, inviteMembers, openInvitation } from "#app/features/invitations/invitations.server.ts";
import { readThread } from "#app/features/discussions/reading.server.ts";
import { replyToThread, startThread } from "#app/features/discussions/posting.server.ts";
import { answerPoll, createPoll } from "#app/features/polls/polls.server.ts";
import { castVote, submitIdea } from "#app/features/ideas/ideas.server.ts";
import { answerFollowUp, askFollowUp } from "#app/features/follow-ups/follow-ups.server.ts";
import { storeImage } from "#app/features/attachments/attachments.server.ts";
import { ERASED_NAME } from "#app/features/privacy/erased.ts";
import { DAY, MINUTE, advanceClock, resetClock, setClock } from "#app/lib/clock.ts";
import { agreeToConsent, consentAgreementsForStaff, consentPage, publishConsent, withdrawFromCommunity } from "./consent.server.ts";

const START = Date.UTC(2026, 4, 4, 8);
const SITE = "https://cohort.test";
const TEXT = { collected: "Your posts and answers.", readers: "The research team.", quotes: "Without your name.", retention: "Two years.", incentive: "A gift card." };

describe.each(testEngines())("consent on %s", (engine) => {
  let t: TestDatabase;
  let moderator: Actor;
  let n = 0;

  /** An open community with consent v1, and a participant who joined through an invitation agreeing to it. */
  async function setUp() {
    setClock(START - DAY);
    const slug = `consent-${++n}`;
    await createCommunity(t.db, moderator, { name: `Study ${n}`, slug, purpose: "A study with a consent text.", timeZone: "UTC", startsAt: "2026-05-04T08:00", endsAt: "2026-05-18T08:00" });
    await publishCommunity(t.db, moderator, slug);
    expect(await publishConsent(t.db, moderator, slug, TEXT)).toEqual({ version: 1 });
    const email = `c${n}@example.com`;
    const report = await inviteMembers(t.db, moderator, slug, { emails: email, role: "participant" }, { siteOrigin: SITE });
    const message = await t.db.selectFrom("outbox").select("text_body").where("id", "=", report.outboxIds[0]!).executeTakeFirstOrThrow();
    const token = new RegExp(`${SITE}/invitations/([a-z2-7]+)`).exec(message.text_body)![1]!;
    const { userId } = await createAccount(t.db, { email, displayName: `Member ${n}`, password: "password!" });
    const participant: Actor = { id: userId, role: "member" };
    setClock(START + DAY);
    return { slug, token, email, participant };
  }

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    moderator = { id: (await createAccount(t.db, { email: "mod@example.com", displayName: "Mod", password: "password!", role: "moderator" })).userId, role: "moderator" };
  });
  afterAll(async () => t.cleanup());
  afterEach(() => resetClock());

  it("shows the consent before joining and records the exact version agreed to", async () => {
    const { slug, token, email, participant } = await setUp();
    expect((await openInvitation(t.db, token))?.community.consent).toMatchObject({ version: 1, ...TEXT });
    expect((await refusalOf(acceptInvitation(t.db, token, { id: participant.id, email }, { datesConfirmed: true }))).message).toBe("Read the consent and agree to it to join.");
    // The moderator publishes v2 while the invitee reads v1: agreeing to v1 no longer joins.
    await publishConsent(t.db, moderator, slug, { ...TEXT, retention: "One year." });
    expect((await refusalOf(acceptInvitation(t.db, token, { id: participant.id, email }, { datesConfirmed: true, consentVersion: 1 }))).message).toBe(
      "The consent changed while you were reading; read version 2 and agree to it to join.",
    );
    await acceptInvitation(t.db, token, { id: participant.id, email }, { datesConfirmed: true, consentVersion: 2 });
    const staff = await consentAgreementsForStaff(t.db, moderator, slug);
    expect(staff.agreements.map((a) => [a.user_id, a.version, a.agreed_at])).toEqual([[participant.id, 2, START + DAY]]);
    expect((await refusalOf(consentAgreementsForStaff(t.db, participant, slug))).status).toBe(403);
  });

  it("refuses writes after a new version until the member agrees again", async () => {
    const { slug, token, email, participant } = await setUp();
    await acceptInvitation(t.db, token, { id: participant.id, email }, { datesConfirmed: true, consentVersion: 1 });
    const { threadId } = await startThread(t.db, participant, slug, { title: "Before the change", body: "Hello." });
    await publishConsent(t.db, moderator, slug, { ...TEXT, quotes: "With your first name." });
    advanceClock(MINUTE);
    // Told at once, in the app and (by default) by email; the moderator who published is not asked.
    const told = await t.db.selectFrom("notifications").select(["user_id", "title", "link"]).where("kind", "=", "consent.changed").execute();
    expect(told).toEqual([{ user_id: participant.id, title: `The consent for Study ${n} has changed: you will be asked to agree to version 2 on your next visit`, link: `/c/${slug}/consent` }]);
    const mailed = await t.db.selectFrom("outbox").select(["to_address", "text_body"]).where("subject", "like", `The consent for Study ${n} has changed%`).execute();
    expect(mailed.map((m) => m.to_address)).toEqual([email]);
    expect(mailed[0]!.text_body).toContain(`/c/${slug}/consent`);
    expect((await getCommunityForActor(t.db, participant, slug)).community.consentPending).toBe(true);
    const refused = await refusalOf(replyToThread(t.db, participant, slug, threadId, { body: "Still here." }));
    expect(refused.message).toBe("The consent for this community has changed. Read version 2 and agree to it (Consent, on the community page) before you take part again.");
    // Reading goes on; an old version cannot be agreed to.
    expect((await readThread(t.db, participant, slug, threadId)).thread.title).toBe("Before the change");
    expect((await refusalOf(agreeToConsent(t.db, participant, slug, 1))).status).toBe(409);
    await agreeToConsent(t.db, participant, slug, 2);
    await replyToThread(t.db, participant, slug, threadId, { body: "Agreed, still here." });
    const page = await consentPage(t.db, moderator, slug);
    expect(page.current?.version).toBe(2);
    expect(page.earlier.map((v) => v.version)).toEqual([1]);
    expect(page.staff?.agreements.map((a) => a.version)).toEqual([2, 1]);
    expect(page.staff?.waiting).toEqual([]);
    // Only the community's moderators publish.
    expect((await refusalOf(publishConsent(t.db, participant, slug, TEXT))).status).toBe(403);
  });

  it("refuses every kind of write by a member on an old version: thread, reply, idea, vote, poll answer, follow-up answer, upload", async () => {
    const { slug, token, email, participant } = await setUp();
    await acceptInvitation(t.db, token, { id: participant.id, email }, { datesConfirmed: true, consentVersion: 1 });
    const { threadId } = await startThread(t.db, participant, slug, { title: "Mine before the change", body: "Hello." });
    advanceClock(MINUTE);
    const { ideaId } = await submitIdea(t.db, participant, slug, { title: "An idea before the change", body: "Worth a vote." });
    await createPoll(t.db, moderator, slug, threadId, { question: "Yes?", options: ["Yes", "No"], choice: "single", allowOther: false, results: "always" });
    const option = await t.db.selectFrom("poll_options").innerJoin("polls", "polls.id", "poll_options.poll_id").select("poll_options.id").where("polls.thread_id", "=", threadId).orderBy("position").executeTakeFirstOrThrow();
    const { followUpId } = await askFollowUp(t.db, moderator, slug, threadId, { kind: "thread", id: threadId }, { question: "Say more?" });
    await publishConsent(t.db, moderator, slug, { ...TEXT, incentive: "None any more." });
    advanceClock(MINUTE);

    const writes: [string, () => Promise<unknown>][] = [
      ["thread", () => startThread(t.db, participant, slug, { title: "After the change", body: "Can I?" })],
      ["reply", () => replyToThread(t.db, participant, slug, threadId, { body: "Can I?" })],
      ["idea", () => submitIdea(t.db, participant, slug, { title: "An idea after the change", body: "Can I?" })],
      ["vote", () => castVote(t.db, participant, slug, ideaId, true)],
      ["poll answer", () => answerPoll(t.db, participant, slug, threadId, { choices: [{ optionId: option.id, rank: null }], other: null })],
      ["follow-up answer", () => answerFollowUp(t.db, participant, followUpId, { body: "Can I?" })],
      ["upload", () => storeImage(t.db, participant, slug, new Uint8Array([0x89, 0x50, 0x4e, 0x47]))],
    ];
    for (const [what, write] of writes) {
      const refused = await refusalOf(write());
      expect([what, refused.status, refused.message], what).toEqual([what, 403, expect.stringContaining("The consent for this community has changed. Read version 2")]);
    }
    // Nothing was written meanwhile.
    expect(await t.db.selectFrom("poll_answers").select("user_id").where("user_id", "=", participant.id).execute()).toEqual([]);
    expect(await t.db.selectFrom("votes").select("user_id").where("idea_id", "=", ideaId).execute()).toEqual([]);
    expect((await t.db.selectFrom("follow_ups").select("answered_at").where("id", "=", followUpId).executeTakeFirstOrThrow()).answered_at).toBeNull();
    // Once they agree, the same writes go through.
    await agreeToConsent(t.db, participant, slug, 2);
    await answerPoll(t.db, participant, slug, threadId, { choices: [{ optionId: option.id, rank: null }], other: null });
    await castVote(t.db, participant, slug, ideaId, true);
    await answerFollowUp(t.db, participant, followUpId, { body: "Now I can." });
  });

  it("withdraws a member and, when asked, anonymises what they wrote and answered in that community only", async () => {
    const { slug, token, email, participant } = await setUp();
    await acceptInvitation(t.db, token, { id: participant.id, email }, { datesConfirmed: true, consentVersion: 1 });
    const { threadId } = await startThread(t.db, participant, slug, { title: "My view", body: "Mine." });
    await createPoll(t.db, moderator, slug, threadId, { question: "Yes?", options: ["Yes", "No"], choice: "single", allowOther: false, results: "always" });
    const poll = await t.db.selectFrom("poll_options").innerJoin("polls", "polls.id", "poll_options.poll_id").select("poll_options.id").where("polls.thread_id", "=", threadId).orderBy("position").executeTakeFirstOrThrow();
    await answerPoll(t.db, participant, slug, threadId, { choices: [{ optionId: poll.id, rank: null }], other: null });
    // The same person in another community keeps their name there.
    const other = await setUp();
    await t.db.updateTable("invitations").set({ email }).where("email", "=", other.email).execute();
    await acceptInvitation(t.db, other.token, { id: participant.id, email }, { datesConfirmed: true, consentVersion: 1 });
    advanceClock(MINUTE);
    const { threadId: elsewhere } = await startThread(t.db, participant, other.slug, { title: "Elsewhere", body: "Still me." });

    await withdrawFromCommunity(t.db, participant, slug, { anonymise: true });
    expect((await refusalOf(getCommunityForActor(t.db, participant, slug))).status).toBe(404);
    const page = await readThread(t.db, moderator, slug, threadId);
    expect(page.opening.author).toBe(ERASED_NAME);
    expect(page.opening.authorId).not.toBe(participant.id);
    const answers = await t.db.selectFrom("poll_answers").innerJoin("polls", "polls.id", "poll_answers.poll_id").select("poll_answers.user_id").where("polls.thread_id", "=", threadId).execute();
    expect(answers.map((a) => a.user_id)).toEqual([page.opening.authorId]);
    expect((await readThread(t.db, moderator, other.slug, elsewhere)).opening.author).toBe(`Member ${n - 1}`);
    // The consent record stays the person's.
    expect((await consentAgreementsForStaff(t.db, moderator, slug)).agreements.map((a) => a.user_id)).toEqual([participant.id]);
  });
});
