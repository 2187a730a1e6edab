/**
 * Invitations: bound to one email and one community, a random token (160 bits) of which
 * only the hash is stored, single use, revocable, expiring after 14 days and never after
 * the community closes. Opening the link never consumes it; only the accepting POST does,
 * atomically. A wrong, used, expired or revoked token always gets the same answer.
 */
import { sql, type Kysely } from "kysely";
import { named } from "#app/lib/named-text.ts";
import type { Database, InvitationsTable } from "#db/schema.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { queueEmail } from "#app/features/email/outbox.server.ts";
import { notify } from "#app/features/notifications/notifications.server.ts";
import { DAY, now } from "#app/lib/clock.ts";
import { formatDayInZone, formatInZone } from "#app/lib/dates.ts";
import { hashToken, newId, newToken } from "#app/lib/ids.ts";
import { Refusal } from "#app/lib/refusal.ts";
import { EmailSchema } from "#app/features/auth/schemas.ts";
import { insertAccount, signIn, type ClientInfo } from "#app/features/auth/accounts.server.ts";
import { hashPassword } from "#app/features/auth/password.server.ts";
import { recordSecurityEvent } from "#app/features/auth/security-events.server.ts";
import { createSession } from "#app/features/auth/session.server.ts";
import { addMember, getCommunityToManage } from "#app/features/communities/communities.server.ts";
import { phaseOf } from "#app/features/communities/phase.ts";
import { describeRoleOffered } from "./role-offered.ts";
import { recordAudit } from "#app/features/audit/audit.server.ts";
import { nominationJoined } from "./nomination-outcome.server.ts";
import { consentText, recordAgreement } from "#app/features/consent/consent.server.ts";
import type { ConsentText } from "#app/features/consent/schemas.ts";

export const INVITATION_LIFETIME_MS = 14 * DAY;
export const MAX_INVITES_AT_ONCE = 500;
export const DAILY_INVITES_PER_MODERATOR = 1000;
export const INVALID_INVITATION =
  "This invitation link is not valid. It may have expired, been used or been withdrawn. Ask the person who invited you for a new one.";

/** Split a pasted list (commas, semicolons, spaces, new lines) into valid, invalid and repeated addresses. */
export function parseEmailList(raw: string): { valid: string[]; invalid: string[]; duplicates: string[] } {
  const valid: string[] = [];
  const invalid: string[] = [];
  const duplicates: string[] = [];
  const seen = new Set<string>();
  for (const piece of raw.split(/[\s,;]+/)) {
    const candidate = piece.replace(/^<|>$/g, "").trim();
    if (!candidate) continue;
    const parsed = EmailSchema.safeParse(candidate);
    if (!parsed.success) invalid.push(candidate);
    else if (seen.has(parsed.data)) duplicates.push(parsed.data);
    else {
      seen.add(parsed.data);
      valid.push(parsed.data);
    }
  }
  return { valid, invalid, duplicates };
}

/** "segment=enterprise, region=EU" (or one per line) to an attribute object. */
export function parseAttributes(raw: string | undefined): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const pair of (raw ?? "").split(/[\n,]+/)) {
    const [key, ...rest] = pair.split("=");
    const name = key?.trim().toLowerCase();
    const value = rest.join("=").trim();
    if (name && value && /^[a-z0-9_-]{1,40}$/.test(name)) attributes[name] = value.slice(0, 100);
  }
  return attributes;
}

export interface InviteInput {
  emails: string;
  role: "participant" | "leader";
  note?: string;
  source?: string;
  attributes?: Record<string, string>;
  /** The nomination this invitation comes from (inviteFromNomination sets it). */
  nominationId?: string;
}

export interface InviteReport {
  invited: string[];
  /** Of those invited, the addresses whose earlier invitation was withdrawn, had expired, or was accepted by someone who since left. */
  reinvited: string[];
  invalid: string[];
  duplicates: string[];
  alreadyMembers: string[];
  /** Addresses with an invitation still waiting: change or resend that one instead. */
  alreadyInvited: string[];
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function invitationEmail(input: {
  to: string;
  link: string;
  community: { name: string; purpose_markdown: string; purpose_html: string; starts_at: number; ends_at: number; time_zone: string };
  inviterName: string;
  note: string | null;
  role: "participant" | "leader";
  expiresAt: number;
}) {
  const { community } = input;
  const role = describeRoleOffered(input.role);
  const opens = formatInZone(community.starts_at, community.time_zone);
  const closes = formatInZone(community.ends_at, community.time_zone);
  const expires = formatDayInZone(input.expiresAt, community.time_zone);
  const subject = `You're invited to "${community.name}" on Cohort`;
  const text = [
    `${input.inviterName} invites you to join "${community.name}", a research community on Cohort, as a ${role.label}.`,
    role.meaning,
    "",
    input.note ? `A note from ${input.inviterName}:\n${input.note}\n` : null,
    `It opens ${opens} and closes ${closes}.`,
    "",
    "What it is for:",
    community.purpose_markdown,
    "",
    `Accept the invitation: ${input.link}`,
    `The link works until ${expires} and only for ${input.to}.`,
  ]
    .filter((line) => line !== null)
    .join("\n");
  const html = `<p>${escapeHtml(input.inviterName)} invites you to join <strong>${escapeHtml(community.name)}</strong>, a research community on Cohort, as a ${role.label}.</p>
<p>${escapeHtml(role.meaning)}</p>
${input.note ? `<blockquote>${escapeHtml(input.note).replace(/\n/g, "<br>")}</blockquote>` : ""}
<p>It opens <strong>${escapeHtml(opens)}</strong> and closes <strong>${escapeHtml(closes)}</strong>.</p>
<h3>What it is for</h3>
${community.purpose_html}
<p><a href="${escapeHtml(input.link)}">Accept the invitation</a></p>
<p>The link works until ${escapeHtml(expires)} and only for ${escapeHtml(input.to)}.</p>`;
  return { to: input.to, subject, text, html };
}

/**
 * Invite one or many addresses; every address is accounted for in the report. Only a
 * waiting invitation blocks an address: one that was withdrawn, has expired, or was
 * accepted by someone who has since left is sent again as a new invitation (same row, new
 * token, role, note and source). `withinTransaction` runs in the same transaction as the
 * writes, with what was invited (a nomination is marked invited there, or nothing is).
 */
export async function inviteMembers(
  db: Kysely<Database>,
  actor: Actor,
  slug: string,
  input: InviteInput,
  options: { siteOrigin: string; withinTransaction?: (trx: Kysely<Database>, invited: { id: string; email: string }[], report: InviteReport) => Promise<void> },
): Promise<InviteReport & { outboxIds: string[] }> {
  const view = await getCommunityToManage(db, actor, slug);
  const { community } = view;
  if (community.phase === "closed") throw new Refusal(409, "This community has closed; nobody can join it now.");

  const { valid, invalid, duplicates } = parseEmailList(input.emails);
  if (valid.length + invalid.length === 0) throw new Refusal(400, "Paste at least one email address.");
  if (valid.length > MAX_INVITES_AT_ONCE) throw new Refusal(400, `Invite at most ${MAX_INVITES_AT_ONCE} addresses at once.`);

  const at = now();

  const existingMembers = valid.length
    ? await db
        .selectFrom("memberships")
        .innerJoin("users", "users.id", "memberships.user_id")
        .select("users.email")
        .where("memberships.community_id", "=", community.id)
        .where("users.email", "in", valid)
        .execute()
    : [];
  const existingInvitations = valid.length
    ? await db
        .selectFrom("invitations")
        .select(["id", "email", "accepted_at", "revoked_at", "expires_at"])
        .where("community_id", "=", community.id)
        .where("email", "in", valid)
        .execute()
    : [];
  const members = new Set(existingMembers.map((r) => r.email));
  const earlier = new Map(existingInvitations.map((r) => [r.email, r]));
  const waiting = new Set(existingInvitations.filter((r) => invitationState(r, at) === "pending").map((r) => r.email));
  const toInvite = valid.filter((email) => !members.has(email) && !waiting.has(email));
  const report: InviteReport = {
    invited: toInvite,
    reinvited: toInvite.filter((email) => earlier.has(email)),
    invalid,
    duplicates,
    alreadyMembers: valid.filter((email) => members.has(email)),
    alreadyInvited: valid.filter((email) => !members.has(email) && waiting.has(email)),
  };

  const inviter = await db.selectFrom("users").select("display_name").where("id", "=", actor.id).executeTakeFirstOrThrow();
  const expiresAt = Math.min(at + INVITATION_LIFETIME_MS, community.ends_at);
  const outboxIds: string[] = [];
  const note = input.note?.trim() || null;
  await db.transaction().execute(async (trx) => {
    // The daily limit is counted and spent in one transaction that first takes the inviter's
    // row for writing (a row lock on PostgreSQL, the write lock on SQLite), so parallel
    // batches from one moderator queue up here instead of all passing the same count.
    await trx.updateTable("users").set({ updated_at: sql<number>`updated_at` }).where("id", "=", actor.id).execute();
    const sentToday = await trx
      .selectFrom("invitations")
      .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.min("created_at").as("oldest")])
      .where("invited_by", "=", actor.id)
      .where("created_at", ">", at - DAY)
      .executeTakeFirstOrThrow();
    if (Number(sentToday.n) + valid.length > DAILY_INVITES_PER_MODERATOR) {
      // Retry-After: when the oldest invitation of the last day stops counting.
      const retryAfterSeconds = Math.max(1, Math.ceil((Number(sentToday.oldest ?? at) + DAY - at) / 1000));
      throw new Refusal(429, `You can send ${DAILY_INVITES_PER_MODERATOR} invitations a day; you have ${Math.max(0, DAILY_INVITES_PER_MODERATOR - Number(sentToday.n))} left today.`, {
        retryAfterSeconds,
      });
    }
    const written: { id: string; email: string }[] = [];
    for (const email of toInvite) {
      const token = newToken();
      const values = {
        token_hash: hashToken(token),
        role: input.role,
        note,
        source: input.source?.trim() || null,
        attributes: JSON.stringify(input.attributes ?? {}),
        invited_by: actor.id,
        nomination_id: input.nominationId ?? null,
        created_at: at,
        sent_at: at,
        expires_at: expiresAt,
      };
      const previous = earlier.get(email);
      let id: string;
      if (previous) {
        // The same row becomes the new invitation, so one address has one invitation per community.
        id = previous.id;
        await trx
          .updateTable("invitations")
          .set({ ...values, opened_at: null, accepted_at: null, accepted_by: null, revoked_at: null })
          .where("id", "=", previous.id)
          .execute();
      } else {
        id = newId();
        await trx.insertInto("invitations").values({ id, community_id: community.id, email, ...values }).execute();
      }
      written.push({ id, email });
      outboxIds.push(
        await queueEmail(
          trx,
          invitationEmail({ to: email, link: `${options.siteOrigin}/invitations/${token}`, community, inviterName: inviter.display_name, note, role: input.role, expiresAt }),
        ),
      );
    }
    await options.withinTransaction?.(trx, written, report);
  });
  return { ...report, outboxIds };
}

export type InvitationState = "pending" | "accepted" | "expired" | "revoked";

export function invitationState(invitation: Pick<InvitationsTable, "accepted_at" | "revoked_at" | "expires_at">, at: number): InvitationState {
  if (invitation.accepted_at !== null) return "accepted";
  if (invitation.revoked_at !== null) return "revoked";
  if (invitation.expires_at <= at) return "expired";
  return "pending";
}

/** What the person joining confirmed: that they saw the dates, and which consent version they agreed to (when the community has one). */
export interface JoinConfirmations {
  datesConfirmed: boolean;
  consentVersion?: number | null;
}

export interface OpenedInvitation {
  email: string;
  role: "participant" | "leader";
  note: string | null;
  inviterName: string;
  community: { slug: string; name: string; purpose_html: string; starts_at: number; ends_at: number; time_zone: string; closed: boolean; consent: ConsentText | null };
}

/**
 * What the invitation page shows for a token: null for any token that cannot be used
 * (one answer for wrong, used, expired and revoked). Records the first opening for the
 * funnel; never consumes the token.
 */
export async function openInvitation(db: Kysely<Database>, token: string): Promise<OpenedInvitation | null> {
  const row = await db
    .selectFrom("invitations")
    .innerJoin("communities", "communities.id", "invitations.community_id")
    .innerJoin("users", "users.id", "invitations.invited_by")
    .select([
      "invitations.id",
      "invitations.email",
      "invitations.role",
      "invitations.note",
      "invitations.accepted_at",
      "invitations.revoked_at",
      "invitations.expires_at",
      "invitations.opened_at",
      "users.display_name as inviter_name",
      "communities.id as community_id",
      "communities.consent_version",
      "communities.slug",
      "communities.name",
      "communities.purpose_html",
      "communities.starts_at",
      "communities.ends_at",
      "communities.time_zone",
      "communities.published_at",
      "communities.archived_at",
    ])
    .where("invitations.token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (!row) return null;
  const at = now();
  const phase = phaseOf(row, at);
  const closed = phase === "closed" || phase === "archived";
  // A holder of a real link to a community that has closed is told so; otherwise one answer.
  if (!closed && invitationState(row, at) !== "pending") return null;
  if (row.accepted_at !== null || row.revoked_at !== null) return null;
  if (row.opened_at === null) await db.updateTable("invitations").set({ opened_at: at }).where("id", "=", row.id).execute();
  // The consent text is shown before joining, and joining records the version agreed to.
  const consent = closed ? null : await consentText(db, row.community_id, row.consent_version);
  return {
    email: row.email,
    role: row.role,
    note: row.note,
    inviterName: row.inviter_name,
    community: { slug: row.slug, name: row.name, purpose_html: row.purpose_html, starts_at: row.starts_at, ends_at: row.ends_at, time_zone: row.time_zone, closed, consent },
  };
}

/**
 * Accept: the token is consumed by one conditional update, so of any number of parallel
 * acceptances exactly one succeeds; the membership is written in the same transaction.
 */
export async function acceptInvitation(
  db: Kysely<Database>,
  token: string,
  user: { id: string; email: string },
  options: JoinConfirmations,
): Promise<{ slug: string }> {
  const opened = await acceptableInvitation(db, token, user.email, options);
  return db.transaction().execute((trx) => claimInvitation(trx, token, user, opened));
}

/**
 * Create an account through an invitation and join in one step. The invitation is checked
 * first (valid, community not closed, dates confirmed) and the account is inserted in the
 * same transaction that claims it, so a refused join stores no account: a closed
 * community's pending invitation cannot be used to get around invitation-only sign-up.
 */
export async function joinWithNewAccount(
  db: Kysely<Database>,
  token: string,
  input: { displayName: string; password: string },
  options: JoinConfirmations,
  client: ClientInfo,
): Promise<{ slug: string; userId: string; sessionToken: string }> {
  const first = await openInvitation(db, token);
  if (!first) throw new Refusal(404, INVALID_INVITATION);
  const opened = await acceptableInvitation(db, token, first.email, options);
  // Hash before the transaction: never hold a lock over argon2.
  const passwordHash = await hashPassword(input.password);
  const { slug, userId } = await db.transaction().execute(async (trx) => {
    const { userId } = await insertAccount(trx, { email: opened.email, displayName: input.displayName, passwordHash });
    const { slug } = await claimInvitation(trx, token, { id: userId, email: opened.email }, opened);
    return { slug, userId };
  });
  const sessionToken = await createSession(db, userId);
  await recordSecurityEvent(db, { kind: "sign-up", userId, subject: opened.email, detail: "invitation", ...client });
  return { slug, userId, sessionToken };
}

/** Who joins from the invitation page: the person signed in, the invited address signing in, or a new account. */
export type InvitationJoiner =
  | { by: "session"; user: { id: string; email: string } | null }
  | { by: "sign-in"; password: string }
  | { by: "new-account"; displayName: string; password: string };

/**
 * The invitation page's one write: open the invitation, settle who is joining (the session
 * they have, a sign-in as the invited address, or a new account made in the same transaction
 * as the join), and accept. The session token is returned when this started a session: a
 * fresh session on accepting, as on any sign-in.
 */
export async function joinByInvitation(
  db: Kysely<Database>,
  token: string,
  joiner: InvitationJoiner,
  options: JoinConfirmations,
  client: ClientInfo,
): Promise<{ slug: string; sessionToken: string | null }> {
  const invitation = await openInvitation(db, token);
  if (!invitation) throw new Refusal(404, INVALID_INVITATION);
  assertDatesConfirmed(options);
  switch (joiner.by) {
    case "new-account": {
      // The account is created only if the join succeeds (one transaction).
      const { slug, sessionToken } = await joinWithNewAccount(db, token, joiner, options, client);
      return { slug, sessionToken };
    }
    case "sign-in": {
      const { userId, token: sessionToken } = await signIn(db, { email: invitation.email, password: joiner.password }, client);
      const { slug } = await acceptInvitation(db, token, { id: userId, email: invitation.email }, options);
      return { slug, sessionToken };
    }
    case "session": {
      if (!joiner.user) throw new Refusal(400, "Sign in or create your account to join.");
      const { slug } = await acceptInvitation(db, token, joiner.user, options);
      return { slug, sessionToken: null };
    }
  }
}

/** Joining needs the dates confirmed: checked before a sign-in is spent on the join, and again on accepting. */
function assertDatesConfirmed(options: JoinConfirmations) {
  if (!options.datesConfirmed) throw new Refusal(400, "Confirm that you have seen when the community opens and closes.");
}

/** An invitation this address may accept now, or the refusal that says why not. */
async function acceptableInvitation(db: Kysely<Database>, token: string, email: string, options: JoinConfirmations) {
  const opened = await openInvitation(db, token);
  if (!opened) throw new Refusal(404, INVALID_INVITATION);
  if (opened.community.closed) {
    throw new Refusal(409, `This community closed on ${formatDayInZone(opened.community.ends_at, opened.community.time_zone)}; it can no longer be joined.`);
  }
  if (opened.email !== email) throw new Refusal(403, `This invitation is for ${opened.email}. Sign in with that address to accept it.`);
  assertDatesConfirmed(options);
  const consent = opened.community.consent;
  if (consent && options.consentVersion !== consent.version) {
    throw new Refusal(
      400,
      options.consentVersion ? `The consent changed while you were reading; read version ${consent.version} and agree to it to join.` : "Read the consent and agree to it to join.",
    );
  }
  return opened;
}

/** Claim the invitation (once, while valid) and make the member, in the caller's transaction. */
async function claimInvitation(
  trx: Kysely<Database>,
  token: string,
  user: { id: string; email: string },
  opened: NonNullable<Awaited<ReturnType<typeof openInvitation>>>,
): Promise<{ slug: string }> {
  const at = now();
  const claimed = await trx
    .updateTable("invitations")
    .set({ accepted_at: at, accepted_by: user.id })
    .where("token_hash", "=", hashToken(token))
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", at)
    .returning(["community_id", "role", "source", "attributes", "invited_by", "nomination_id"])
    .executeTakeFirst();
  if (!claimed) throw new Refusal(404, INVALID_INVITATION);
  await addMember(trx, {
    communityId: claimed.community_id,
    userId: user.id,
    role: claimed.role,
    datesConfirmedAt: at,
    source: claimed.source,
    attributes: JSON.parse(claimed.attributes) as Record<string, string>,
  });
  if (opened.community.consent) await recordAgreement(trx, claimed.community_id, user.id, opened.community.consent.version);
  await notify(trx, claimed.invited_by, {
    kind: "invitation.accepted",
    title: named`${{ user: user.id }} accepted your invitation to ${opened.community.name}`,
    link: `/c/${opened.community.slug}/members`,
  });
  if (claimed.nomination_id) await nominationJoined(trx, claimed.nomination_id, { communityName: opened.community.name });
  return { slug: opened.community.slug };
}

export async function revokeInvitation(db: Kysely<Database>, actor: Actor, slug: string, invitationId: string): Promise<void> {
  const view = await getCommunityToManage(db, actor, slug);
  const result = await db
    .updateTable("invitations")
    .set({ revoked_at: now() })
    .where("id", "=", invitationId)
    .where("community_id", "=", view.community.id)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new Refusal(409, "That invitation was already accepted or withdrawn.");
}

/** Send again with a new token (the old link stops working) and a fresh expiry. */
export async function resendInvitation(
  db: Kysely<Database>,
  actor: Actor,
  slug: string,
  invitationId: string,
  options: { siteOrigin: string },
): Promise<string> {
  const view = await getCommunityToManage(db, actor, slug);
  const { community } = view;
  if (community.phase === "closed") throw new Refusal(409, "This community has closed; nobody can join it now.");
  const invitation = await db
    .selectFrom("invitations")
    .selectAll()
    .where("id", "=", invitationId)
    .where("community_id", "=", community.id)
    .executeTakeFirst();
  if (!invitation || invitation.accepted_at !== null) throw new Refusal(409, "That invitation was already accepted.");
  const inviter = await db.selectFrom("users").select("display_name").where("id", "=", actor.id).executeTakeFirstOrThrow();
  const at = now();
  const token = newToken();
  const expiresAt = Math.min(at + INVITATION_LIFETIME_MS, community.ends_at);
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable("invitations")
      .set({ token_hash: hashToken(token), sent_at: at, expires_at: expiresAt, revoked_at: null })
      .where("id", "=", invitation.id)
      .execute();
    return queueEmail(
      trx,
      invitationEmail({ to: invitation.email, link: `${options.siteOrigin}/invitations/${token}`, community, inviterName: inviter.display_name, note: invitation.note, role: invitation.role, expiresAt }),
    );
  });
}

export interface Funnel {
  sent: number;
  opened: number;
  accepted: number;
  expired: number;
  revoked: number;
  /** Of those, the invitations sent from a nomination, and how many of them were accepted. */
  fromNominations: { sent: number; opened: number; accepted: number };
}

/** The invitation funnel of a community, in one query. */
export async function invitationFunnel(db: Kysely<Database>, communityId: string): Promise<Funnel> {
  const at = now();
  const row = await db
    .selectFrom("invitations")
    .select((eb) => [
      eb.fn.countAll<number>().as("sent"),
      eb.fn.count<number>("opened_at").as("opened"),
      eb.fn.count<number>("accepted_at").as("accepted"),
      eb.fn.count<number>("revoked_at").as("revoked"),
      eb.fn.sum<number>(sql`case when accepted_at is null and revoked_at is null and expires_at <= ${at} then 1 else 0 end`).as("expired"),
      eb.fn.count<number>("nomination_id").as("nominated_sent"),
      eb.fn.sum<number>(sql`case when nomination_id is not null and opened_at is not null then 1 else 0 end`).as("nominated_opened"),
      eb.fn.sum<number>(sql`case when nomination_id is not null and accepted_at is not null then 1 else 0 end`).as("nominated_accepted"),
    ])
    .where("community_id", "=", communityId)
    .executeTakeFirstOrThrow();
  return {
    sent: Number(row.sent),
    opened: Number(row.opened),
    accepted: Number(row.accepted),
    expired: Number(row.expired ?? 0),
    revoked: Number(row.revoked),
    fromNominations: { sent: Number(row.nominated_sent), opened: Number(row.nominated_opened ?? 0), accepted: Number(row.nominated_accepted ?? 0) },
  };
}

export async function listInvitations(db: Kysely<Database>, communityId: string) {
  const at = now();
  const rows = await db
    .selectFrom("invitations")
    .select(["id", "email", "role", "note", "source", "nomination_id", "sent_at", "expires_at", "opened_at", "accepted_at", "revoked_at"])
    .where("community_id", "=", communityId)
    .orderBy("sent_at", "desc")
    .limit(500)
    .execute();
  return rows.map((row) => ({ ...row, state: invitationState(row, at) }));
}

/**
 * Change a waiting invitation's role and note. The link stays the same and nothing is sent
 * unless `resend` asks for it (then a new link goes out, as with Resend). Audited.
 */
export async function updateInvitation(
  db: Kysely<Database>,
  actor: Actor,
  slug: string,
  invitationId: string,
  input: { role: "participant" | "leader"; note?: string; resend: boolean },
  options: { siteOrigin: string },
): Promise<{ changed: boolean; outboxId: string | null }> {
  const view = await getCommunityToManage(db, actor, slug);
  const { community } = view;
  const invitation = await db
    .selectFrom("invitations")
    .select(["id", "email", "role", "note", "accepted_at", "revoked_at", "expires_at"])
    .where("id", "=", invitationId)
    .where("community_id", "=", community.id)
    .executeTakeFirst();
  if (!invitation) throw new Refusal(404, "We could not find that invitation.");
  const state = invitationState(invitation, now());
  if (state !== "pending") {
    const what = { accepted: "was accepted", revoked: "was withdrawn", expired: "has expired" }[state];
    throw new Refusal(409, `Only a waiting invitation can be changed; this one ${what}. Invite the address again instead.`);
  }
  const note = input.note?.trim() || null;
  const changes: string[] = [];
  if (invitation.role !== input.role) changes.push(`role ${describeRoleOffered(invitation.role).label} → ${describeRoleOffered(input.role).label}`);
  if (invitation.note !== note) changes.push(note ? "note changed" : "note removed");
  if (changes.length > 0) {
    await db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable("invitations")
        .set({ role: input.role, note })
        .where("id", "=", invitation.id)
        .where("accepted_at", "is", null)
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw new Refusal(409, "That invitation was accepted or withdrawn meanwhile.");
      await recordAudit(trx, actor.id, {
        action: "invitation.change",
        summary: named`Changed the invitation to ${{ invitation: invitation.id }} in ${community.name}: ${changes.join(", ")}`,
        undo: null,
      });
    });
  }
  const outboxId = input.resend ? await resendInvitation(db, actor, slug, invitation.id, options) : null;
  return { changed: changes.length > 0, outboxId };
}
