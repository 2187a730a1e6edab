import type { Kysely } from "kysely";
import type { CommunitiesTable, CommunityRole, Database } from "#db/schema.ts";
import { decide, isStaff, type Action, type Actor, type CommunityContext, type ResourceArgs } from "#app/features/auth/policy.ts";
import { now } from "#app/lib/clock.ts";
import { formatInZone, formatRelative, fromLocalInput } from "#app/lib/dates.ts";
import { newId } from "#app/lib/ids.ts";
import { renderMarkdown } from "#app/lib/markdown.server.ts";
import { Refusal } from "#app/lib/refusal.ts";
import { notifyMembers } from "#app/features/notifications/notifications.server.ts";
import { phaseOf, type Phase } from "./phase.ts";
import { slugify, type CommunityForm } from "./schemas.ts";
import { segmentOf } from "./segments.ts";
import type { TimeBoxText } from "./time-box.tsx";

export type CommunityRow = CommunitiesTable;

export interface CommunityView extends CommunityContext {
  community: CommunityRow & { phase: Phase };
}

/** Throw the policy's refusal (a 404 or a 403 with its reason) unless the action is allowed. */
export function assertAllowed<A extends Action>(actor: Actor | null, action: A, ...resource: ResourceArgs<A>): void {
  const decision = decide(actor, action, ...resource);
  if (!decision.allowed) throw new Refusal(decision.status, decision.message);
}

/** A community by slug with the actor's membership, if the actor may see it; otherwise a 404 Refusal. */
export async function getCommunityForActor(db: Kysely<Database>, actor: Actor | null, slug: string): Promise<CommunityView> {
  const row = await db
    .selectFrom("communities")
    .leftJoin("memberships", (join) =>
      join.onRef("memberships.community_id", "=", "communities.id").on("memberships.user_id", "=", actor?.id ?? ""),
    )
    .selectAll("communities")
    .select("memberships.role as membership_role")
    .where("communities.slug", "=", slug)
    .executeTakeFirst();
  if (!row) throw new Refusal(404, "We could not find that community.");
  const { membership_role, ...community } = row;
  const view: CommunityView = {
    community: { ...community, phase: phaseOf(community, now()) },
    membership: membership_role ? { role: membership_role } : null,
  };
  assertAllowed(actor, "community.view", view);
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
      await notifyMembers(trx, view.community.id, { kind: "community.dates-changed", title: `New dates for ${values.name}`, body, link: `/c/${slug}` });
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
 * The communities on someone's home page: staff see every community that is not archived;
 * members see those they belong to, once published. One query whatever the numbers.
 */
export async function listHomeCommunities(db: Kysely<Database>, actor: Actor): Promise<CommunitySummary[]> {
  let query = db
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
    .orderBy("communities.starts_at", "asc")
    .limit(200);
  if (!isStaff(actor)) {
    query = query.where("communities.published_at", "is not", null).where((eb) =>
      eb.exists(
        eb
          .selectFrom("memberships")
          .select("memberships.user_id")
          .whereRef("memberships.community_id", "=", "communities.id")
          .where("memberships.user_id", "=", actor.id),
      ),
    );
  }
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
}

/** The time box as text for pages: absolute in the community's zone, and relative to now. */
export function describeTimeBox(community: { phase: Phase; starts_at: number; ends_at: number; time_zone: string }): TimeBoxText {
  const at = now();
  return {
    phase: community.phase,
    opens: formatInZone(community.starts_at, community.time_zone),
    closes: formatInZone(community.ends_at, community.time_zone),
    opensRelative: formatRelative(community.starts_at, at),
    closesRelative: formatRelative(community.ends_at, at),
    timeZone: community.time_zone,
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

/** A member leaves; their contributions stay. */
export async function leaveCommunity(db: Kysely<Database>, actor: Actor, slug: string): Promise<void> {
  const view = await getCommunityForActor(db, actor, slug);
  if (!view.membership) throw new Refusal(409, "You are not a member of this community.");
  await db.deleteFrom("memberships").where("community_id", "=", view.community.id).where("user_id", "=", actor.id).execute();
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
