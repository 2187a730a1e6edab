/**
 * The policy's answer for lists: which communities an actor may see, moderate or lead, as a
 * subquery of community ids to filter any query by (`where("community_id", "in", scope)`).
 *
 * The SQL is not a second statement of the rules. For every kind of membership the actor
 * could hold in a community (none, or each community role with its consent agreed or
 * pending) and every phase, the scope asks `can` itself, and writes down the answer as
 * conditions on the membership and on the community's columns. The phase conditions mirror
 * `phaseOf`; scopes.server.test.ts checks both against `can` for every kind of actor.
 */
import { type ExpressionBuilder, type Kysely } from "kysely";
import type { CommunityRole, Database } from "#db/schema.ts";
import { now } from "#app/lib/clock.ts";
import { can, type Actor, type CommunityContext, type Phase } from "./policy.ts";

const PHASES: readonly Phase[] = ["draft", "upcoming", "active", "closed", "archived"];
const COMMUNITY_ROLES: readonly CommunityRole[] = ["participant", "leader", "moderator"];

/** The policy's actions a community list can be filtered by: each decided by the actor, their membership and the phase alone. */
export type ScopedAction = "community.view" | "discussion.moderate" | "discussion.lead" | "discussion.see-all";

type Db = Kysely<Database>;
type Scope = ExpressionBuilder<Database, "communities">;

/** The communities this actor may see (the `community.view` rule): staff every one, members theirs once published, a community's moderators its draft too. */
export function visibleCommunities(db: Db, actor: Actor) {
  return communitiesWhere(db, actor, "community.view");
}

/** The communities this actor may moderate now (the `discussion.moderate` rule): hide and restore posts, work their flags. */
export function moderatedCommunities(db: Db, actor: Actor) {
  return communitiesWhere(db, actor, "discussion.moderate");
}

/** The communities whose discussions this actor may lead now (the `discussion.lead` rule): prompts, pins, follow-ups. */
export function ledCommunities(db: Db, actor: Actor) {
  return communitiesWhere(db, actor, "discussion.lead");
}

/** The phases in which `can(actor, action)` holds for one kind of membership. */
function allowedPhases(actor: Actor, action: ScopedAction, membership: CommunityContext["membership"], consentPending: boolean): Phase[] {
  return PHASES.filter((phase) =>
    can(actor, action, {
      // Dates and zone only word the refusals; the phase carries the time.
      community: { phase, starts_at: 0, ends_at: 0, time_zone: "UTC", consent_version: consentPending ? 1 : 0 },
      membership,
    }),
  );
}

/** The ids of the communities where `can(actor, action, …)` holds now, as a subquery. */
export function communitiesWhere(db: Db, actor: Actor, action: ScopedAction) {
  const at = now();
  const outsider = allowedPhases(actor, action, null, false);
  const members = COMMUNITY_ROLES.map((role) => ({
    role,
    agreed: allowedPhases(actor, action, { role, consentVersion: 0 }, false),
    pending: allowedPhases(actor, action, { role, consentVersion: 0 }, true),
  }));
  const base = db.selectFrom("communities").select("communities.id");
  // Allowed in every phase without being a member (staff reading): no need to look at memberships.
  if (outsider.length === PHASES.length) return base;
  const joined = base.leftJoin("memberships", (join) => join.onRef("memberships.community_id", "=", "communities.id").on("memberships.user_id", "=", actor.id));
  return joined.where((eb) => {
    const inPhase = (phases: Phase[]) => eb.or(phases.map((phase) => phaseIs(eb as unknown as Scope, phase, at)));
    const cases = [];
    if (outsider.length) cases.push(eb.and([eb("memberships.role", "is", null), inPhase(outsider)]));
    for (const { role, agreed, pending } of members) {
      const isRole = eb("memberships.role", "=", role);
      if (sameSet(agreed, pending)) {
        if (agreed.length) cases.push(eb.and([isRole, inPhase(agreed)]));
        continue;
      }
      // A member who has not agreed to the current consent reads but does not write (consentPending in the policy).
      const pendingConsent = eb("communities.consent_version", ">", eb.ref("memberships.consent_version"));
      if (agreed.length) cases.push(eb.and([isRole, eb.not(pendingConsent), inPhase(agreed)]));
      if (pending.length) cases.push(eb.and([isRole, pendingConsent, inPhase(pending)]));
    }
    return eb.or(cases);
  });
}

/** The community is in this phase at this time: `phaseOf` written as conditions on its columns. */
function phaseIs(eb: Scope, phase: Phase, at: number) {
  const archived = eb("communities.archived_at", "is not", null);
  const notArchived = eb("communities.archived_at", "is", null);
  const published = eb("communities.published_at", "is not", null);
  switch (phase) {
    case "archived":
      return archived;
    case "draft":
      return eb.and([notArchived, eb("communities.published_at", "is", null)]);
    case "upcoming":
      return eb.and([notArchived, published, eb("communities.starts_at", ">", at)]);
    case "active":
      return eb.and([notArchived, published, eb("communities.starts_at", "<=", at), eb("communities.ends_at", ">", at)]);
    case "closed":
      return eb.and([notArchived, published, eb("communities.starts_at", "<=", at), eb("communities.ends_at", "<=", at)]);
  }
}

const sameSet = (a: Phase[], b: Phase[]) => a.length === b.length && a.every((phase) => b.includes(phase));
