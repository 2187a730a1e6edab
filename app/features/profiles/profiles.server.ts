import type { Kysely } from "kysely";
import type { CommunityRole, Database, GlobalRole, ThreadKind } from "#db/schema.ts";
import { assertAllowed, can, isStaff, type Actor, type CommunityContext } from "#app/features/auth/policy.ts";
import { phaseOf } from "#app/features/communities/phase.ts";
import { COMMUNITY_ROLE_LABEL } from "#app/features/communities/roles.ts";
import { postLink } from "#app/features/discussions/links.ts";
import { listedPost } from "#app/features/discussions/visibility.ts";
import { now } from "#app/lib/clock.ts";
import { pastCursor, type Cursor } from "#app/lib/cursor.ts";
import { Refusal } from "#app/lib/refusal.ts";
import { displayNameProblem, tidyName } from "#app/features/auth/names.ts";
import { BIO_MAX, tidyBio } from "./bio.ts";

type Db = Kysely<Database>;

/** A member changes the name others see and their bio. The rules of names.ts apply here too, whatever the form sent. */
export async function updateProfile(db: Db, actor: Actor, input: { displayName: string; bio: string }): Promise<{ displayName: string; bio: string }> {
  assertAllowed(actor, "account.manage");
  const displayName = tidyName(input.displayName);
  const problem = displayNameProblem(displayName);
  if (problem) throw new Refusal(400, problem);
  const bio = tidyBio(input.bio);
  if (Array.from(bio).length > BIO_MAX) throw new Refusal(400, `Keep your bio to ${BIO_MAX} characters.`);
  await db.updateTable("users").set({ display_name: displayName, bio, updated_at: now() }).where("id", "=", actor.id).where("erased_at", "is", null).execute();
  return { displayName, bio };
}

export async function profileOf(db: Db, userId: string) {
  return db.selectFrom("users").select(["display_name", "bio"]).where("id", "=", userId).executeTakeFirstOrThrow();
}

export const PROFILE_POSTS = 20;
// Rows read past a page, so that a few posts this reader may not see rarely shorten it.
const EXAMINED = 2 * PROFILE_POSTS;

const STAFF_LABEL: Record<GlobalRole, string | null> = { member: null, moderator: "Moderator", product: "Product team", admin: "Admin" };

export interface ProfilePost {
  kind: ThreadKind | "reply";
  id: string;
  title: string;
  excerpt: string;
  link: string;
  community: string;
  createdAt: number;
}

/** A post's text for a one-line excerpt: its stored safe HTML without tags. */
function excerptOf(html: string): string {
  const text = html
    .replace(/<[^>]*>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/**
 * A person's profile as this reader may see it: name, bio, their role in each community the
 * two share, and a page of their recent posts there (every community for staff), newest
 * first by key. A profile the reader may not see answers 404, exactly as a missing one.
 * Posts follow the rules of discussions/visibility.ts: nothing removed, no scheduled prompt
 * before it appears, no masked prompt's answers the reader has not earned. Six queries
 * whatever the numbers.
 */
export async function readProfile(db: Db, actor: Actor, userId: string, after?: Cursor) {
  const at = now();
  const communityColumns = ["communities.id", "communities.slug", "communities.name", "communities.starts_at", "communities.ends_at", "communities.published_at", "communities.archived_at", "communities.time_zone"] as const;
  const [person, readerIn, personIn] = await Promise.all([
    db.selectFrom("users").select(["id", "display_name", "bio", "role", "erased_at"]).where("id", "=", userId).executeTakeFirst(),
    db.selectFrom("memberships").innerJoin("communities", "communities.id", "memberships.community_id").select([...communityColumns, "memberships.role as membership_role"]).where("memberships.user_id", "=", actor.id).execute(),
    db.selectFrom("memberships").innerJoin("communities", "communities.id", "memberships.community_id").select([...communityColumns, "memberships.role as membership_role"]).where("memberships.user_id", "=", userId).orderBy("communities.starts_at", "desc").limit(200).execute(),
  ]);
  const contextOf = (c: (typeof readerIn)[number] | undefined, row: (typeof readerIn)[number]): CommunityContext => ({
    community: { ...row, phase: phaseOf(row, at) },
    membership: c ? { role: c.membership_role } : null,
  });
  const readerMembership = new Map(readerIn.map((c) => [c.id, c]));
  const readerSees = readerIn.filter((c) => can(actor, "community.view", contextOf(c, c)));
  const staffReader = isStaff(actor);
  const personIsStaff = person ? STAFF_LABEL[person.role] !== null : false;
  // The communities both are in, as the reader sees them; staff are in every community they can read.
  const personRole = new Map(personIn.map((c) => [c.id, c.membership_role]));
  const shared = staffReader
    ? personIn.map((c) => ({ ...c, role: c.membership_role as CommunityRole | null }))
    : readerSees.filter((c) => personIsStaff || personRole.has(c.id)).map((c) => ({ ...c, role: personRole.get(c.id) ?? null }));
  assertAllowed(actor, "profile.view", { targetUserId: userId, sharesCommunity: shared.length > 0, gone: !person || person.erased_at != null });
  const found = person!;

  // Where the reader may see this person's posts: every community for staff, else the shared ones.
  const scope = staffReader ? null : shared.map((c) => c.id);
  const posts = scope !== null && scope.length === 0 ? { items: [], next: null } : await recentPosts(db, actor, userId, scope, readerMembership, at, after);

  return {
    person: {
      id: found.id,
      displayName: found.display_name,
      bio: found.bio,
      staffLabel: STAFF_LABEL[found.role],
      isSelf: found.id === actor.id,
    },
    communities: shared.map((c) => ({ slug: c.slug, name: c.name, role: c.role ? COMMUNITY_ROLE_LABEL[c.role] : (STAFF_LABEL[found.role] ?? "Participant") })),
    posts: posts.items,
    next: posts.next,
  };
}

async function recentPosts(
  db: Db,
  actor: Actor,
  userId: string,
  scope: string[] | null,
  readerMembership: Map<string, { membership_role: CommunityRole }>,
  at: number,
  after: Cursor | undefined,
): Promise<{ items: ProfilePost[]; next: Cursor | null }> {
  const columns = ["communities.slug", "communities.name as community", "communities.starts_at", "communities.ends_at", "communities.published_at", "communities.archived_at", "communities.time_zone", "threads.community_id", "threads.title", "threads.kind as thread_kind", "threads.removed as thread_removed", "threads.visible_from", "threads.masked"] as const;
  const [openers, replies] = await Promise.all([
    db
      .selectFrom("threads")
      .innerJoin("communities", "communities.id", "threads.community_id")
      .select([...columns, "threads.id", "threads.id as thread_id", "threads.created_at", "threads.removed", "threads.body_html"])
      .where("threads.author_id", "=", userId)
      .$if(scope !== null, (q) => q.where("threads.community_id", "in", scope!))
      .$if(after !== undefined, (q) => q.where(pastCursor("threads.created_at", "threads.id", after!, "<")))
      .orderBy("threads.created_at", "desc")
      .orderBy("threads.id", "desc")
      .limit(EXAMINED + 1)
      .execute(),
    db
      .selectFrom("replies")
      .innerJoin("threads", "threads.id", "replies.thread_id")
      .innerJoin("communities", "communities.id", "threads.community_id")
      .select([...columns, "replies.id", "replies.thread_id", "replies.created_at", "replies.removed", "replies.body_html"])
      .where("replies.author_id", "=", userId)
      // Answers to private follow-ups are read on their own page only, never on a profile.
      .where("replies.follow_up_id", "is", null)
      .$if(scope !== null, (q) => q.where("threads.community_id", "in", scope!))
      .$if(after !== undefined, (q) => q.where(pastCursor("replies.created_at", "replies.id", after!, "<")))
      .orderBy("replies.created_at", "desc")
      .orderBy("replies.id", "desc")
      .limit(EXAMINED + 1)
      .execute(),
  ]);
  const merged = [...openers.map((row) => ({ ...row, kind: "thread" as const })), ...replies.map((row) => ({ ...row, kind: "reply" as const }))]
    .sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .slice(0, EXAMINED + 1);
  const examined = merged.slice(0, EXAMINED);
  const maskedThreads = [...new Set(examined.filter((r) => r.kind === "reply" && r.masked === 1).map((r) => r.thread_id))];
  const answered = new Set(
    maskedThreads.length
      ? (await db.selectFrom("replies").select("thread_id").distinct().where("author_id", "=", actor.id).where("removed", "is", null).where("follow_up_id", "is", null).where("thread_id", "in", maskedThreads).execute()).map((r) => r.thread_id)
      : [],
  );
  const seesAll = new Map<string, boolean>();
  const seesAllIn = (row: (typeof examined)[number]) => {
    if (!seesAll.has(row.community_id)) {
      const membership = readerMembership.get(row.community_id);
      const community = { ...row, phase: phaseOf(row, at) };
      seesAll.set(row.community_id, can(actor, "discussion.see-all", { community, membership: membership ? { role: membership.membership_role } : null }));
    }
    return seesAll.get(row.community_id)!;
  };

  const items: ProfilePost[] = [];
  let next: Cursor | null = null;
  for (const [index, row] of examined.entries()) {
    const thread = { removed: row.thread_removed, visible_from: row.visible_from, masked: row.masked };
    if (!listedPost({ kind: row.kind, removed: row.removed, thread }, { seesAll: seesAllIn(row), answeredMasked: answered.has(row.thread_id) }, at)) continue;
    items.push({
      kind: row.kind === "reply" ? "reply" : row.thread_kind,
      id: row.id,
      title: row.kind === "reply" ? `Reply in “${row.title}”` : row.title,
      excerpt: excerptOf(row.body_html),
      link: postLink(row.slug, row.thread_id, { kind: row.kind, id: row.id, created_at: row.created_at }),
      community: row.community,
      createdAt: row.created_at,
    });
    if (items.length === PROFILE_POSTS) {
      if (index < examined.length - 1 || merged.length > EXAMINED) next = { at: row.created_at, id: row.id };
      return { items, next };
    }
  }
  // Fewer visible than a page among those read: go on from the last one read, if there are more.
  const last = examined.at(-1);
  if (merged.length > EXAMINED && last) next = { at: last.created_at, id: last.id };
  return { items, next };
}
