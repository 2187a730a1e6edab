import { sql, type ExpressionBuilder, type Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { can, type Actor } from "#app/features/auth/policy.ts";
import { verifyPassword } from "#app/features/auth/password.server.ts";
import { endUserSessions } from "#app/features/auth/session.server.ts";
import { recordSecurityEvent } from "#app/features/auth/security-events.server.ts";
import { stopAllEmail } from "#app/features/notifications/email.server.ts";
import { now } from "#app/lib/clock.ts";
import { phaseOf } from "#app/features/communities/phase.ts";
import { newId, newToken } from "#app/lib/ids.ts";
import { Refusal } from "#app/lib/refusal.ts";
import { renderMarkdown } from "#app/lib/markdown.server.ts";
import { profileLinkMarkdown, profileLinksTo } from "#app/features/discussions/quote.ts";
import { ERASED_NAME, erasedAddress } from "./erased.ts";
import { deleteFiles, eraseImagesOf, imagesForExport } from "#app/features/attachments/attachments.server.ts";

type Db = Kysely<Database>;

export { ERASED_NAME };

/** Everything a member wrote or chose in Cohort, as one JSON-ready object (their right of access). */
export async function exportMyData(db: Db, actor: Actor) {
  const [account, memberships, threads, replies, ideas, votes, flags, invitations, images, pollAnswers, pollChoices, consents] = await Promise.all([
    db.selectFrom("users").select(["email", "display_name", "role", "created_at"]).where("id", "=", actor.id).executeTakeFirstOrThrow(),
    db
      .selectFrom("memberships")
      .innerJoin("communities", "communities.id", "memberships.community_id")
      .select(["communities.name as community", "memberships.role", "memberships.joined_at", "memberships.dates_confirmed_at", "memberships.source", "memberships.attributes"])
      .where("memberships.user_id", "=", actor.id)
      .execute(),
    db
      .selectFrom("threads")
      .innerJoin("communities", "communities.id", "threads.community_id")
      .select(["threads.id", "communities.name as community", "threads.kind", "threads.title", "threads.body_markdown as body", "threads.created_at", "threads.edited_at", "threads.removed"])
      .where("threads.author_id", "=", actor.id)
      .orderBy("threads.created_at")
      .execute(),
    db
      .selectFrom("replies")
      .innerJoin("threads", "threads.id", "replies.thread_id")
      .innerJoin("communities", "communities.id", "threads.community_id")
      .select(["replies.id", "communities.name as community", "threads.title as thread", "replies.body_markdown as body", "replies.created_at", "replies.edited_at", "replies.removed"])
      .where("replies.author_id", "=", actor.id)
      .orderBy("replies.created_at")
      .execute(),
    db
      .selectFrom("ideas")
      .innerJoin("threads", "threads.id", "ideas.thread_id")
      .innerJoin("communities", "communities.id", "ideas.community_id")
      .leftJoin("memberships", (join) => join.onRef("memberships.community_id", "=", "ideas.community_id").on("memberships.user_id", "=", actor.id))
      .select([
        "threads.title",
        "ideas.vote_count",
        "ideas.created_at",
        "communities.starts_at",
        "communities.ends_at",
        "communities.time_zone",
        "communities.hide_vote_counts",
        "communities.published_at",
        "communities.archived_at",
        "memberships.role as membership_role",
      ])
      .where("threads.author_id", "=", actor.id)
      .execute(),
    db
      .selectFrom("votes")
      .innerJoin("threads", "threads.id", "votes.idea_id")
      .innerJoin("communities", "communities.id", "votes.community_id")
      .select(["communities.name as community", "threads.title as idea", "votes.created_at"])
      .where("votes.user_id", "=", actor.id)
      .execute(),
    db.selectFrom("flags").select(["post_kind", "post_id", "reason", "note", "created_at", "resolution"]).where("reporter_id", "=", actor.id).execute(),
    db
      .selectFrom("invitations")
      .innerJoin("communities", "communities.id", "invitations.community_id")
      .select(["communities.name as community", "invitations.note", "invitations.created_at", "invitations.accepted_at"])
      .where("invitations.accepted_by", "=", actor.id)
      .execute(),
    imagesForExport(db, actor.id),
    db
      .selectFrom("poll_answers")
      .innerJoin("polls", "polls.id", "poll_answers.poll_id")
      .innerJoin("threads", "threads.id", "polls.thread_id")
      .innerJoin("communities", "communities.id", "poll_answers.community_id")
      .select(["poll_answers.poll_id", "communities.name as community", "threads.title as thread", "polls.question", "poll_answers.other_text", "poll_answers.created_at", "poll_answers.updated_at"])
      .where("poll_answers.user_id", "=", actor.id)
      .orderBy("poll_answers.created_at")
      .execute(),
    db
      .selectFrom("poll_answer_choices")
      .innerJoin("poll_options", "poll_options.id", "poll_answer_choices.option_id")
      .select(["poll_answer_choices.poll_id", "poll_options.label", "poll_answer_choices.rank"])
      .where("poll_answer_choices.user_id", "=", actor.id)
      .orderBy("poll_answer_choices.rank")
      .orderBy("poll_options.position")
      .execute(),
    // What you agreed to, and when you withdrew (left) where you are no longer a member.
    db
      .selectFrom("consent_agreements")
      .innerJoin("communities", "communities.id", "consent_agreements.community_id")
      .leftJoin("former_memberships", (join) => join.onRef("former_memberships.community_id", "=", "consent_agreements.community_id").on("former_memberships.user_id", "=", actor.id))
      .select(["communities.name as community", "consent_agreements.version", "consent_agreements.agreed_at", "former_memberships.left_at"])
      .where("consent_agreements.user_id", "=", actor.id)
      .orderBy("consent_agreements.agreed_at")
      .execute(),
  ]);
  const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());
  return {
    exportedAt: iso(now()),
    account: { ...account, created_at: iso(account.created_at) },
    memberships: memberships.map((m) => ({ ...m, attributes: JSON.parse(m.attributes) as unknown, joined_at: iso(m.joined_at), dates_confirmed_at: iso(m.dates_confirmed_at) })),
    threads: threads.map((t) => ({ ...t, created_at: iso(t.created_at), edited_at: iso(t.edited_at) })),
    replies: replies.map((r) => ({ ...r, created_at: iso(r.created_at), edited_at: iso(r.edited_at) })),
    // Vote counts follow the pages' rule: hidden while the community hides them from this reader.
    ideas: ideas.map((i) => {
      const context = {
        community: { phase: phaseOf(i, now()), starts_at: i.starts_at, ends_at: i.ends_at, time_zone: i.time_zone, hide_vote_counts: i.hide_vote_counts },
        membership: i.membership_role ? { role: i.membership_role } : null,
      };
      return { title: i.title, vote_count: can(actor, "idea.see-votes", context) ? i.vote_count : null, created_at: iso(i.created_at) };
    }),
    votes: votes.map((v) => ({ ...v, created_at: iso(v.created_at) })),
    flags: flags.map((f) => ({ ...f, created_at: iso(f.created_at) })),
    invitations: invitations.map((i) => ({ ...i, created_at: iso(i.created_at), accepted_at: iso(i.accepted_at) })),
    // The images you attached, each with its description and a link that downloads it (signed in as you).
    images,
    pollAnswers: pollAnswers.map(({ poll_id, other_text, created_at, updated_at, ...answer }) => ({
      ...answer,
      choices: pollChoices.filter((c) => c.poll_id === poll_id).map((c) => (c.rank === null ? c.label : { option: c.label, rank: c.rank })),
      other: other_text,
      answered_at: iso(created_at),
      changed_at: updated_at === created_at ? null : iso(updated_at),
    })),
    consent: consents.map((c) => ({ community: c.community, version: c.version, agreed_at: iso(c.agreed_at), withdrawn_at: iso(c.left_at) })),
  };
}

/**
 * Erase an account at its owner's request, after they confirm with their password. The row
 * stays so posts, votes and counts stay consistent, but it no longer says who it was: the
 * name becomes "Former member", the email a placeholder, the password unusable; segment
 * data, notifications, invitations and queued email to them go; every session ends.
 */
export async function eraseAccount(db: Db, actor: Actor, password: string, client: { clientAddress?: string } = {}): Promise<void> {
  const user = await db.selectFrom("users").select(["password_hash", "role", "email", "display_name"]).where("id", "=", actor.id).executeTakeFirst();
  if (!user || !(await verifyPassword(user.password_hash, password))) throw new Refusal(400, "That password is not right.");
  if (can(actor, "admin.manage")) {
    const admins = await db.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("n")).where("role", "=", "admin").where("erased_at", "is", null).where("suspended_at", "is", null).executeTakeFirstOrThrow();
    if (Number(admins.n) <= 1) throw new Refusal(409, "You are the only admin: make someone else an admin before erasing your account.");
  }
  const at = now();
  // A placeholder that can never receive mail or match a sign-in.
  const placeholder = erasedAddress(actor.id);
  const images = await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("users")
      .set({ display_name: ERASED_NAME, bio: "", email: placeholder, password_hash: `erased:${newToken()}`, role: "member", erased_at: at, updated_at: at })
      .where("id", "=", actor.id)
      .execute();
    await trx.updateTable("memberships").set({ source: null, attributes: "{}" }).where("user_id", "=", actor.id).execute();
    await trx.updateTable("former_memberships").set({ source: null, attributes: "{}" }).where("user_id", "=", actor.id).execute();
    await trx.deleteFrom("notifications").where("user_id", "=", actor.id).execute();
    await trx.deleteFrom("outbox").where("to_address", "=", user.email).execute();
    await forgetPerson(trx, { id: actor.id, email: user.email });
    await stopAllEmail(trx, actor.id);
    await endUserSessions(trx, actor.id);
    return eraseImagesOf(trx, actor.id);
  });
  // Their pictures: the rows went with the erasure, the files go once it has committed.
  await deleteFiles(images);
  // The erasure is recorded by id only: no address, no email.
  await recordSecurityEvent(db, { kind: "account.erased", userId: actor.id });
  void client;
}

/**
 * What names the erased person outside their own rows. Text Cohort writes (notifications,
 * the audit log) names people by id and reads their current name, so it needs nothing here
 * (app/lib/named-text.ts). What remains:
 * - quotes of them in other members' posts link to their profile by id: the link keeps its
 *   target and shows ERASED_NAME, whatever name it showed when written;
 * - emails already written for others that named them (the outbox keeps whom each names)
 *   lose their text;
 * - a nomination of their address loses the name, address, quote and where it came from;
 * - security events keep what happened but lose the email and the client address, and
 *   throttling counters keyed by the address go.
 */
async function forgetPerson(trx: Db, person: { id: string; email: string }): Promise<void> {
  const [invitations, nominations] = await Promise.all([
    trx.selectFrom("invitations").select("id").where("email", "=", person.email).execute(),
    trx.selectFrom("nominations").select("id").where("email", "=", person.email).execute(),
  ]);
  await trx.updateTable("invitations").set({ email: erasedAddress(person.id), note: null, source: null, attributes: "{}" }).where("email", "=", person.email).execute();
  await trx.updateTable("nominations").set({ name: ERASED_NAME, email: erasedAddress(person.id), quote: "", found_where: null }).where("email", "=", person.email).execute();
  const references = [`user:${person.id}`, ...invitations.map((i) => `invitation:${i.id}`), ...nominations.map((n) => `nomination:${n.id}`)];
  await trx
    .updateTable("outbox")
    .set({ subject: "(removed)", text_body: REDACTED_EMAIL, html_body: `<p>${REDACTED_EMAIL}</p>`, names: null })
    .where((eb) => eb.or(references.map((ref) => eb("names", "like", `% ${ref} %`))))
    .execute();
  await rewriteQuotesOf(trx, person.id);
  // Throttling counters keyed by the address (sign-in, reset requests) expire on their own; erasure does not wait.
  const buckets = (await trx.selectFrom("rate_limits").select("bucket").where("bucket", "like", `%${person.email}%`).execute()).map((r) => r.bucket).filter((b) => b.includes(person.email));
  if (buckets.length) await trx.deleteFrom("rate_limits").where("bucket", "in", buckets).execute();
  await trx
    .updateTable("security_events")
    .set({ subject: null, client_address: null })
    .where((eb) => eb.or([eb("user_id", "=", person.id), eb("subject", "=", person.email)]))
    .execute();
}

const REDACTED_EMAIL = "This email named a member who has since erased their account, so its text was removed.";

/**
 * Other members' posts that link to the person's profile (quotes of them) show ERASED_NAME in
 * the link; within one community, when given, pointing at the stand-in they became there.
 */
async function rewriteQuotesOf(trx: Db, userId: string, only?: { communityId: string; as: string }): Promise<void> {
  const pattern = `%](/people/${userId})%`;
  const links = profileLinksTo(userId);
  const rewrite = (markdown: string) => markdown.replace(links, profileLinkMarkdown({ id: only?.as ?? userId, name: ERASED_NAME }));
  const inCommunity = only ? trx.selectFrom("threads").select("id").where("community_id", "=", only.communityId) : null;
  const quoting = [
    await trx.selectFrom("threads").select(["id", "body_markdown"]).where("body_markdown", "like", pattern).$if(inCommunity !== null, (q) => q.where("id", "in", inCommunity!)).execute(),
    await trx.selectFrom("replies").select(["id", "body_markdown"]).where("body_markdown", "like", pattern).$if(inCommunity !== null, (q) => q.where("thread_id", "in", inCommunity!)).execute(),
  ] as const;
  for (const [k, table] of (["threads", "replies"] as const).entries()) {
    const posts = quoting[k]!;
    for (const post of posts) {
      const body = rewrite(post.body_markdown);
      if (body !== post.body_markdown) await trx.updateTable(table).set({ body_markdown: body, body_html: renderMarkdown(body) }).where("id", "=", post.id).execute();
    }
  }
}

/**
 * Anonymise what one person wrote and chose in one community, at once, when they withdraw
 * from it (the erasure rules, for this community only). Their account elsewhere keeps their
 * name, so the community's posts, replies, votes, poll answers, flags and highlights move to a
 * stand-in account that is erased from the start ("Former member", no email, no password):
 * every page, export and search that names an author shows the erased name, and counts stay
 * right (the stand-in is one distinct person, as they were). Their segment data there goes;
 * notifications and suggestion texts about this community stop naming them. The record of
 * what they agreed to (consent) stays theirs: it is the study's evidence of consent.
 */
export async function anonymiseInCommunity(db: Db, userId: string, community: { id: string; name: string; slug?: string }): Promise<void> {
  const slug = community.slug ?? (await db.selectFrom("communities").select("slug").where("id", "=", community.id).executeTakeFirstOrThrow()).slug;
  const at = now();
  const standIn = newId();
  const threadsHere = (eb: ExpressionBuilder<Database, "replies" | "thread_reads">) => eb.selectFrom("threads").select("threads.id").where("threads.community_id", "=", community.id);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("users")
      .values({ id: standIn, email: erasedAddress(standIn), display_name: ERASED_NAME, password_hash: `erased:${newToken()}`, role: "member", erased_at: at, created_at: at, updated_at: at })
      .execute();
    await trx.updateTable("threads").set({ author_id: standIn }).where("community_id", "=", community.id).where("author_id", "=", userId).execute();
    await trx.updateTable("replies").set({ author_id: standIn }).where("author_id", "=", userId).where("thread_id", "in", (eb) => threadsHere(eb)).execute();
    await trx.updateTable("thread_reads").set({ user_id: standIn }).where("user_id", "=", userId).where("thread_id", "in", (eb) => threadsHere(eb)).execute();
    await trx.updateTable("votes").set({ user_id: standIn }).where("community_id", "=", community.id).where("user_id", "=", userId).execute();
    await trx.updateTable("poll_answers").set({ user_id: standIn }).where("community_id", "=", community.id).where("user_id", "=", userId).execute();
    await trx
      .updateTable("poll_answer_choices")
      .set({ user_id: standIn })
      .where("user_id", "=", userId)
      .where("poll_id", "in", (eb) => eb.selectFrom("polls").select("polls.id").where("polls.community_id", "=", community.id))
      .execute();
    await trx.updateTable("flags").set({ post_author_id: standIn }).where("community_id", "=", community.id).where("post_author_id", "=", userId).execute();
    await trx.updateTable("flags").set({ reporter_id: standIn }).where("community_id", "=", community.id).where("reporter_id", "=", userId).execute();
    await trx.updateTable("highlights").set({ post_author_id: standIn }).where("community_id", "=", community.id).where("post_author_id", "=", userId).execute();
    await trx.updateTable("former_memberships").set({ source: null, attributes: "{}" }).where("community_id", "=", community.id).where("user_id", "=", userId).execute();
    await trx.updateTable("invitations").set({ note: null, source: null, attributes: "{}" }).where("community_id", "=", community.id).where("accepted_by", "=", userId).execute();
    // Texts Cohort wrote for others about this community name them by reference (app/lib/named-text.ts):
    // those now name the stand-in, exactly, by id. Quotes of them in this community's posts too.
    const token = (id: string) => `{user:${id}}`;
    await trx
      .updateTable("notifications")
      .set({ title: sql<string>`replace(title, ${token(userId)}, ${token(standIn)})` })
      .where("link", "like", `/c/${slug.replace(/[%_]/g, "")}/%`)
      .where("title", "like", `%${token(userId)}%`)
      .execute();
    await rewriteQuotesOf(trx, userId, { communityId: community.id, as: standIn });
  });
}
