import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "#app/features/audit/audit.server.ts";
import { refusalOf } from "#app/lib/testing.ts";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { DAY, resetClock, setClock } from "#app/lib/clock.ts";
import { hashToken } from "#app/lib/ids.ts";
import { deliverQueued, queueEmail } from "#app/features/email/outbox.server.ts";
import { addMember, createCommunity, getCommunityForActor, publishCommunity } from "#app/features/communities/communities.server.ts";
import {
  INVALID_INVITATION,
  acceptInvitation,
  invitationFunnel,
  inviteMembers,
  joinByInvitation,
  joinWithNewAccount,
  openInvitation,
  parseEmailList,
  resendInvitation,
  revokeInvitation,
  updateInvitation,
} from "./invitations.server.ts";

const SITE = "http://cohort.test";
const START = Date.UTC(2026, 2, 3, 8);
let n = 0;


describe("parseEmailList", () => {
  it("reports invalid and repeated addresses instead of dropping them", () => {
    expect(parseEmailList("a@example.com, B@Example.com;\n<c@example.com> not-an-email a@example.com")).toEqual({
      valid: ["a@example.com", "b@example.com", "c@example.com"],
      invalid: ["not-an-email"],
      duplicates: ["a@example.com"],
    });
  });
});

describe.each(testEngines())("invitations on %s", (engine) => {
  let t: TestDatabase;
  let moderator: Actor;

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    const { userId } = await createAccount(t.db, { email: "mod@example.com", displayName: "Mo", password: "password!", role: "moderator" });
    moderator = { id: userId, role: "moderator" };
  });
  afterAll(async () => {
    await t.cleanup();
  });
  afterEach(() => resetClock());

  /** A published community opening at START and closing 14 days later, and one invitation to it. */
  async function setUp(email = `guest${++n}@example.com`) {
    setClock(START - 2 * DAY);
    const slug = `study-${engine}-${++n}`;
    await createCommunity(t.db, moderator, {
      name: "A study",
      slug,
      purpose: "What we want to learn, at some length.",
      timeZone: "UTC",
      startsAt: "2026-03-03T08:00",
      endsAt: "2026-03-17T08:00",
    });
    await publishCommunity(t.db, moderator, slug);
    const report = await inviteMembers(t.db, moderator, slug, { emails: email, role: "participant", note: "Hi!" }, { siteOrigin: SITE });
    const message = await t.db.selectFrom("outbox").selectAll().where("id", "=", report.outboxIds[0]!).executeTakeFirstOrThrow();
    const token = new RegExp(`${SITE}/invitations/([a-z2-7]+)`).exec(message.text_body)![1]!;
    const { userId } = await createAccount(t.db, { email, displayName: "Guest", password: "password!" });
    const { community } = await getCommunityForActor(t.db, moderator, slug);
    return { slug, token, email, user: { id: userId, email }, community, message };
  }

  it("invites, reporting invalid, repeated and existing-member addresses, and writes the email to the outbox", async () => {
    const { slug, message } = await setUp();
    const member = await createAccount(t.db, { email: `member${++n}@example.com`, displayName: "M", password: "password!" });
    const { community } = await getCommunityForActor(t.db, moderator, slug);
    await addMember(t.db, { communityId: community.id, userId: member.userId, role: "participant", datesConfirmedAt: null });
    const report = await inviteMembers(
      t.db,
      moderator,
      slug,
      { emails: `bad-address, member${n}@example.com, new${n}@example.com, new${n}@example.com`, role: "leader" },
      { siteOrigin: SITE },
    );
    expect(report).toMatchObject({ invited: [`new${n}@example.com`], invalid: ["bad-address"], duplicates: [`new${n}@example.com`], alreadyMembers: [`member${n}@example.com`] });
    expect(message.subject).toContain("A study");
    expect(message.text_body).toContain("It opens Tuesday, 3 March 2026 at 08:00 UTC and closes Tuesday, 17 March 2026 at 08:00 UTC.");
    expect(message.text_body).toContain("Hi!");
  });

  it("never stores the raw token", async () => {
    const { token } = await setUp();
    const rows = await t.db.selectFrom("invitations").selectAll().execute();
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(token);
    expect(rows.some((r) => r.token_hash === hashToken(token))).toBe(true);
    expect(token.length).toBeGreaterThanOrEqual(26); // 160 bits in base32
  });

  it("is not consumed by opening, and is single use", async () => {
    const { token, user, community } = await setUp();
    expect(await openInvitation(t.db, token)).not.toBeNull();
    expect(await openInvitation(t.db, token)).not.toBeNull();
    await acceptInvitation(t.db, token, user, { datesConfirmed: true });
    const membership = await t.db.selectFrom("memberships").selectAll().where("community_id", "=", community.id).where("user_id", "=", user.id).executeTakeFirstOrThrow();
    expect(membership.dates_confirmed_at).not.toBeNull();
    const again = await refusalOf(acceptInvitation(t.db, token, user, { datesConfirmed: true }));
    expect(again.message).toBe(INVALID_INVITATION);
    expect(await openInvitation(t.db, token)).toBeNull();
    const funnel = await invitationFunnel(t.db, community.id);
    expect(funnel).toEqual({ sent: 1, opened: 1, accepted: 1, expired: 0, revoked: 0, fromNominations: { sent: 0, opened: 0, accepted: 0 } });
  });

  it("gives wrong, expired and revoked tokens the same answer", async () => {
    const expired = await setUp();
    setClock(START - 2 * DAY + 14 * DAY);
    const expiredRefusal = await refusalOf(acceptInvitation(t.db, expired.token, expired.user, { datesConfirmed: true }));
    expect(await openInvitation(t.db, expired.token)).toBeNull();

    const revoked = await setUp();
    const invitation = await t.db.selectFrom("invitations").select("id").where("email", "=", revoked.email).executeTakeFirstOrThrow();
    await revokeInvitation(t.db, moderator, revoked.slug, invitation.id);
    const revokedRefusal = await refusalOf(acceptInvitation(t.db, revoked.token, revoked.user, { datesConfirmed: true }));
    const wrongRefusal = await refusalOf(acceptInvitation(t.db, "a".repeat(32), revoked.user, { datesConfirmed: true }));

    for (const r of [expiredRefusal, revokedRefusal, wrongRefusal]) {
      expect(r.message).toBe(INVALID_INVITATION);
      expect(r.status).toBe(404);
    }
    expect(await openInvitation(t.db, revoked.token)).toBeNull();
  });

  it("refuses a token presented by another account", async () => {
    const { token } = await setUp();
    const other = await createAccount(t.db, { email: `other${++n}@example.com`, displayName: "O", password: "password!" });
    const r = await refusalOf(acceptInvitation(t.db, token, { id: other.userId, email: `other${n}@example.com` }, { datesConfirmed: true }));
    expect(r.status).toBe(403);
    expect(await t.db.selectFrom("memberships").selectAll().where("user_id", "=", other.userId).execute()).toEqual([]);
  });

  it("explains that a community has closed, and never lets anyone join it", async () => {
    const { token, user } = await setUp();
    setClock(START + 14 * DAY);
    const opened = await openInvitation(t.db, token);
    expect(opened?.community.closed).toBe(true);
    const r = await refusalOf(acceptInvitation(t.db, token, user, { datesConfirmed: true }));
    expect(r.message).toBe("This community closed on 17 March 2026; it can no longer be joined.");
    expect(await t.db.selectFrom("memberships").selectAll().where("user_id", "=", user.id).execute()).toEqual([]);
  });

  it("expires an invitation when the community closes, even if 14 days have not passed", async () => {
    const { slug, community } = await setUp();
    setClock(START + 10 * DAY);
    const late = `late${++n}@example.com`;
    await inviteMembers(t.db, moderator, slug, { emails: late, role: "participant" }, { siteOrigin: SITE });
    const invitation = await t.db.selectFrom("invitations").select("expires_at").where("email", "=", late).executeTakeFirstOrThrow();
    expect(invitation.expires_at).toBe(community.ends_at);
  });

  it("replaces the token when resent: the old link stops working, the new one works", async () => {
    const { token, user, slug } = await setUp();
    const invitation = await t.db.selectFrom("invitations").select("id").where("email", "=", user.email).executeTakeFirstOrThrow();
    const outboxId = await resendInvitation(t.db, moderator, slug, invitation.id, { siteOrigin: SITE });
    const message = await t.db.selectFrom("outbox").selectAll().where("id", "=", outboxId).executeTakeFirstOrThrow();
    const fresh = /\/invitations\/([a-z2-7]+)/.exec(message.text_body)![1]!;
    expect(fresh).not.toBe(token);
    expect((await refusalOf(acceptInvitation(t.db, token, user, { datesConfirmed: true }))).message).toBe(INVALID_INVITATION);
    await expect(acceptInvitation(t.db, fresh, user, { datesConfirmed: true })).resolves.toEqual({ slug });
  });

  it("requires the dates to be confirmed", async () => {
    const { token, user } = await setUp();
    expect((await refusalOf(acceptInvitation(t.db, token, user, { datesConfirmed: false }))).status).toBe(400);
    expect(await t.db.selectFrom("memberships").selectAll().where("user_id", "=", user.id).execute()).toEqual([]);
  });

  it("lets exactly one of twenty parallel acceptances through", async () => {
    const { token, user, community } = await setUp();
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => acceptInvitation(t.db, token, user, { datesConfirmed: true })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rows = await t.db.selectFrom("memberships").selectAll().where("community_id", "=", community.id).where("user_id", "=", user.id).execute();
    expect(rows).toHaveLength(1);
    const accepted = await t.db.selectFrom("invitations").select("accepted_at").where("token_hash", "=", hashToken(token)).executeTakeFirstOrThrow();
    expect(accepted.accepted_at).not.toBeNull();
  });

  it("refuses invitations from people who cannot manage the community", async () => {
    const { slug } = await setUp();
    const member = await createAccount(t.db, { email: `p${++n}@example.com`, displayName: "P", password: "password!" });
    const r = await refusalOf(inviteMembers(t.db, { id: member.userId, role: "member" }, slug, { emails: "x@example.com", role: "participant" }, { siteOrigin: SITE }));
    expect(r.status).toBe(404);
  });

  it("says in the email which role is offered and what it means", async () => {
    const { slug } = await setUp();
    const leader = `leader${++n}@example.com`;
    const report = await inviteMembers(t.db, moderator, slug, { emails: leader, role: "leader" }, { siteOrigin: SITE });
    const message = await t.db.selectFrom("outbox").selectAll().where("id", "=", report.outboxIds[0]!).executeTakeFirstOrThrow();
    expect(message.text_body).toContain("as a discussion leader.");
    expect(message.text_body).toContain("You are invited to lead discussions");
    expect(message.html_body).toContain("You are invited to lead discussions");
  });

  it("changes a waiting invitation's role and note without sending it again, audited; the same link shows the change", async () => {
    const { slug, token, email, user } = await setUp();
    const invitation = await t.db.selectFrom("invitations").select("id").where("email", "=", email).executeTakeFirstOrThrow();
    const sentBefore = await t.db.selectFrom("outbox").select("id").where("to_address", "=", email).execute();
    const result = await updateInvitation(t.db, moderator, slug, invitation.id, { role: "leader", note: "Lead the reporting prompts?", resend: false }, { siteOrigin: SITE });
    expect(result).toEqual({ changed: true, outboxId: null });
    expect(await t.db.selectFrom("outbox").select("id").where("to_address", "=", email).execute()).toHaveLength(sentBefore.length);
    const opened = await openInvitation(t.db, token);
    expect(opened).toMatchObject({ role: "leader", note: "Lead the reporting prompts?" });
    const audit = (await listAudit(t.db)).entries.find((e) => e.action === "invitation.change" && e.summary.includes(email))!;
    expect(audit.summary).toContain("role participant → discussion leader, note changed");
    expect(audit.actor_id).toBe(moderator.id);
    // Asked to resend: a new link, the old one stops working.
    const again = await updateInvitation(t.db, moderator, slug, invitation.id, { role: "leader", note: "Lead the reporting prompts?", resend: true }, { siteOrigin: SITE });
    expect(again.changed).toBe(false);
    expect(again.outboxId).not.toBeNull();
    expect(await openInvitation(t.db, token)).toBeNull();
    // Once accepted it can no longer be changed; nor by someone who cannot manage the community.
    const message = await t.db.selectFrom("outbox").selectAll().where("id", "=", again.outboxId!).executeTakeFirstOrThrow();
    const fresh = /\/invitations\/([a-z2-7]+)/.exec(message.text_body)![1]!;
    await acceptInvitation(t.db, fresh, user, { datesConfirmed: true });
    const membership = await t.db.selectFrom("memberships").select("role").where("user_id", "=", user.id).executeTakeFirstOrThrow();
    expect(membership.role).toBe("leader");
    expect((await refusalOf(updateInvitation(t.db, moderator, slug, invitation.id, { role: "participant", resend: false }, { siteOrigin: SITE }))).status).toBe(409);
    const outsider = await createAccount(t.db, { email: `o${++n}@example.com`, displayName: "O", password: "password!" });
    expect((await refusalOf(updateInvitation(t.db, { id: outsider.userId, role: "member" }, slug, invitation.id, { role: "participant", resend: false }, { siteOrigin: SITE }))).status).toBe(404);
  });

  it("blocks an address only while its invitation waits; after withdrawing or expiry it can be invited again", async () => {
    const { slug, token, email, user, community } = await setUp();
    const waiting = await inviteMembers(t.db, moderator, slug, { emails: email, role: "leader" }, { siteOrigin: SITE });
    expect(waiting).toMatchObject({ invited: [], alreadyInvited: [email] });
    const invitation = await t.db.selectFrom("invitations").select("id").where("email", "=", email).executeTakeFirstOrThrow();
    await revokeInvitation(t.db, moderator, slug, invitation.id);
    const again = await inviteMembers(t.db, moderator, slug, { emails: email, role: "leader", note: "Second try" }, { siteOrigin: SITE });
    expect(again).toMatchObject({ invited: [email], reinvited: [email], alreadyInvited: [] });
    // The withdrawn link stays dead; the new one works and carries the new role.
    expect(await openInvitation(t.db, token)).toBeNull();
    const message = await t.db.selectFrom("outbox").selectAll().where("id", "=", again.outboxIds[0]!).executeTakeFirstOrThrow();
    const fresh = /\/invitations\/([a-z2-7]+)/.exec(message.text_body)![1]!;
    expect(await openInvitation(t.db, fresh)).toMatchObject({ role: "leader", note: "Second try" });
    const rows = await t.db.selectFrom("invitations").select("id").where("community_id", "=", community.id).where("email", "=", email).execute();
    expect(rows).toHaveLength(1);
    // Expired: invitable again.
    setClock(START + 13 * DAY);
    expect(await inviteMembers(t.db, moderator, slug, { emails: email, role: "participant" }, { siteOrigin: SITE })).toMatchObject({ invited: [email], reinvited: [email] });
    await expect(acceptInvitation(t.db, fresh, user, { datesConfirmed: true })).rejects.toThrow(INVALID_INVITATION);
  });

  it("creates no account when joining through a pending invitation after the community closed (issue 14)", async () => {
    setClock(START - 2 * DAY);
    const slug = `closing-${engine}-${++n}`;
    await createCommunity(t.db, moderator, { name: "Short study", slug, purpose: "What we want to learn, at some length.", timeZone: "UTC", startsAt: "2026-03-03T08:00", endsAt: "2026-03-05T08:00" });
    await publishCommunity(t.db, moderator, slug);
    const email = `late${n}@example.com`;
    const report = await inviteMembers(t.db, moderator, slug, { emails: email, role: "participant" }, { siteOrigin: SITE });
    const message = await t.db.selectFrom("outbox").selectAll().where("id", "=", report.outboxIds[0]!).executeTakeFirstOrThrow();
    const token = new RegExp(`${SITE}/invitations/([a-z2-7]+)`).exec(message.text_body)![1]!;
    setClock(Date.UTC(2026, 2, 5, 9));
    const refusal = await refusalOf(joinWithNewAccount(t.db, token, { displayName: "Late", password: "password!" }, { datesConfirmed: true }, { clientAddress: "192.0.2.1" }));
    expect(refusal.status).toBe(409);
    expect(await t.db.selectFrom("users").select("id").where("email", "=", email).execute()).toEqual([]);
  });

  it("creates the account and the membership together through an open invitation", async () => {
    setClock(START - 2 * DAY);
    const slug = `joining-${engine}-${++n}`;
    await createCommunity(t.db, moderator, { name: "Open study", slug, purpose: "What we want to learn, at some length.", timeZone: "UTC", startsAt: "2026-03-03T08:00", endsAt: "2026-03-17T08:00" });
    await publishCommunity(t.db, moderator, slug);
    const email = `joiner${n}@example.com`;
    const report = await inviteMembers(t.db, moderator, slug, { emails: email, role: "participant" }, { siteOrigin: SITE });
    const message = await t.db.selectFrom("outbox").selectAll().where("id", "=", report.outboxIds[0]!).executeTakeFirstOrThrow();
    const token = new RegExp(`${SITE}/invitations/([a-z2-7]+)`).exec(message.text_body)![1]!;
    const undated = await refusalOf(joinWithNewAccount(t.db, token, { displayName: "Jo", password: "password!" }, { datesConfirmed: false }, { clientAddress: "192.0.2.1" }));
    expect(undated.status).toBe(400);
    expect(await t.db.selectFrom("users").select("id").where("email", "=", email).execute()).toEqual([]);
    const joined = await joinWithNewAccount(t.db, token, { displayName: "Jo", password: "password!" }, { datesConfirmed: true }, { clientAddress: "192.0.2.1" });
    expect(joined.slug).toBe(slug);
    const { community } = await getCommunityForActor(t.db, moderator, slug);
    expect(await t.db.selectFrom("memberships").select("user_id").where("community_id", "=", community.id).where("user_id", "=", joined.userId).executeTakeFirst()).toBeTruthy();
  });

  it("joins from the invitation page by signing in as the invited address, with a fresh session, after refusing what cannot join", async () => {
    const { slug, token, user, community } = await setUp();
    const client = { clientAddress: "192.0.2.7" };
    const dated = { datesConfirmed: true };
    expect((await refusalOf(joinByInvitation(t.db, "no-such-token", { by: "session", user }, dated, client))).status).toBe(404);
    expect((await refusalOf(joinByInvitation(t.db, token, { by: "sign-in", password: "password!" }, { datesConfirmed: false }, client))).status).toBe(400);
    const nobody = await refusalOf(joinByInvitation(t.db, token, { by: "session", user: null }, dated, client));
    expect(nobody).toMatchObject({ status: 400, message: "Sign in or create your account to join." });
    expect((await refusalOf(joinByInvitation(t.db, token, { by: "sign-in", password: "not the password" }, dated, client))).status).toBe(400);
    const joined = await joinByInvitation(t.db, token, { by: "sign-in", password: "password!" }, dated, client);
    expect(joined.slug).toBe(slug);
    expect(joined.sessionToken).toEqual(expect.any(String));
    expect(await t.db.selectFrom("memberships").select("user_id").where("community_id", "=", community.id).where("user_id", "=", user.id).executeTakeFirst()).toBeTruthy();
  });

  it("joins as the person already signed in, starting no new session", async () => {
    const { slug, token, user } = await setUp();
    expect(await joinByInvitation(t.db, token, { by: "session", user }, { datesConfirmed: true }, { clientAddress: "192.0.2.8" })).toEqual({ slug, sessionToken: null });
  });

});

describe.each(testEngines())("the daily invitation limit under parallel batches on %s", (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await t.cleanup();
  });
  afterEach(() => resetClock());

  it("lets no more than the limit through when 50 batches arrive at once", async () => {
    setClock(Date.UTC(2026, 5, 1));
    const { userId } = await createAccount(t.db, { email: `racer-${engine}@example.com`, displayName: "Racer", password: "password!", role: "moderator" });
    const mod: Actor = { id: userId, role: "moderator" };
    await createCommunity(t.db, mod, { name: "Race study", slug: `race-${engine}`, purpose: "Many invitations sent at once.", timeZone: "UTC", startsAt: "2026-07-01T08:00", endsAt: "2026-08-01T08:00" });
    const community = await t.db.selectFrom("communities").select("id").where("slug", "=", `race-${engine}`).executeTakeFirstOrThrow();
    // 995 sent earlier today: 5 left.
    const at = Date.UTC(2026, 5, 1) - 1000;
    const earlier = Array.from({ length: 995 }, (_, i) => ({
      id: `earlier-${engine}-${i}`, community_id: community.id, email: `earlier${i}@example.com`, token_hash: `hash-${engine}-${i}`, role: "participant" as const,
      note: null, source: null, attributes: "{}", invited_by: userId, created_at: at, sent_at: at, expires_at: at + 7 * DAY,
    }));
    for (let i = 0; i < earlier.length; i += 200) await t.db.insertInto("invitations").values(earlier.slice(i, i + 200)).execute();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => inviteMembers(t.db, mod, `race-${engine}`, { emails: `parallel${i}@example.com`, role: "participant" }, { siteOrigin: SITE }).then(() => "sent", (e: unknown) => e)),
    );
    expect(results.filter((r) => r === "sent")).toHaveLength(5);
    const sent = await t.db.selectFrom("invitations").select((eb) => eb.fn.countAll<number>().as("n")).where("invited_by", "=", userId).executeTakeFirstOrThrow();
    expect(Number(sent.n)).toBe(1000);
  });
});

describe("daily invitation limit and delivery", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
  });
  afterAll(async () => {
    await t.cleanup();
  });
  afterEach(() => resetClock());

  it("stops a moderator at the daily limit, saying how many are left, and opens again a day later", async () => {
    setClock(Date.UTC(2026, 5, 1));
    const { userId } = await createAccount(t.db, { email: "busy@example.com", displayName: "Busy", password: "password!", role: "moderator" });
    const mod: Actor = { id: userId, role: "moderator" };
    await createCommunity(t.db, mod, { name: "Big study", slug: "big-study", purpose: "A large study with many invitations.", timeZone: "UTC", startsAt: "2026-07-01T08:00", endsAt: "2026-08-01T08:00" });
    const batch = (from: number, count: number) => Array.from({ length: count }, (_, i) => `guest${from + i}@example.com`).join("\n");
    await inviteMembers(t.db, mod, "big-study", { emails: batch(0, 500), role: "participant" }, { siteOrigin: SITE });
    await inviteMembers(t.db, mod, "big-study", { emails: batch(500, 499), role: "participant" }, { siteOrigin: SITE });
    const over = await refusalOf(inviteMembers(t.db, mod, "big-study", { emails: batch(999, 2), role: "participant" }, { siteOrigin: SITE }));
    expect(over.status).toBe(429);
    expect(over.message).toBe("You can send 1000 invitations a day; you have 1 left today.");
    // Every invitation counted was sent at this instant: the first frees a day from now.
    expect(over.retryAfterSeconds).toBe(DAY / 1000);
    expect((await refusalOf(inviteMembers(t.db, mod, "big-study", { emails: batch(2000, 501), role: "participant" }, { siteOrigin: SITE }))).message).toBe("Invite at most 500 addresses at once.");
    setClock(Date.UTC(2026, 5, 2, 0, 0, 1));
    await expect(inviteMembers(t.db, mod, "big-study", { emails: batch(999, 2), role: "participant" }, { siteOrigin: SITE })).resolves.toHaveProperty("invited");
  });

  it("records a failed SMTP delivery on the message, where it can be retried", async () => {
    const id = await queueEmail(t.db, { to: "x@example.com", subject: "Hello", text: "Hi", html: "<p>Hi</p>" });
    // Nothing listens on port 1: the send fails at once.
    const result = await deliverQueued(t.db, { smtpUrl: "smtp://127.0.0.1:1", from: "cohort@example.com", ids: [id] });
    expect(result).toEqual({ sent: 0, failed: 1 });
    const message = await t.db.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(message.sent_at).toBeNull();
    expect(message.attempts).toBe(1);
    expect(message.last_error).toMatch(/ECONNREFUSED|connect/i);
    // Without SMTP nothing is attempted: the message waits in the outbox.
    expect(await deliverQueued(t.db, { smtpUrl: undefined, from: "x", ids: [id] })).toEqual({ sent: 0, failed: 0 });
  });
});
