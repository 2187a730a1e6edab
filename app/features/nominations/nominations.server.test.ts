import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { listNotifications } from "#app/features/notifications/notifications.server.ts";
import { refusalOf } from "#app/lib/testing.ts";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { DAY, resetClock, setClock } from "#app/lib/clock.ts";
import { createCommunity, publishCommunity } from "#app/features/communities/communities.server.ts";
import { acceptInvitation, invitationFunnel, inviteMembers, revokeInvitation } from "#app/features/invitations/invitations.server.ts";
import { declineNomination, inviteFromNomination, listOpenNominations, nominate } from "./nominations.server.ts";
import { NominateSchema } from "./schemas.ts";

const SITE = "http://cohort.test";
const START = Date.UTC(2026, 2, 3, 8);
let n = 0;

describe.each(testEngines())("nominations on %s", (engine) => {
  let t: TestDatabase;
  const people: Record<"moderator" | "product" | "admin" | "member", Actor> = {} as never;
  let slug: string;
  let communityId: string;

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    setClock(START - 2 * DAY);
    const names = { moderator: "Maya", product: "Priya", admin: "Ada", member: "Pat" } as const;
    for (const role of ["moderator", "product", "admin", "member"] as const) {
      const { userId } = await createAccount(t.db, { email: `${role}@example.com`, displayName: names[role], password: "password!", role });
      people[role] = { id: userId, role };
    }
    slug = `beta-${engine}`;
    await createCommunity(t.db, people.moderator, { name: "Reporting beta", slug, purpose: "What reports miss, at some length.", timeZone: "UTC", startsAt: "2026-03-03T08:00", endsAt: "2026-03-17T08:00" });
    await publishCommunity(t.db, people.moderator, slug);
    communityId = (await t.db.selectFrom("communities").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await t.cleanup();
  });
  afterEach(() => setClock(START - 2 * DAY));
  afterAll(() => resetClock());

  const input = (extra: Partial<Record<string, string>> = {}) =>
    NominateSchema.parse({
      email: `Customer${++n}@Example.com`,
      name: `Customer ${n}`,
      quote: "I export every report to a spreadsheet because I cannot filter by region.",
      foundWhere: "Ticket https://support.example.com/t/4821",
      ...extra,
    });

  it("lets every staff role nominate, and refuses participants (as if the page did not exist)", async () => {
    for (const role of ["moderator", "product", "admin"] as const) {
      const { id } = await nominate(t.db, people[role], input({ community: slug }));
      const row = await t.db.selectFrom("nominations").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: "open", nominated_by: people[role].id, community_id: communityId, email: `customer${n}@example.com` });
    }
    const refused = await refusalOf(nominate(t.db, people.member, input()));
    expect(refused.status).toBe(404);
    expect(await t.db.selectFrom("nominations").selectAll().where("nominated_by", "=", people.member.id).execute()).toEqual([]);
  });

  it("requires what the customer said, and refuses a community the nominator cannot name", async () => {
    expect(NominateSchema.safeParse({ email: "a@example.com", name: "A", quote: "" }).success).toBe(false);
    expect((await refusalOf(nominate(t.db, people.product, input({ community: "no-such-community" })))).status).toBe(400);
  });

  it("lists open nominations oldest first, paged by key, for moderators and admins only", async () => {
    const { nominations } = await listOpenNominations(t.db, people.moderator, { limit: 1000 });
    const times = nominations.map((row) => Number(row.created_at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const first = await listOpenNominations(t.db, people.admin, { limit: 2 });
    expect(first.nominations).toHaveLength(2);
    const second = await listOpenNominations(t.db, people.admin, { limit: 2, after: first.next! });
    expect(second.nominations[0]!.id).not.toBe(first.nominations[1]!.id);
    expect(nominations.slice(2, 3).map((r) => r.id)).toEqual(second.nominations.slice(0, 1).map((r) => r.id));
    expect((await refusalOf(listOpenNominations(t.db, people.product))).status).toBe(403);
    expect((await refusalOf(listOpenNominations(t.db, people.member))).status).toBe(404);
  });

  it("invites from a nomination: exactly one invitation carrying the source, the nominator told, and joining tells them again", async () => {
    const { id } = await nominate(t.db, people.product, input({ community: slug, askToLead: "on" }));
    const nomination = await t.db.selectFrom("nominations").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    // A product reviewer nominates but does not invite.
    expect((await refusalOf(inviteFromNomination(t.db, people.product, { nominationId: id, community: slug, role: "leader" }, { siteOrigin: SITE }))).status).toBe(403);
    const result = await inviteFromNomination(t.db, people.moderator, { nominationId: id, community: slug, role: "leader", note: "Priya told us about you." }, { siteOrigin: SITE });
    expect(result.outboxIds).toHaveLength(1);
    const invitations = await t.db.selectFrom("invitations").selectAll().where("email", "=", nomination.email).execute();
    expect(invitations).toHaveLength(1);
    expect(invitations[0]).toMatchObject({ nomination_id: id, role: "leader", source: "Nominated by Priya: Ticket https://support.example.com/t/4821", invited_by: people.moderator.id });
    expect((await t.db.selectFrom("nominations").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("invited");
    const told = (await listNotifications(t.db, people.product.id)).filter((n) => n.kind === "nomination.outcome");
    expect(told.map((row) => row.title)).toContain(`Maya invited ${nomination.name}, whom you nominated, to Reporting beta`);
    // A second attempt (another moderator at the same moment) invites nobody more.
    expect((await refusalOf(inviteFromNomination(t.db, people.admin, { nominationId: id, community: slug, role: "leader" }, { siteOrigin: SITE }))).status).toBe(409);
    expect(await t.db.selectFrom("invitations").selectAll().where("email", "=", nomination.email).execute()).toHaveLength(1);

    // The customer joins: the member carries the source, the funnel counts it, the nominator hears.
    const message = await t.db.selectFrom("outbox").selectAll().where("id", "=", result.outboxIds[0]!).executeTakeFirstOrThrow();
    expect(message.text_body).toContain("You are invited to lead discussions");
    const token = /\/invitations\/([a-z2-7]+)/.exec(message.text_body)![1]!;
    const customer = await createAccount(t.db, { email: nomination.email, displayName: nomination.name, password: "password!" });
    await acceptInvitation(t.db, token, { id: customer.userId, email: nomination.email }, { datesConfirmed: true });
    const membership = await t.db.selectFrom("memberships").selectAll().where("user_id", "=", customer.userId).executeTakeFirstOrThrow();
    expect(membership).toMatchObject({ role: "leader", source: "Nominated by Priya: Ticket https://support.example.com/t/4821" });
    expect((await t.db.selectFrom("nominations").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("joined");
    const joined = (await listNotifications(t.db, people.product.id)).filter((n) => n.kind === "nomination.outcome");
    expect(joined.map((row) => row.title)).toContain(`${nomination.name}, whom you nominated, joined Reporting beta`);
    const funnel = await invitationFunnel(t.db, communityId);
    expect(funnel.fromNominations).toEqual({ sent: 1, opened: 1, accepted: 1 });
  });

  it("does not invite from a nomination when the address already has a waiting invitation, and leaves the nomination open", async () => {
    const nominated = input();
    const { id } = await nominate(t.db, people.admin, nominated);
    await inviteMembers(t.db, people.moderator, slug, { emails: nominated.email, role: "participant" }, { siteOrigin: SITE });
    const refused = await refusalOf(inviteFromNomination(t.db, people.moderator, { nominationId: id, community: slug, role: "participant" }, { siteOrigin: SITE }));
    expect(refused.status).toBe(409);
    expect(refused.message).toContain("already has a waiting invitation");
    expect((await t.db.selectFrom("nominations").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("open");
    const invitation = await t.db.selectFrom("invitations").select(["id", "nomination_id"]).where("email", "=", nominated.email).executeTakeFirstOrThrow();
    expect(invitation.nomination_id).toBeNull();
    // Once that invitation is withdrawn, the nomination can be taken up.
    await revokeInvitation(t.db, people.moderator, slug, invitation.id);
    await inviteFromNomination(t.db, people.moderator, { nominationId: id, community: slug, role: "participant" }, { siteOrigin: SITE });
    expect((await t.db.selectFrom("invitations").select("nomination_id").where("id", "=", invitation.id).executeTakeFirstOrThrow()).nomination_id).toBe(id);
  });

  it("declines only with a reason, and tells the nominator that reason", async () => {
    const { id } = await nominate(t.db, people.product, input());
    expect((await refusalOf(declineNomination(t.db, people.moderator, { nominationId: id, reason: "  " }))).status).toBe(400);
    expect((await refusalOf(declineNomination(t.db, people.product, { nominationId: id, reason: "Not a customer." }))).status).toBe(403);
    expect((await t.db.selectFrom("nominations").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("open");
    await declineNomination(t.db, people.moderator, { nominationId: id, reason: "They are already in the closed beta." });
    const row = await t.db.selectFrom("nominations").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "declined", decline_reason: "They are already in the closed beta.", decided_by: people.moderator.id });
    const told = await t.db.selectFrom("notifications").selectAll().where("user_id", "=", people.product.id).where("body", "=", "They are already in the closed beta.").executeTakeFirstOrThrow();
    expect(told.kind).toBe("nomination.outcome");
    expect((await refusalOf(inviteFromNomination(t.db, people.moderator, { nominationId: id, community: slug, role: "participant" }, { siteOrigin: SITE }))).status).toBe(409);
  });
});
