import type { Kysely } from "kysely";
import { named } from "#app/lib/named-text.ts";
import type { Database } from "#db/schema.ts";
import { assertAllowed, can, consentPending, type Actor } from "#app/features/auth/policy.ts";
import { getCommunityForActor, leaveCommunity } from "#app/features/communities/communities.server.ts";
import { notifyEach } from "#app/features/notifications/notifications.server.ts";
import { anonymiseInCommunity } from "#app/features/privacy/privacy.server.ts";
import { recordAudit } from "#app/features/audit/audit.server.ts";
import { now } from "#app/lib/clock.ts";
import { Refusal } from "#app/lib/refusal.ts";
import type { ConsentInput, ConsentText } from "./schemas.ts";

type Db = Kysely<Database>;

/** One version of a community's consent text, or null (version 0: none published). */
export async function consentText(db: Db, communityId: string, version: number): Promise<ConsentText | null> {
  if (version <= 0) return null;
  const row = await db.selectFrom("consent_versions").selectAll().where("community_id", "=", communityId).where("version", "=", version).executeTakeFirst();
  return row ? { version: row.version, publishedAt: row.published_at, collected: row.collected, readers: row.readers, quotes: row.quotes, retention: row.retention, incentive: row.incentive } : null;
}

/**
 * Record that a member agreed to a version, in the caller's transaction: the history row
 * (once per version) and the membership's version, which never goes backwards.
 */
export async function recordAgreement(trx: Db, communityId: string, userId: string, version: number): Promise<void> {
  const at = now();
  await trx
    .insertInto("consent_agreements")
    .values({ community_id: communityId, user_id: userId, version, agreed_at: at })
    .onConflict((conflict) => conflict.columns(["community_id", "user_id", "version"]).doNothing())
    .execute();
  await trx.updateTable("memberships").set({ consent_version: version }).where("community_id", "=", communityId).where("user_id", "=", userId).where("consent_version", "<", version).execute();
}

/**
 * Publish a new consent version (the first, or a change): members who agreed to an older one
 * read and agree again before they next write, and are told so now (a notification, and an
 * email by their settings). The version number moves only if nobody else published in
 * between (a conditional update), so two moderators cannot both make version 3.
 */
export async function publishConsent(db: Db, actor: Actor, slug: string, input: ConsentInput): Promise<{ version: number }> {
  const view = await getCommunityForActor(db, actor, slug);
  assertAllowed(actor, "consent.publish", view);
  const current = view.community.consent_version;
  const version = current + 1;
  await db.transaction().execute(async (trx) => {
    const moved = await trx.updateTable("communities").set({ consent_version: version, updated_at: now() }).where("id", "=", view.community.id).where("consent_version", "=", current).executeTakeFirst();
    if (Number(moved.numUpdatedRows) === 0) throw new Refusal(409, "Someone published a new version while you were writing; read it, then publish yours.");
    await trx
      .insertInto("consent_versions")
      .values({ community_id: view.community.id, version, ...input, published_by: actor.id, published_at: now() })
      .execute();
    await recordAudit(trx, actor.id, { action: "consent.publish", summary: named`Published consent version ${version} of ${view.community.name}`, undo: null });
    const behind = await membersToAgree(trx, view.community.id, version);
    const { name, slug: communitySlug } = view.community;
    await notifyEach(
      trx,
      behind.map(({ id }) => ({
        userId: id,
        input: {
          kind: "consent.changed" as const,
          title: version === 1 ? named`${name} now has a consent text: you will be asked to agree to it on your next visit` : named`The consent for ${name} has changed: you will be asked to agree to version ${version} on your next visit`,
          body: "You can read everything as before; before you post, reply, vote or answer again, read the new version and agree to it.",
          link: `/c/${communitySlug}/consent`,
        },
      })),
    );
  });
  return { version };
}

/** A member agrees to the version they read; a newer one published meanwhile must be read first. */
export async function agreeToConsent(db: Db, actor: Actor, slug: string, version: number): Promise<void> {
  const view = await getCommunityForActor(db, actor, slug);
  if (!view.membership) throw new Refusal(403, "Only the community's members agree to its consent.");
  const current = view.community.consent_version;
  if (current === 0) throw new Refusal(409, "This community has no consent text to agree to.");
  if (version !== current) throw new Refusal(409, `A newer version (${current}) was published while you were reading; read it and agree to that one.`);
  await db.transaction().execute((trx) => recordAgreement(trx, view.community.id, actor.id, version));
}

/**
 * Withdraw from a study: the member leaves (as "Leave this community"), and when they ask,
 * what they wrote and answered there is anonymised at once, by the erasure rules, for this
 * community only.
 */
export async function withdrawFromCommunity(db: Db, actor: Actor, slug: string, options: { anonymise: boolean }): Promise<{ name: string }> {
  const view = await getCommunityForActor(db, actor, slug);
  const left = await leaveCommunity(db, actor, slug);
  if (options.anonymise) await anonymiseInCommunity(db, actor.id, { id: view.community.id, name: view.community.name });
  return left;
}

/**
 * The consent page: the current text and earlier versions for anyone who sees the community,
 * the reader's own agreements, and for staff every member's agreements (who, which version,
 * when) in a fixed number of queries.
 */
export async function consentPage(db: Db, actor: Actor, slug: string) {
  const view = await getCommunityForActor(db, actor, slug);
  const communityId = view.community.id;
  const staff = can(actor, "consent.agreements", view);
  const [versions, mine, agreements, waiting] = await Promise.all([
    db.selectFrom("consent_versions").selectAll().where("community_id", "=", communityId).orderBy("version", "desc").limit(50).execute(),
    db.selectFrom("consent_agreements").select(["version", "agreed_at"]).where("community_id", "=", communityId).where("user_id", "=", actor.id).orderBy("version", "desc").execute(),
    staff ? agreementHistory(db, communityId) : Promise.resolve([]),
    staff
      ? membersToAgree(db, communityId, view.community.consent_version, 2000)
      : Promise.resolve([]),
  ]);
  const texts: ConsentText[] = versions.map((row) => ({ version: row.version, publishedAt: row.published_at, collected: row.collected, readers: row.readers, quotes: row.quotes, retention: row.retention, incentive: row.incentive }));
  return {
    view,
    current: texts[0] ?? null,
    earlier: texts.slice(1),
    mine,
    mustAgree: view.community.consentPending,
    canPublish: can(actor, "consent.publish", view),
    staff: staff ? { agreements, waiting } : null,
  };
}

/**
 * The members who must agree to `version` before they write again, by the policy's own
 * rule (consentPending: those who run the community are never asked), by name; the page shows
 * the first `limit`, the notice of a new version goes to all.
 */
async function membersToAgree(db: Db, communityId: string, version: number, limit?: number) {
  const behind = await db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["users.id", "users.role", "users.display_name as name", "memberships.role as membershipRole", "memberships.consent_version"])
    .where("memberships.community_id", "=", communityId)
    .where("memberships.consent_version", "<", version)
    .orderBy("users.display_name")
    .$if(limit !== undefined, (q) => q.limit(limit!))
    .execute();
  return behind
    .filter((m) => consentPending({ id: m.id, role: m.role }, { community: { consent_version: version, phase: "active", starts_at: 0, ends_at: 0, time_zone: "UTC" }, membership: { role: m.membershipRole, consentVersion: m.consent_version } }))
    .map(({ id, name, consent_version }) => ({ id, name, consent_version }));
}

/** Every agreement in a community, newest first: member, version, when. For staff and their CSV. */
async function agreementHistory(db: Db, communityId: string) {
  return db
    .selectFrom("consent_agreements")
    .innerJoin("users", "users.id", "consent_agreements.user_id")
    .select(["users.id as user_id", "users.display_name as name", "consent_agreements.version", "consent_agreements.agreed_at"])
    .where("consent_agreements.community_id", "=", communityId)
    .orderBy("consent_agreements.agreed_at", "desc")
    .orderBy("users.id")
    .limit(5000)
    .execute();
}

/** The agreements as CSV rows for the community's staff; the policy's refusal otherwise. */
export async function consentAgreementsForStaff(db: Db, actor: Actor, slug: string) {
  const view = await getCommunityForActor(db, actor, slug);
  assertAllowed(actor, "consent.agreements", view);
  return { view, agreements: await agreementHistory(db, view.community.id) };
}
