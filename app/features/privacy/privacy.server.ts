import { sql, type Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { can, type Actor } from "#app/features/auth/policy.ts";
import { verifyPassword } from "#app/features/auth/password.server.ts";
import { endUserSessions } from "#app/features/auth/session.server.ts";
import { recordSecurityEvent } from "#app/features/auth/security-events.server.ts";
import { stopAllEmail } from "#app/features/notifications/email.server.ts";
import { now } from "#app/lib/clock.ts";
import { phaseOf } from "#app/features/communities/phase.ts";
import { newToken } from "#app/lib/ids.ts";
import { Refusal } from "#app/lib/refusal.ts";
import { ERASED_NAME } from "./erased.ts";
import { deleteFiles, eraseImagesOf, imagesForExport } from "#app/features/attachments/attachments.server.ts";

type Db = Kysely<Database>;

export { ERASED_NAME };

/** Everything a member wrote or chose in Cohort, as one JSON-ready object (their right of access). */
export async function exportMyData(db: Db, actor: Actor) {
  const [account, memberships, threads, replies, ideas, votes, flags, invitations, images] = await Promise.all([
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
  const placeholder = `erased-${actor.id}@erased.invalid`;
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
    await trx.updateTable("invitations").set({ email: placeholder, note: null, source: null, attributes: "{}" }).where("email", "=", user.email).execute();
    await scrubNamesInText(trx, { id: actor.id, name: user.display_name, email: user.email });
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
 * Texts written for other people that name the erased person (a staff notification "<email>
 * accepted your invitation", "<name> replied to …", a suggestion's "<name> wrote, in …", the
 * audit log's "Highlighted <name>'s reply") now say ERASED_NAME instead; the phrases are
 * matched whole, so nobody else's name changes. Security events keep what happened but
 * lose the email and the client address.
 */
async function scrubNamesInText(trx: Db, person: { id: string; name: string; email: string }): Promise<void> {
  const swap = (column: string, from: string, to: string) => sql<string>`replace(${sql.ref(column)}, ${from}, ${to})`;
  const phrases = (make: (who: string) => string) => [make(person.name), make(ERASED_NAME)] as const;
  for (const [from, to] of [phrases((who) => `${who} replied to "`), phrases((who) => `${who} mentioned you in "`), phrases((who) => `${who} in `)]) {
    await trx.updateTable("notifications").set({ title: swap("title", from, to) }).where("title", "like", `%${escapeLike(from)}%`).execute();
  }
  await trx.updateTable("notifications").set({ title: swap("title", person.email, ERASED_NAME) }).where("title", "like", `%${escapeLike(person.email)}%`).execute();
  const [wroteFrom, wroteTo] = phrases((who) => `${who} wrote, in `);
  await trx.updateTable("suggestions").set({ problem_markdown: swap("problem_markdown", wroteFrom, wroteTo) }).where("problem_markdown", "like", `${escapeLike(wroteFrom)}%`).execute();
  const htmlFrom = `${escapeHtml(person.name)} wrote, in `;
  await trx.updateTable("suggestions").set({ problem_html: swap("problem_html", htmlFrom, wroteTo) }).where("problem_html", "like", `%${escapeLike(htmlFrom)}%`).execute();
  for (const [from, to] of [phrases((who) => `Highlighted ${who}'s `), phrases((who) => `Dismissed ${who}'s `)]) {
    await trx.updateTable("audit_log").set({ summary: swap("summary", from, to) }).where("summary", "like", `${escapeLike(from)}%`).execute();
  }
  await trx
    .updateTable("security_events")
    .set({ subject: null, client_address: null })
    .where((eb) => eb.or([eb("user_id", "=", person.id), eb("subject", "=", person.email)]))
    .execute();
}

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** LIKE treats % and _ as wildcards; a name may contain them. Both engines take backslash escapes with ESCAPE, but plain LIKE does not, so wildcards are simply removed from the filter (the replace itself is exact). */
function escapeLike(text: string): string {
  return text.replace(/[%_]/g, "%");
}
