/**
 * @mentions: "@Name" in a post names a member of its community. Resolved when the post is
 * saved (so it works without JavaScript), linked to the person's profile in the rendered
 * text, and the person is told once per post (in the app; by email as their settings say),
 * never when they cannot read the post. An edit tells only the newly mentioned.
 */
import { named } from "#app/lib/named-text.ts";
import { sql, type Kysely } from "kysely";
import type { Database, PostKind } from "#db/schema.ts";
import { can, type Actor } from "#app/features/auth/policy.ts";
import { notifyEach } from "#app/features/notifications/notifications.server.ts";
import { now } from "#app/lib/clock.ts";
import { phaseOf } from "#app/features/communities/phase.ts";
import { Refusal } from "#app/lib/refusal.ts";

type Db = Kysely<Database>;

export const MAX_MENTIONS_PER_POST = 10;
/** A name is up to four words after the @ ("@Lena", "@Lena Fischer"). */
const MAX_NAME_WORDS = 4;
const MENTION_START = /(^|[^\w@/])@(?=[\p{L}\p{N}])/gu;
const WORD = /^[\p{L}\p{N}][\p{L}\p{N}'’.-]*/u;

/** Every text after an @ that could be a name: its first one to four words, lower-cased. */
export function mentionCandidates(markdown: string): string[] {
  const found = new Set<string>();
  for (const match of markdown.matchAll(MENTION_START)) for (const name of namesAfter(markdown.slice(match.index + match[0].length))) found.add(name);
  return [...found].slice(0, 200);
}

/** The names that could start here (just after an @), shortest first: "lena", "lena fischer". */
function namesAfter(text: string): string[] {
  const names: string[] = [];
  const words: string[] = [];
  let rest = text.slice(0, 200);
  while (words.length < MAX_NAME_WORDS) {
    const word = WORD.exec(rest)?.[0];
    if (!word) break;
    words.push(word.replace(/[.'’-]+$/, ""));
    names.push(words.join(" ").toLowerCase());
    rest = rest.slice(word.length);
    if (!/^ [\p{L}\p{N}]/u.test(rest)) break;
    rest = rest.slice(1);
  }
  return names;
}

export interface Mentioned {
  id: string;
  name: string;
}

/**
 * The members of this community the text mentions: the longest name that follows each @
 * and belongs to exactly one current member. An ambiguous name (two "Sam"s) mentions nobody.
 */
export async function resolveMentions(db: Db, communityId: string, markdown: string): Promise<Mentioned[]> {
  const candidates = mentionCandidates(markdown);
  if (!candidates.length) return [];
  const rows = await db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["users.id", "users.display_name"])
    .where("memberships.community_id", "=", communityId)
    .where("users.erased_at", "is", null)
    .where(sql<string>`lower(users.display_name)`, "in", candidates)
    .execute();
  const byName = new Map<string, Mentioned[]>();
  for (const row of rows) {
    const key = row.display_name.toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), { id: row.id, name: row.display_name }]);
  }
  const mentioned = new Map<string, Mentioned>();
  for (const match of markdown.matchAll(MENTION_START)) {
    const after = markdown.slice(match.index + match[0].length);
    // The longest unambiguous name at this @.
    const hit = namesAfter(after)
      .reverse()
      .map((name) => byName.get(name))
      .find((people) => people?.length === 1)?.[0];
    if (hit) mentioned.set(hit.id, hit);
  }
  if (mentioned.size > MAX_MENTIONS_PER_POST) throw new Refusal(422, `Mention at most ${MAX_MENTIONS_PER_POST} people in one post.`);
  return [...mentioned.values()];
}

/** The Markdown to render: each resolved "@Name" becomes a link to that person's profile. The stored text keeps what was typed. */
export function linkMentions(markdown: string, mentioned: Mentioned[]): string {
  if (!mentioned.length) return markdown;
  const names = [...mentioned].sort((a, b) => b.name.length - a.name.length);
  return markdown.replace(new RegExp(`(^|[^\\w@/\\[])@(${names.map((m) => escapeRegExp(m.name)).join("|")})(?![\\p{L}\\p{N}])`, "giu"), (whole, before: string, name: string) => {
    const person = names.find((m) => m.name.toLowerCase() === name.toLowerCase());
    return person ? `${before}[@${name.replace(/[[\]]/g, "")}](/people/${person.id})` : whole;
  });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export interface MentionContext {
  actor: Actor;
  post: { kind: PostKind; id: string };
  thread: { id: string; title: string; masked: 0 | 1; visibleFrom: number };
  community: { id: string; name: string };
  link: string;
}

/**
 * Record the post's mentions and tell the newly mentioned, inside the post's transaction.
 * Left out: the author, whoever was already told about this post, and whoever cannot read
 * it (a masked prompt's answer for a participant who has not answered it). A scheduled
 * prompt's mention reaches people when the prompt appears.
 */
export async function recordMentions(trx: Db, mentioned: Mentioned[], context: MentionContext): Promise<string[]> {
  const others = mentioned.filter((m) => m.id !== context.actor.id);
  if (!others.length) return [];
  const told = await trx
    .selectFrom("mentions")
    .select("user_id")
    .where("post_kind", "=", context.post.kind)
    .where("post_id", "=", context.post.id)
    .where(
      "user_id",
      "in",
      others.map((m) => m.id),
    )
    .execute();
  const fresh = others.filter((m) => !told.some((t) => t.user_id === m.id));
  const readers = await readersOf(trx, fresh, context);
  if (!readers.length) return [];
  await trx
    .insertInto("mentions")
    .values(readers.map((m) => ({ post_kind: context.post.kind, post_id: context.post.id, user_id: m.id, created_at: now() })))
    .onConflict((c) => c.columns(["post_kind", "post_id", "user_id"]).doNothing())
    .execute();
  await notifyEach(
    trx,
    readers.map((m) => ({
      userId: m.id,
      input: {
        kind: "mention" as const,
        title: named`${{ user: context.actor.id }} mentioned you in "${context.thread.title}" in ${context.community.name}`,
        link: context.link,
        at: Math.max(now(), context.thread.visibleFrom),
      },
    })),
  );
  return readers.map((m) => m.id);
}

/** Who among these members may read the post: each is a member of its community; a masked prompt's answer needs them to see all or to have answered. */
async function readersOf(trx: Db, people: Mentioned[], context: MentionContext): Promise<Mentioned[]> {
  if (!people.length) return [];
  const rows = await trx
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .innerJoin("communities", "communities.id", "memberships.community_id")
    .select(["users.id", "users.role", "memberships.role as membership_role"])
    .where("memberships.community_id", "=", context.community.id)
    .where(
      "users.id",
      "in",
      people.map((p) => p.id),
    )
    .execute();
  const maskedAnswer = context.post.kind === "reply" && context.thread.masked === 1;
  const answered = maskedAnswer
    ? await trx
        .selectFrom("replies")
        .select("author_id")
        .where("thread_id", "=", context.thread.id)
        .where("removed", "is", null)
        .where(
          "author_id",
          "in",
          rows.map((r) => r.id),
        )
        .execute()
    : [];
  const community = await trx.selectFrom("communities").selectAll().where("id", "=", context.community.id).executeTakeFirstOrThrow();
  return people.filter((person) => {
    const row = rows.find((r) => r.id === person.id);
    if (!row) return false;
    const view = { community: { ...community, phase: phaseOf(community, now()) }, membership: { role: row.membership_role } };
    const reader = { id: row.id, role: row.role };
    if (!can(reader, "community.view", view)) return false;
    if (!maskedAnswer) return true;
    return can(reader, "discussion.see-all", view) || answered.some((a) => a.author_id === person.id);
  });
}

/** Members whose name starts with (or has a word starting with) what was typed after @: names only, for the suggestions while typing. */
export async function mentionSuggestions(db: Db, communityId: string, typed: string, limit = 8): Promise<Mentioned[]> {
  const q = typed.trim().toLowerCase().slice(0, 40);
  if (!q) return [];
  const like = q.replace(/[%_]/g, "");
  const rows = await db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["users.id", "users.display_name"])
    .where("memberships.community_id", "=", communityId)
    .where("users.erased_at", "is", null)
    .where((eb) => eb.or([eb(sql<string>`lower(users.display_name)`, "like", `${like}%`), eb(sql<string>`lower(users.display_name)`, "like", `% ${like}%`)]))
    .orderBy("users.display_name")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.display_name }));
}
