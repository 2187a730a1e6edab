/**
 * Nominations: how evangelists are found. Any staff account nominates a customer with what
 * they said and where; moderators and admins invite from the nomination in one step (a
 * normal invitation, through inviteMembers, that carries the nomination as its source) or
 * decline it with a reason. The nominator is told each outcome, and later that they joined.
 */
import type { Kysely } from "kysely";
import { named } from "#app/lib/named-text.ts";
import type { Database, NominationStatus } from "#db/schema.ts";
import { assertAllowed, can, type Actor } from "#app/features/auth/policy.ts";
import { getCommunityForActor } from "#app/features/communities/communities.server.ts";
import { inviteMembers } from "#app/features/invitations/invitations.server.ts";
import { phaseOf } from "#app/features/communities/phase.ts";
import { notify } from "#app/features/notifications/notifications.server.ts";
import { now } from "#app/lib/clock.ts";
import { pastCursor, type Cursor } from "#app/lib/cursor.ts";
import { newId } from "#app/lib/ids.ts";
import { Refusal } from "#app/lib/refusal.ts";
import type { NominateInput } from "./schemas.ts";
import type { RoleOffered } from "#app/features/communities/roles.ts";

/** How many nominations one person may make a day: generous for a support team, a wall for a script. */
/** What the nominator is told about the role their nominee was invited to, besides the invitation itself. */
const ASKED_AS: Record<RoleOffered, string | null> = { leader: "They were asked to lead discussions.", participant: null };

export const DAILY_NOMINATIONS_PER_PERSON = 100;
export const OPEN_NOMINATIONS_PAGE = 20;

/** The source an invitation from a nomination carries, shown in the member list. */
export function nominationSource(nominatorName: string, foundWhere: string | null): string {
  return (foundWhere ? `Nominated by ${nominatorName}: ${foundWhere}` : `Nominated by ${nominatorName}`).slice(0, 400);
}

/** Communities a nomination can point at: those the nominator may see that can still be joined. */
export async function nominationCommunityChoices(db: Kysely<Database>, actor: Actor) {
  const at = now();
  const rows = await db
    .selectFrom("communities")
    .leftJoin("memberships", (join) => join.onRef("memberships.community_id", "=", "communities.id").on("memberships.user_id", "=", actor.id))
    .select(["communities.id", "communities.slug", "communities.name", "communities.starts_at", "communities.ends_at", "communities.time_zone", "communities.published_at", "communities.archived_at", "memberships.role as membership_role"])
    .where("communities.archived_at", "is", null)
    .where("communities.ends_at", ">", at)
    .orderBy("communities.starts_at", "desc")
    .limit(200)
    .execute();
  return rows
    .filter((row) => can(actor, "community.view", { community: { ...row, phase: phaseOf(row, at) }, membership: row.membership_role ? { role: row.membership_role } : null }))
    .map((row) => ({ id: row.id, slug: row.slug, name: row.name }));
}

/** Nominate a customer. Staff only; the community, when given, must be one the nominator may see and that can still be joined. */
export async function nominate(db: Kysely<Database>, actor: Actor, input: NominateInput): Promise<{ id: string }> {
  assertAllowed(actor, "nomination.create");
  let communityId: string | null = null;
  if (input.community) {
    const view = await getCommunityForActor(db, actor, input.community).catch((error: unknown) => {
      if (error instanceof Refusal) throw new Refusal(400, "Choose a community from the list.");
      throw error;
    });
    if (view.community.phase === "closed" || view.community.phase === "archived") throw new Refusal(400, `${view.community.name} has closed; choose another community or none.`);
    communityId = view.community.id;
  }
  const at = now();
  const today = await db
    .selectFrom("nominations")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("nominated_by", "=", actor.id)
    .where("created_at", ">", at - 24 * 60 * 60 * 1000)
    .executeTakeFirstOrThrow();
  if (Number(today.n) >= DAILY_NOMINATIONS_PER_PERSON) throw new Refusal(429, `You can nominate ${DAILY_NOMINATIONS_PER_PERSON} people a day; try again tomorrow.`);
  const waiting = await db.selectFrom("nominations").select("id").where("email", "=", input.email).where("status", "=", "open").executeTakeFirst();
  if (waiting) throw new Refusal(409, `${input.email} is already nominated and waiting for a moderator.`);
  const id = newId();
  await db
    .insertInto("nominations")
    .values({
      id,
      email: input.email,
      name: input.name,
      quote: input.quote,
      found_where: input.foundWhere ?? null,
      community_id: communityId,
      ask_to_lead: input.askToLead ? 1 : 0,
      nominated_by: actor.id,
      created_at: at,
      status: "open",
      decided_by: null,
      decided_at: null,
      decline_reason: null,
      joined_at: null,
    })
    .execute();
  return { id };
}

async function openNomination(db: Kysely<Database>, nominationId: string) {
  const nomination = await db
    .selectFrom("nominations")
    .innerJoin("users", "users.id", "nominations.nominated_by")
    .selectAll("nominations")
    .select("users.display_name as nominator_name")
    .where("nominations.id", "=", nominationId)
    .executeTakeFirst();
  if (!nomination) throw new Refusal(404, "We could not find that nomination.");
  if (nomination.status !== "open") throw new Refusal(409, `${nomination.name}'s nomination was already ${nomination.status === "declined" ? "declined" : "taken up"}.`);
  return nomination;
}

/**
 * Invite the nominated customer: exactly one normal invitation (same token rules, email and
 * limits as any other) whose source is the nomination, written in the same transaction that
 * marks the nomination invited, so two moderators acting at once cannot both invite.
 */
export async function inviteFromNomination(
  db: Kysely<Database>,
  actor: Actor,
  input: { nominationId: string; community: string; role: "participant" | "leader"; note?: string },
  options: { siteOrigin: string },
): Promise<{ outboxIds: string[]; communityName: string; slug: string }> {
  assertAllowed(actor, "nomination.review");
  const nomination = await openNomination(db, input.nominationId);
  const view = await getCommunityForActor(db, actor, input.community);
  const communityName = view.community.name;
  const { outboxIds } = await inviteMembers(
    db,
    actor,
    input.community,
    {
      emails: nomination.email,
      role: input.role,
      note: input.note,
      source: nominationSource(nomination.nominator_name, nomination.found_where),
      nominationId: nomination.id,
    },
    {
      siteOrigin: options.siteOrigin,
      withinTransaction: async (trx, invited, report) => {
        if (invited.length !== 1) {
          const why = report.alreadyMembers.length
            ? `${nomination.email} is already a member of ${communityName}.`
            : report.alreadyInvited.length
              ? `${nomination.email} already has a waiting invitation to ${communityName}.`
              : `${nomination.email} could not be invited.`;
          throw new Refusal(409, `${why} Decline the nomination with that reason, or choose another community.`);
        }
        const claimed = await trx
          .updateTable("nominations")
          .set({ status: "invited", decided_by: actor.id, decided_at: now(), community_id: view.community.id })
          .where("id", "=", nomination.id)
          .where("status", "=", "open")
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) === 0) throw new Refusal(409, `${nomination.name}'s nomination was already taken up.`);
        if (nomination.nominated_by !== actor.id) {
          await notify(trx, nomination.nominated_by, {
            kind: "nomination.outcome",
            title: named`${{ user: actor.id }} invited ${{ nomination: nomination.id }}, whom you nominated, to ${communityName}`,
            body: ASKED_AS[input.role],
            link: "/nominations",
          });
        }
      },
    },
  );
  return { outboxIds, communityName, slug: input.community };
}

/** Decline a nomination; the reason is required and goes to the nominator. */
export async function declineNomination(db: Kysely<Database>, actor: Actor, input: { nominationId: string; reason: string }): Promise<{ name: string }> {
  assertAllowed(actor, "nomination.review");
  const reason = input.reason.trim();
  if (reason.length < 3) throw new Refusal(400, "Say why, so the nominator knows.");
  const nomination = await openNomination(db, input.nominationId);
  await db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable("nominations")
      .set({ status: "declined", decided_by: actor.id, decided_at: now(), decline_reason: reason })
      .where("id", "=", nomination.id)
      .where("status", "=", "open")
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) throw new Refusal(409, `${nomination.name}'s nomination was already taken up.`);
    if (nomination.nominated_by !== actor.id) {
      await notify(trx, nomination.nominated_by, {
        kind: "nomination.outcome",
        title: named`${{ user: actor.id }} declined your nomination of ${{ nomination: nomination.id }}`,
        body: reason,
        link: "/nominations",
      });
    }
  });
  return { name: nomination.name };
}

const LISTED = [
  "nominations.id",
  "nominations.email",
  "nominations.name",
  "nominations.quote",
  "nominations.found_where",
  "nominations.ask_to_lead",
  "nominations.created_at",
  "nominations.status",
  "nominations.decline_reason",
  "nominator.display_name as nominator_name",
  "communities.slug as community_slug",
  "communities.name as community_name",
] as const;

/** Open nominations, oldest first, paged by key; for moderators and admins. */
export async function listOpenNominations(db: Kysely<Database>, actor: Actor, options: { after?: Cursor; limit?: number } = {}) {
  assertAllowed(actor, "nomination.review");
  const limit = options.limit ?? OPEN_NOMINATIONS_PAGE;
  let query = db
    .selectFrom("nominations")
    .innerJoin("users as nominator", "nominator.id", "nominations.nominated_by")
    .leftJoin("communities", "communities.id", "nominations.community_id")
    .select(LISTED)
    .where("nominations.status", "=", "open")
    .orderBy("nominations.created_at", "asc")
    .orderBy("nominations.id", "asc")
    .limit(limit + 1);
  if (options.after) query = query.where(pastCursor("nominations.created_at", "nominations.id", options.after, ">"));
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { nominations: page, next: rows.length > limit && last ? { at: last.created_at, id: last.id } : null };
}

/** The nominator's own latest nominations and what became of them. */
export async function listOwnNominations(db: Kysely<Database>, actor: Actor, limit = 20) {
  assertAllowed(actor, "nomination.create");
  return db
    .selectFrom("nominations")
    .innerJoin("users as nominator", "nominator.id", "nominations.nominated_by")
    .leftJoin("communities", "communities.id", "nominations.community_id")
    .select(LISTED)
    .where("nominations.nominated_by", "=", actor.id)
    .orderBy("nominations.created_at", "desc")
    .limit(limit)
    .execute();
}

export const NOMINATION_STATUS_LABEL: Record<NominationStatus, string> = {
  open: "Waiting for a moderator",
  invited: "Invited",
  declined: "Declined",
  joined: "Joined",
};
