import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import type { CommunityRole } from "#db/schema.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import { phaseOf, type Phase } from "#app/features/communities/phase.ts";
import { DAY, resetClock, setClock } from "#app/lib/clock.ts";
import { can, type Actor } from "./policy.ts";
import { communitiesWhere, type ScopedAction } from "./scopes.server.ts";

const AT = Date.UTC(2026, 2, 10, 12);
const ACTIONS: ScopedAction[] = ["community.view", "discussion.moderate", "discussion.lead", "discussion.see-all"];

/** Communities in every phase, on the boundaries too, and with a consent its members have or have not agreed to. */
const COMMUNITIES: { slug: string; published: boolean; archived: boolean; starts: number; ends: number; consent: number; expect: Phase }[] = [
  { slug: "draft", published: false, archived: false, starts: AT + DAY, ends: AT + 9 * DAY, consent: 0, expect: "draft" },
  { slug: "draft-past", published: false, archived: false, starts: AT - 9 * DAY, ends: AT - DAY, consent: 0, expect: "draft" },
  { slug: "upcoming", published: true, archived: false, starts: AT + DAY, ends: AT + 9 * DAY, consent: 0, expect: "upcoming" },
  { slug: "opens-now", published: true, archived: false, starts: AT, ends: AT + 9 * DAY, consent: 0, expect: "active" },
  { slug: "open", published: true, archived: false, starts: AT - DAY, ends: AT + DAY, consent: 0, expect: "active" },
  { slug: "open-new-consent", published: true, archived: false, starts: AT - DAY, ends: AT + DAY, consent: 2, expect: "active" },
  { slug: "open-agreed-consent", published: true, archived: false, starts: AT - DAY, ends: AT + DAY, consent: 1, expect: "active" },
  { slug: "closes-now", published: true, archived: false, starts: AT - DAY, ends: AT, consent: 0, expect: "closed" },
  { slug: "closed", published: true, archived: false, starts: AT - 9 * DAY, ends: AT - DAY, consent: 0, expect: "closed" },
  { slug: "archived", published: true, archived: true, starts: AT - 9 * DAY, ends: AT - DAY, consent: 0, expect: "archived" },
  { slug: "archived-draft", published: false, archived: true, starts: AT + DAY, ends: AT + 9 * DAY, consent: 0, expect: "archived" },
];

/** Every kind of actor: staff of each role, and members holding each community role (or none) everywhere. */
const ACTORS: { name: string; role: Actor["role"]; membership: CommunityRole | "mixed" | null }[] = [
  { name: "admin", role: "admin", membership: null },
  { name: "moderator", role: "moderator", membership: null },
  { name: "product", role: "product", membership: null },
  { name: "product-participant", role: "product", membership: "participant" },
  { name: "participant", role: "member", membership: "participant" },
  { name: "leader", role: "member", membership: "leader" },
  { name: "community-moderator", role: "member", membership: "moderator" },
  { name: "mixed", role: "member", membership: "mixed" },
  { name: "non-member", role: "member", membership: null },
];

describe.each(testEngines())("policy scopes on %s", (engine) => {
  let t: TestDatabase;
  const actors = new Map<string, Actor>();

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    setClock(AT);
    const creator = await createAccount(t.db, { email: "creator@example.com", displayName: "Creator", password: "password!", role: "admin" });
    for (const c of COMMUNITIES) {
      await t.db
        .insertInto("communities")
        .values({
          id: `c-${c.slug}`,
          slug: c.slug,
          name: c.slug,
          purpose_markdown: "",
          purpose_html: "",
          starts_at: c.starts,
          ends_at: c.ends,
          time_zone: "Europe/Berlin",
          vote_budget: null,
          hide_vote_counts: 0,
          random_idea_order: 0,
          consent_version: c.consent,
          published_at: c.published ? AT - 20 * DAY : null,
          archived_at: c.archived ? AT - 1 : null,
          created_by: creator.userId,
          created_at: AT - 30 * DAY,
          updated_at: AT - 30 * DAY,
        })
        .execute();
    }
    const mixedRoles: CommunityRole[] = ["participant", "leader", "moderator"];
    for (const a of ACTORS) {
      const { userId } = await createAccount(t.db, { email: `${a.name}@example.com`, displayName: a.name, password: "password!", role: a.role });
      actors.set(a.name, { id: userId, role: a.role });
      if (a.membership === null) continue;
      for (const [i, c] of COMMUNITIES.entries()) {
        const role = a.membership === "mixed" ? mixedRoles[i % 3]! : a.membership;
        await t.db
          .insertInto("memberships")
          .values({ community_id: `c-${c.slug}`, user_id: userId, role, joined_at: AT - 20 * DAY, dates_confirmed_at: null, source: null, attributes: "{}", votes_used: 0, consent_version: 1 })
          .execute();
      }
    }
  });
  afterAll(async () => {
    resetClock();
    await t.cleanup();
  });

  it("places each community in the phase phaseOf gives it", async () => {
    const rows = await t.db.selectFrom("communities").selectAll().execute();
    for (const row of rows) expect([row.slug, phaseOf(row, AT)]).toEqual([row.slug, COMMUNITIES.find((c) => c.slug === row.slug)!.expect]);
  });

  for (const a of ACTORS) {
    it(`lists for ${a.name} exactly the communities can allows`, async () => {
      const actor = actors.get(a.name)!;
      const rows = await t.db
        .selectFrom("communities")
        .leftJoin("memberships", (join) => join.onRef("memberships.community_id", "=", "communities.id").on("memberships.user_id", "=", actor.id))
        .selectAll("communities")
        .select(["memberships.role as membership_role", "memberships.consent_version as membership_consent_version"])
        .execute();
      for (const action of ACTIONS) {
        // What the pages decide one community at a time, as getCommunityForActor builds the context.
        const expected = rows
          .filter((row) =>
            can(actor, action, {
              community: { ...row, phase: phaseOf(row, AT) },
              membership: row.membership_role ? { role: row.membership_role, consentVersion: row.membership_consent_version ?? 0 } : null,
            }),
          )
          .map((row) => row.slug)
          .sort();
        const listed = await t.db.selectFrom("communities").select("slug").where("id", "in", communitiesWhere(t.db, actor, action)).execute();
        expect({ action, slugs: listed.map((row) => row.slug).sort() }).toEqual({ action, slugs: expected });
      }
    });
  }

  it("is not trivially agreeing: the scopes differ between actors", async () => {
    const slugs = async (name: string, action: ScopedAction) =>
      (await t.db.selectFrom("communities").select("slug").where("id", "in", communitiesWhere(t.db, actors.get(name)!, action)).execute()).map((r) => r.slug).sort();
    expect(await slugs("admin", "community.view")).toHaveLength(COMMUNITIES.length);
    expect(await slugs("non-member", "community.view")).toEqual([]);
    // A community's moderator sees its draft; a participant does not.
    expect(await slugs("community-moderator", "community.view")).toContain("draft");
    expect(await slugs("participant", "community.view")).not.toContain("draft");
    expect(await slugs("participant", "community.view")).toContain("archived");
    // A leader who has not agreed to the new consent does not lead until they do.
    expect(await slugs("leader", "discussion.lead")).toEqual(["open", "open-agreed-consent", "opens-now"]);
    expect(await slugs("moderator", "discussion.moderate")).not.toContain("archived");
    expect(await slugs("product", "discussion.moderate")).toEqual([]);
  });
});
