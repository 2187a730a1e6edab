import type { Kysely, Selectable } from "kysely";
import { named } from "#app/lib/named-text.ts";
import type { CommunitiesTable, CommunityRole, Database } from "#db/schema.ts";
import { assertAllowed, can, consentPending, type Actor, type CommunityContext } from "#app/features/auth/policy.ts";
import { visibleCommunities } from "#app/features/auth/scopes.server.ts";
import { now } from "#app/lib/clock.ts";
import { formatCountdown, formatDayInZone, formatInZone, fromLocalInput } from "#app/lib/dates.ts";
import { newId } from "#app/lib/ids.ts";
import { renderMarkdown } from "#app/lib/markdown.server.ts";
import { Refusal } from "#app/lib/refusal.ts";
import { notifyMembers } from "#app/features/notifications/notifications.server.ts";
import { phaseOf, type Phase } from "./phase.ts";
import { slugify, type CommunityForm } from "./schemas.ts";
import { segmentOf } from "./segments.ts";
import { count } from "#app/lib/plural.ts";
import { recordAudit } from "#app/features/audit/audit.server.ts";
import type { TimeBoxText } from "./time-box.tsx";

export type CommunityRow = Selectable<CommunitiesTable>;

export interface CommunityView extends CommunityContext {
  /** consentPending: this reader is a member who must agree to the current consent before writing (the header asks them). */
  community: CommunityRow & { phase: Phase; consentPending: boolean };
}

/**
 * A community by slug with the actor's membership (and whether they left it), if the actor
 * may do `action` there (seeing it, by default); otherwise the policy's 404 or 403 Refusal.
 */
export async function getCommunityForActor(
  db: Kysely<Database>,
  actor: Actor | null,
  slug: string,
  action: "community.view" | "community.readout" = "community.view",
): Promise<CommunityView> {
  const row = await db
    .selectFrom("communities")
    .leftJoin("memberships", (join) =>
      join.onRef("memberships.community_id", "=", "communities.id").on("memberships.user_id", "=", actor?.id ?? ""),
    )
    .leftJoin("former_memberships", (join) =>
      join.onRef("former_memberships.community_id", "=", "communities.id").on("former_memberships.user_id", "=", actor?.id ?? ""),
    )
    .selectAll("communities")
    .select(["memberships.role as membership_role", "memberships.consent_version as membership_consent_version", "former_memberships.left_at as left_at"])
    .where("communities.slug", "=", slug)
    .executeTakeFirst();
  if (!row) throw new Refusal(404, "We could not find that community.");
  const { membership_role, membership_consent_version, left_at, ...community } = row;
  const context: CommunityContext = {
    community: { ...community, phase: phaseOf(community, now()) },
    membership: membership_role ? { role: membership_role, consentVersion: membership_consent_version ?? 0 } : null,
  };
  const view: CommunityView = {
    community: { ...community, phase: phaseOf(community, now()), consentPending: actor !== null && consentPending(actor, context) },
    membership: context.membership,
    formerMember: left_at !== null && left_at !== undefined,
  };
  assertAllowed(actor, action, view);
  return view;
}

/** A community its moderators may change now; otherwise the policy's refusal (404 or 403). */
export async function getCommunityToManage(db: Kysely<Database>, actor: Actor, slug: string): Promise<CommunityView> {
  const view = await getCommunityForActor(db, actor, slug);
  assertAllowed(actor, "community.manage", view);
  return view;
}

function valuesFrom(input: CommunityForm) {
  const startsAt = fromLocalInput(input.startsAt, input.timeZone);
  const endsAt = fromLocalInput(input.endsAt, input.timeZone);
  if (startsAt === null || endsAt === null) throw new Refusal(400, "Choose valid opening and closing times.");
  if (endsAt <= startsAt) throw new Refusal(400, "It must close after it opens.");
  return {
    name: input.name,
    purpose_markdown: input.purpose,
    purpose_html: renderMarkdown(input.purpose),
    starts_at: startsAt,
    ends_at: endsAt,
    time_zone: input.timeZone,
    vote_budget: input.voteBudget ?? null,
    hide_vote_counts: input.hideVoteCounts ? (1 as const) : (0 as const),
    random_idea_order: input.randomIdeaOrder ? (1 as const) : (0 as const),
  };
}

/** Create a community as a draft; members see nothing until it is published. */
export async function createCommunity(db: Kysely<Database>, actor: Actor, input: CommunityForm): Promise<{ slug: string }> {
  assertAllowed(actor, "community.create");
  const slug = input.slug || slugify(input.name);
  if (slug.length < 3) throw new Refusal(400, "Choose a web address of at least 3 letters or digits.");
  const at = now();
  const inserted = await db
    .insertInto("communities")
    .values({ id: newId(), slug, ...valuesFrom(input), published_at: null, archived_at: null, created_by: actor.id, created_at: at, updated_at: at })
    .onConflict((conflict) => conflict.column("slug").doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
    throw new Refusal(409, `The web address "${slug}" is taken; choose another.`);
  }
  return { slug };
}

/** Change a community's brief, dates or budget. */
export async function updateCommunity(
  db: Kysely<Database>,
  actor: Actor,
  slug: string,
  input: Omit<CommunityForm, "slug">,
): Promise<{ datesChanged: boolean }> {
  const view = await getCommunityToManage(db, actor, slug);
  const values = valuesFrom(input);
  const datesChanged = values.starts_at !== view.community.starts_at || values.ends_at !== view.community.ends_at;
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("communities").set({ ...values, updated_at: now() }).where("id", "=", view.community.id).execute();
    // Members joined on the dates they were told; when those change, each of them hears it.
    if (datesChanged && view.community.phase !== "draft") {
      const body = `The dates have changed. It now opens ${formatInZone(values.starts_at, values.time_zone)} and closes ${formatInZone(values.ends_at, values.time_zone)}.`;
      await trx.insertInto("announcements").values({ id: newId(), community_id: view.community.id, author_id: actor.id, body, created_at: now() }).execute();
      await notifyMembers(trx, view.community.id, { kind: "community.dates-changed", title: named`New dates for ${values.name}`, body, link: `/c/${slug}` });
    }
  });
  return { datesChanged };
}

/** Publish a draft: members can see it and, once it opens, take part. */
export async function publishCommunity(db: Kysely<Database>, actor: Actor, slug: string): Promise<void> {
  const view = await getCommunityToManage(db, actor, slug);
  if (view.community.phase !== "draft") throw new Refusal(409, "This community is already published.");
  if (view.community.ends_at <= now()) throw new Refusal(400, "Its closing time has passed; change the dates before publishing.");
  await db.updateTable("communities").set({ published_at: now(), updated_at: now() }).where("id", "=", view.community.id).execute();
}

/** Archive: no longer listed; direct links stay readable. */
export async function archiveCommunity(db: Kysely<Database>, actor: Actor, slug: string): Promise<void> {
  const view = await getCommunityToManage(db, actor, slug);
  await db.updateTable("communities").set({ archived_at: now(), updated_at: now() }).where("id", "=", view.community.id).execute();
}

export interface CommunitySummary {
  slug: string;
  name: string;
  phase: Phase;
  starts_at: number;
  ends_at: number;
  time_zone: string;
  members: number;
}

/**
 * The communities on someone's home page: those the policy lets them see (staff every one;
 * members theirs once published; a community's moderators its draft too), less the archived
 * ones, which are no longer listed. One query whatever the numbers.
 */
export async function listHomeCommunities(db: Kysely<Database>, actor: Actor): Promise<CommunitySummary[]> {
  const query = db
    .selectFrom("communities")
    .select((eb) => [
      "communities.slug",
      "communities.name",
      "communities.starts_at",
      "communities.ends_at",
      "communities.time_zone",
      "communities.published_at",
      "communities.archived_at",
      eb
        .selectFrom("memberships")
        .select((m) => m.fn.countAll<number>().as("n"))
        .whereRef("memberships.community_id", "=", "communities.id")
        .as("members"),
    ])
    .where("communities.archived_at", "is", null)
    .where("communities.id", "in", visibleCommunities(db, actor))
    .orderBy("communities.starts_at", "asc")
    .limit(200);
  const at = now();
  return (await query.execute()).map((row) => ({
    slug: row.slug,
    name: row.name,
    phase: phaseOf(row, at),
    starts_at: row.starts_at,
    ends_at: row.ends_at,
    time_zone: row.time_zone,
    members: Number(row.members ?? 0),
  }));
}

/** Add someone to a community (or change their role there); one row per member, whatever the retries. */
export async function addMember(
  db: Kysely<Database>,
  input: {
    communityId: string;
    userId: string;
    role: CommunityRole;
    datesConfirmedAt: number | null;
    source?: string | null;
    attributes?: Record<string, string>;
  },
): Promise<void> {
  await db
    .insertInto("memberships")
    .values({
      community_id: input.communityId,
      user_id: input.userId,
      role: input.role,
      joined_at: now(),
      dates_confirmed_at: input.datesConfirmedAt,
      source: input.source ?? null,
      attributes: JSON.stringify(input.attributes ?? {}),
      votes_used: 0,
    })
    .onConflict((conflict) => conflict.columns(["community_id", "user_id"]).doUpdateSet({ role: input.role }))
    .execute();
  // Someone who left and comes back (a new invitation) is a member again, with the votes they still have out.
  const former = await db.deleteFrom("former_memberships").where("community_id", "=", input.communityId).where("user_id", "=", input.userId).returning("votes_used").executeTakeFirst();
  if (former?.votes_used) {
    await db.updateTable("memberships").set({ votes_used: former.votes_used }).where("community_id", "=", input.communityId).where("user_id", "=", input.userId).execute();
  }
}

/** The time box as text for pages: absolute in the community's zone, and relative to now. */
export function describeTimeBox(community: { phase: Phase; starts_at: number; ends_at: number; time_zone: string }): TimeBoxText {
  const at = now();
  return {
    phase: community.phase,
    opens: formatInZone(community.starts_at, community.time_zone),
    closes: formatInZone(community.ends_at, community.time_zone),
    opensRelative: formatCountdown(community.starts_at, at),
    closesRelative: formatCountdown(community.ends_at, at),
    closedOn: formatDayInZone(community.ends_at, community.time_zone),
    timeZone: community.time_zone,
  };
}

/** What the shared community header shows on every page of a community (app/features/communities/community-header.tsx). */
export function communityHeader(community: { slug: string; name: string; phase: Phase; starts_at: number; ends_at: number; time_zone: string; consentPending?: boolean; consent_version?: number }) {
  return {
    slug: community.slug,
    name: community.name,
    box: describeTimeBox(community),
    // The member's next visit after a new consent version asks them to agree before they write.
    consentToAgree: community.consentPending ? (community.consent_version ?? null) : null,
  };
}

/** The member list for staff: names, emails, roles, where they came from, segments. */
export async function listMembers(db: Kysely<Database>, actor: Actor, slug: string) {
  const view = await getCommunityToManage(db, actor, slug);
  const rows = await db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select([
      "users.id as user_id",
      "users.display_name",
      "users.email",
      "memberships.role",
      "memberships.joined_at",
      "memberships.dates_confirmed_at",
      "memberships.source",
      "memberships.attributes",
    ])
    .where("memberships.community_id", "=", view.community.id)
    .orderBy("memberships.joined_at", "asc")
    .limit(2000)
    .execute();
  return rows.map((row) => ({ ...row, attributes: JSON.parse(row.attributes) as Record<string, string> }));
}

export async function changeMemberRole(db: Kysely<Database>, actor: Actor, slug: string, userId: string, role: CommunityRole): Promise<void> {
  const view = await getCommunityToManage(db, actor, slug);
  const result = await db
    .updateTable("memberships")
    .set({ role })
    .where("community_id", "=", view.community.id)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new Refusal(404, "That person is not a member of this community.");
}

export async function removeMember(db: Kysely<Database>, actor: Actor, slug: string, userId: string): Promise<void> {
  const view = await getCommunityToManage(db, actor, slug);
  await db.deleteFrom("memberships").where("community_id", "=", view.community.id).where("user_id", "=", userId).execute();
}

/**
 * A member leaves. Their membership moves to former_memberships: they are no longer counted,
 * listed or notified as a member and lose access to the discussions, but what they wrote
 * stays under their name, answers to their feedback still reach them, and the readout opens
 * for them at close. Staff who run the community by their global role are not members.
 */
export async function leaveCommunity(db: Kysely<Database>, actor: Actor, slug: string): Promise<{ name: string }> {
  const view = await getCommunityForActor(db, actor, slug);
  if (!view.membership) throw new Refusal(409, "You are not a member of this community.");
  await db.transaction().execute(async (trx) => {
    const membership = await trx
      .deleteFrom("memberships")
      .where("community_id", "=", view.community.id)
      .where("user_id", "=", actor.id)
      .returningAll()
      .executeTakeFirst();
    if (!membership) return; // a second click in flight: already gone
    await trx
      .insertInto("former_memberships")
      .values({
        community_id: membership.community_id,
        user_id: membership.user_id,
        role: membership.role,
        joined_at: membership.joined_at,
        left_at: now(),
        source: membership.source,
        attributes: membership.attributes,
        votes_used: membership.votes_used,
      })
      .onConflict((conflict) => conflict.columns(["community_id", "user_id"]).doUpdateSet({ left_at: now(), role: membership.role, votes_used: membership.votes_used }))
      .execute();
  });
  return { name: view.community.name };
}

/** The communities someone left (not archived ones' drafts), newest departure first, for their home page. */
export async function listFormerCommunities(db: Kysely<Database>, actor: Actor) {
  const rows = await db
    .selectFrom("former_memberships")
    .innerJoin("communities", "communities.id", "former_memberships.community_id")
    .select(["communities.slug", "communities.name", "communities.starts_at", "communities.ends_at", "communities.time_zone", "communities.published_at", "communities.archived_at", "former_memberships.left_at"])
    .where("former_memberships.user_id", "=", actor.id)
    .where("communities.published_at", "is not", null)
    .orderBy("former_memberships.left_at", "desc")
    .limit(50)
    .execute();
  const at = now();
  return rows.map((row) => {
    const phase = phaseOf(row, at);
    return { slug: row.slug, name: row.name, phase, readout: can(actor, "community.readout", { community: { ...row, phase }, membership: null, formerMember: true }), box: describeTimeBox({ ...row, phase }) };
  });
}

/** How many members a community has now: the people a date change or a close tells. */
export async function countMembers(db: Kysely<Database>, communityId: string): Promise<number> {
  const row = await db.selectFrom("memberships").select((eb) => eb.fn.countAll<number>().as("n")).where("community_id", "=", communityId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Saving new dates that bring a live community's close forward deserves a second look: the
 * warning to show before saving ("This closes the community in 20 minutes instead of 15
 * days; 23 members will be told"), or null when nothing is shortened.
 */
export async function shorteningWarning(db: Kysely<Database>, actor: Actor, slug: string, input: Omit<CommunityForm, "slug">): Promise<string | null> {
  const view = await getCommunityToManage(db, actor, slug);
  const { community } = view;
  const endsAt = fromLocalInput(input.endsAt, input.timeZone);
  if (community.phase !== "active" || endsAt === null || endsAt >= community.ends_at) return null;
  const at = now();
  const members = await countMembers(db, community.id);
  const when = endsAt <= at ? "right away" : `${formatCountdown(endsAt, at)} (${formatInZone(endsAt, input.timeZone)})`;
  return `This closes the community ${when} instead of ${formatCountdown(community.ends_at, at)}; ${count(members, "member")} will be told.`;
}

/**
 * Close a live community now: its end becomes this moment (the one clock), so it is read
 * only from here on, and every member hears it (announcement and notification).
 */
export async function closeCommunityNow(db: Kysely<Database>, actor: Actor, slug: string): Promise<{ told: number }> {
  const view = await getCommunityToManage(db, actor, slug);
  const { community } = view;
  if (community.phase !== "active") {
    throw new Refusal(409, community.phase === "closed" ? "This community is already closed." : "Only an open community can be closed now; change the dates of one that has not opened.");
  }
  const at = now();
  return db.transaction().execute(async (trx) => {
    await trx.updateTable("communities").set({ ends_at: at, updated_at: at }).where("id", "=", community.id).execute();
    const body = `The moderators closed ${community.name} early, on ${formatInZone(at, community.time_zone)}. It is read only now; you will still hear what became of your feedback.`;
    await trx.insertInto("announcements").values({ id: newId(), community_id: community.id, author_id: actor.id, body, created_at: at }).execute();
    await notifyMembers(trx, community.id, { kind: "community.dates-changed", title: named`${community.name} has closed`, body, link: `/c/${slug}` });
    await recordAudit(trx, actor.id, { action: "community.close-now", summary: named`Closed "${community.name}" early`, undo: null });
    return { told: await countMembers(trx, community.id) };
  });
}

/** The latest announcements of a community, newest first. */
export async function listAnnouncements(db: Kysely<Database>, communityId: string, limit = 5) {
  return db.selectFrom("announcements").select(["id", "body", "created_at"]).where("community_id", "=", communityId).orderBy("created_at", "desc").limit(limit).execute();
}

/** Published communities' slugs and names, newest first: the options of staff filters. */
export function listCommunityChoices(db: Kysely<Database>) {
  return db.selectFrom("communities").select(["slug", "name"]).where("published_at", "is not", null).orderBy("starts_at", "desc").limit(200).execute();
}

/** The segments members carry, for filters. */
export async function listSegments(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom("memberships").select("attributes").distinct().limit(500).execute();
  return [...new Set(rows.map((r) => segmentOf(r.attributes)).filter((s): s is string => s !== null))].sort();
}
