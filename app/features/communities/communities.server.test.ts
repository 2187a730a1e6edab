import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { refusalOf } from "#app/lib/testing.ts";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { resetClock, setClock } from "#app/lib/clock.ts";
import {
  addMember,
  archiveCommunity,
  createCommunity,
  getCommunityForActor,
  listHomeCommunities,
  publishCommunity,
  updateCommunity,
} from "./communities.server.ts";
import { assertAllowed } from "#app/features/auth/policy.ts";
import { unreadCount } from "#app/features/notifications/notifications.server.ts";

const form = (slug: string) => ({
  name: "Reporting beta",
  slug,
  purpose: "Tell us what your dashboards miss <script>alert(1)</script>",
  timeZone: "Europe/Berlin",
  startsAt: "2026-03-03T09:00",
  endsAt: "2026-03-17T18:00",
});


describe.each(testEngines())("communities on %s", (engine) => {
  let t: TestDatabase;
  let moderator: Actor;
  let participant: Actor;
  let outsider: Actor;
  let product: Actor;
  const person = async (role: Actor["role"], name: string): Promise<Actor> => {
    const { userId } = await createAccount(t.db, { email: `${name}@example.com`, displayName: name, password: "password!", role });
    return { id: userId, role };
  };

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    moderator = await person("moderator", "mod");
    participant = await person("member", "part");
    outsider = await person("member", "out");
    product = await person("product", "prod");
  });
  afterAll(async () => {
    await t.cleanup();
  });
  afterEach(() => resetClock());

  it("creates a draft with dates read in its zone and the brief rendered safely", async () => {
    setClock(Date.UTC(2026, 1, 1));
    await createCommunity(t.db, moderator, form("reporting-beta"));
    const { community } = await getCommunityForActor(t.db, moderator, "reporting-beta");
    expect(community.phase).toBe("draft");
    expect(new Date(community.starts_at).toISOString()).toBe("2026-03-03T08:00:00.000Z");
    expect(new Date(community.ends_at).toISOString()).toBe("2026-03-17T17:00:00.000Z");
    expect(community.purpose_html).not.toContain("<script");
    expect((await refusalOf(createCommunity(t.db, moderator, form("reporting-beta")))).status).toBe(409);
  });

  it("refuses creation by members and product reviewers", async () => {
    expect((await refusalOf(createCommunity(t.db, participant, form("nope-one")))).status).toBe(403);
    expect((await refusalOf(createCommunity(t.db, product, form("nope-two")))).status).toBe(403);
  });

  it("keeps a draft invisible to its members, then shows it once published", async () => {
    setClock(Date.UTC(2026, 1, 1));
    await createCommunity(t.db, moderator, form("draft-then-live"));
    const { community } = await getCommunityForActor(t.db, moderator, "draft-then-live");
    await addMember(t.db, { communityId: community.id, userId: participant.id, role: "participant", datesConfirmedAt: Date.UTC(2026, 1, 1) });
    expect((await refusalOf(getCommunityForActor(t.db, participant, "draft-then-live"))).status).toBe(404);
    expect((await listHomeCommunities(t.db, participant)).map((c) => c.slug)).not.toContain("draft-then-live");

    await publishCommunity(t.db, moderator, "draft-then-live");
    const view = await getCommunityForActor(t.db, participant, "draft-then-live");
    expect(view.community.phase).toBe("upcoming");
    expect(view.membership).toEqual({ role: "participant", consentVersion: 0 });
    const home = await listHomeCommunities(t.db, participant);
    expect(home.find((c) => c.slug === "draft-then-live")).toMatchObject({ phase: "upcoming", members: 1 });

    // Outsiders learn nothing, not even that it exists.
    expect((await refusalOf(getCommunityForActor(t.db, outsider, "draft-then-live"))).status).toBe(404);
    expect((await refusalOf(getCommunityForActor(t.db, null, "draft-then-live"))).status).toBe(404);
    expect((await listHomeCommunities(t.db, outsider)).map((c) => c.slug)).not.toContain("draft-then-live");

    // Writes follow the phase: refused before the opening, allowed inside, refused after.
    setClock(Date.UTC(2026, 2, 3, 7, 59, 59));
    let view2 = await getCommunityForActor(t.db, participant, "draft-then-live");
    expect(() => assertAllowed(participant, "community.participate", view2)).toThrow(/opens on Tuesday, 3 March 2026 at 09:00 CET/);
    setClock(Date.UTC(2026, 2, 3, 8));
    view2 = await getCommunityForActor(t.db, participant, "draft-then-live");
    expect(() => assertAllowed(participant, "community.participate", view2)).not.toThrow();
    setClock(Date.UTC(2026, 2, 17, 17));
    view2 = await getCommunityForActor(t.db, participant, "draft-then-live");
    expect(() => assertAllowed(participant, "community.participate", view2)).toThrow("This community closed on 17 March 2026; it is read only.");
  });

  it("lists a draft for the member made its moderator, as its page opens for them (issue 15)", async () => {
    setClock(Date.UTC(2026, 1, 1));
    await createCommunity(t.db, moderator, form("draft-with-a-moderator"));
    const { community } = await getCommunityForActor(t.db, moderator, "draft-with-a-moderator");
    const communityModerator = await person("member", "community-mod");
    await addMember(t.db, { communityId: community.id, userId: communityModerator.id, role: "moderator", datesConfirmedAt: null });
    await addMember(t.db, { communityId: community.id, userId: participant.id, role: "participant", datesConfirmedAt: null });
    expect((await getCommunityForActor(t.db, communityModerator, "draft-with-a-moderator")).community.phase).toBe("draft");
    expect((await listHomeCommunities(t.db, communityModerator)).map((c) => c.slug)).toContain("draft-with-a-moderator");
    expect((await listHomeCommunities(t.db, participant)).map((c) => c.slug)).not.toContain("draft-with-a-moderator");
    expect((await listHomeCommunities(t.db, product)).map((c) => c.slug)).toContain("draft-with-a-moderator");
  });

  it("lets moderators change the dates, reports that they changed, and archive", async () => {
    setClock(Date.UTC(2026, 1, 1));
    await createCommunity(t.db, moderator, form("movable"));
    expect((await updateCommunity(t.db, moderator, "movable", { ...form("movable"), endsAt: "2026-03-20T18:00" })).datesChanged).toBe(true);
    expect((await updateCommunity(t.db, moderator, "movable", { ...form("movable"), endsAt: "2026-03-20T18:00", name: "Renamed" })).datesChanged).toBe(false);
    expect((await refusalOf(updateCommunity(t.db, participant, "movable", form("movable")))).status).toBe(404);
    await archiveCommunity(t.db, moderator, "movable");
    expect((await getCommunityForActor(t.db, moderator, "movable")).community.phase).toBe("archived");
    expect((await listHomeCommunities(t.db, moderator)).map((c) => c.slug)).not.toContain("movable");
    expect((await refusalOf(updateCommunity(t.db, moderator, "movable", form("movable")))).message).toBe("This community is archived; it is read only.");
  });

  it("tells every member when a published community's dates change, and nobody when a draft's do", async () => {
    setClock(Date.UTC(2026, 1, 1));
    await createCommunity(t.db, moderator, form("announced"));
    const { community } = await getCommunityForActor(t.db, moderator, "announced");
    await addMember(t.db, { communityId: community.id, userId: participant.id, role: "participant", datesConfirmedAt: 1 });
    await updateCommunity(t.db, moderator, "announced", { ...form("announced"), endsAt: "2026-03-18T18:00" });
    expect(await t.db.selectFrom("announcements").selectAll().where("community_id", "=", community.id).execute()).toEqual([]);

    await publishCommunity(t.db, moderator, "announced");
    const second = await createAccount(t.db, { email: "second@example.com", displayName: "Second", password: "password!" });
    await addMember(t.db, { communityId: community.id, userId: second.userId, role: "leader", datesConfirmedAt: 1 });
    await updateCommunity(t.db, moderator, "announced", { ...form("announced"), endsAt: "2026-03-20T18:00" });

    const announcements = await t.db.selectFrom("announcements").selectAll().where("community_id", "=", community.id).execute();
    expect(announcements).toHaveLength(1);
    expect(announcements[0]!.body).toBe("The dates have changed. It now opens Tuesday, 3 March 2026 at 09:00 CET and closes Friday, 20 March 2026 at 18:00 CET.");
    const notified = await t.db.selectFrom("notifications").select(["user_id", "link", "kind"]).where("kind", "=", "community.dates-changed").execute();
    expect(notified.map((n) => n.user_id).sort()).toEqual([participant.id, second.userId].sort());
    expect(notified.every((n) => n.link === "/c/announced")).toBe(true);
    expect(await unreadCount(t.db, outsider.id)).toBe(0);
    expect(await unreadCount(t.db, participant.id)).toBe(1);

    // Saving without changing the dates announces nothing.
    await updateCommunity(t.db, moderator, "announced", { ...form("announced"), endsAt: "2026-03-20T18:00", name: "Announced" });
    expect(await t.db.selectFrom("announcements").selectAll().where("community_id", "=", community.id).execute()).toHaveLength(1);
  });
});
