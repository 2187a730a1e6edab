import { sql, type Kysely, type SelectQueryBuilder } from "kysely";
import type { Database, PostKind } from "#db/schema.ts";
import { assertAllowed, isDiscussionLeader, STAFF_ROLES, type Actor } from "#app/features/auth/policy.ts";
import { named } from "#app/lib/named-text.ts";
import { now } from "#app/lib/clock.ts";
import { newId } from "#app/lib/ids.ts";
import { Refusal } from "#app/lib/refusal.ts";
import { markdownExcerpt, markdownToText } from "#app/lib/markdown.server.ts";
import { findRepeats } from "#app/features/ideas/similar.ts";
import { recordAudit } from "#app/features/audit/audit.server.ts";
import { segmentOf } from "#app/features/communities/segments.ts";
import { insertSuggestion } from "#app/features/suggestions/suggestions.server.ts";
import { refreshStrength } from "#app/features/suggestions/strength.server.ts";
import { FEEDBACK_KINDS } from "./feedback-kinds.ts";
import { passionScore, type PassionPart } from "./passion.ts";
import { TAG_COLORS, type TagColor } from "./tags.tsx";
import { imagesOf, type ShownImage } from "#app/features/attachments/attachments.server.ts";

type Db = Kysely<Database>;

/** How many of the newest candidates the inbox scores; recency weighs in the score, so older ones rarely rank. */
const CANDIDATES = 400;
export const INBOX_PAGE = 50;
/** How many replies of the candidates' threads are read to count replies, quotes and agreement. */
const CONTEXT_REPLIES = 3000;

export type TriageState = "untriaged" | "triaged" | "dismissed";

export interface InboxFilters {
  community?: string;
  state: TriageState;
  tag?: string;
  segment?: string;
}

export interface InboxItem {
  kind: PostKind;
  id: string;
  community: { slug: string; name: string };
  thread: { id: string; title: string; kind: string };
  author: string;
  authorId: string;
  segment: string | null;
  createdAt: number;
  bodyHtml: string;
  score: number;
  parts: PassionPart[];
  state: TriageState;
  reason: string | null;
  /** Likely duplicates of this item, grouped under it because it scored highest. */
  duplicates: { id: string; title: string; author: string; score: number; isIdea: boolean }[];
  highlights: { id: string; excerpt: string; imageId: string | null; tags: { name: string; color: string }[]; suggestion: { id: string; title: string } | null }[];
  /** The post's images: shown with it, and any one can be kept as evidence. */
  images: ShownImage[];
}

/**
 * The triage inbox: participants' thread openers, replies and ideas (not staff posts, not
 * removed ones) in the chosen state, filtered, scored with the passion score and ordered by
 * it, likely duplicates grouped under the strongest of them. Five queries whatever the size
 * of the communities: the newest candidates of each kind, the replies of their threads (for
 * engagement), then the highlights and tags of the page.
 */
export async function listInbox(db: Db, actor: Actor, filters: InboxFilters): Promise<InboxItem[]> {
  assertAllowed(actor, "triage.work");
  const at = now();
  // The same filters on both kinds of candidate: community, triage state, tag.
  const filtered = <Q extends SelectQueryBuilder<any, any, any>>(query: Q, kind: PostKind, id: "threads.id" | "replies.id"): Q =>
    query
      .$if(filters.community !== undefined, (q) => q.where("communities.slug", "=", filters.community!))
      .$if(filters.state === "untriaged", (q) => q.where("triage_items.state", "is", null))
      .$if(filters.state !== "untriaged", (q) => q.where("triage_items.state", "=", filters.state))
      .$if(filters.tag !== undefined, (q) =>
        q.where(
          id,
          "in",
          db
            .selectFrom("highlights")
            .innerJoin("highlight_tags", "highlight_tags.highlight_id", "highlights.id")
            .select("highlights.post_id")
            .where("highlights.post_kind", "=", kind)
            .where("highlight_tags.tag_id", "=", filters.tag!),
        ),
      ) as Q;

  const openers = db
    .selectFrom("threads")
    .innerJoin("users", "users.id", "threads.author_id")
    .innerJoin("communities", "communities.id", "threads.community_id")
    .leftJoin("memberships", (join) => join.onRef("memberships.community_id", "=", "threads.community_id").onRef("memberships.user_id", "=", "threads.author_id"))
    .leftJoin("ideas", "ideas.thread_id", "threads.id")
    .leftJoin("triage_items", (join) => join.onRef("triage_items.post_id", "=", "threads.id").on("triage_items.post_kind", "=", "thread"))
    .select([
      "threads.id",
      "threads.id as thread_id",
      "threads.title as thread_title",
      "threads.kind as thread_kind",
      "threads.body_html",
      "threads.body_markdown",
      "threads.created_at",
      "threads.reply_count as replies",
      "threads.author_id as thread_author_id",
      "ideas.vote_count as votes",
      "users.display_name as author",
      "users.id as author_id",
      "memberships.role as member_role",
      "memberships.source",
      "memberships.attributes",
      "communities.slug",
      "communities.name as community_name",
      "triage_items.state",
      "triage_items.reason",
    ])
    .where("threads.kind", "in", FEEDBACK_KINDS)
    .where("threads.removed", "is", null)
    // A merged idea lives on in the one it was merged into.
    .where("ideas.merged_into", "is", null)
    .where("users.role", "not in", STAFF_ROLES)
    .$call((q) => filtered(q, "thread", "threads.id"))
    .orderBy("threads.created_at", "desc")
    .limit(CANDIDATES);
  const replies = db
    .selectFrom("replies")
    .innerJoin("threads", "threads.id", "replies.thread_id")
    .innerJoin("users", "users.id", "replies.author_id")
    .innerJoin("communities", "communities.id", "threads.community_id")
    .leftJoin("memberships", (join) => join.onRef("memberships.community_id", "=", "threads.community_id").onRef("memberships.user_id", "=", "replies.author_id"))
    .leftJoin("triage_items", (join) => join.onRef("triage_items.post_id", "=", "replies.id").on("triage_items.post_kind", "=", "reply"))
    .select([
      "replies.id",
      "threads.id as thread_id",
      "threads.title as thread_title",
      "threads.kind as thread_kind",
      "replies.body_html",
      "replies.body_markdown",
      "replies.created_at",
      "threads.author_id as thread_author_id",
      sql<number>`0`.as("replies"),
      sql<number | null>`null`.as("votes"),
      "users.display_name as author",
      "users.id as author_id",
      "memberships.role as member_role",
      "memberships.source",
      "memberships.attributes",
      "communities.slug",
      "communities.name as community_name",
      "triage_items.state",
      "triage_items.reason",
    ])
    .where("replies.removed", "is", null)
    .where("threads.removed", "is", null)
    .where("users.role", "not in", STAFF_ROLES)
    .$call((q) => filtered(q, "reply", "replies.id"))
    .orderBy("replies.created_at", "desc")
    .limit(CANDIDATES);
  const [threadRows, replyRows] = await Promise.all([openers.execute(), replies.execute()]);

  const candidates = [
    ...threadRows.map((row) => ({ kind: "thread" as const, row, text: markdownToText(`${row.thread_title}\n\n${row.body_markdown}`) })),
    ...replyRows.map((row) => ({ kind: "reply" as const, row, text: markdownToText(row.body_markdown) })),
  ];
  // Every reply of these threads (newest first, bounded), whatever its triage state or author: how others answered.
  const threadIds = [...new Set([...threadRows.map((r) => r.id), ...replyRows.map((r) => r.thread_id)])];
  const context = threadIds.length
    ? await db
        .selectFrom("replies")
        .innerJoin("users", "users.id", "replies.author_id")
        .select(["replies.id", "replies.thread_id", "replies.author_id", "users.display_name as author", "replies.body_markdown", "replies.created_at"])
        .where("replies.thread_id", "in", threadIds)
        .where("replies.removed", "is", null)
        .orderBy("replies.created_at", "desc")
        .limit(CONTEXT_REPLIES)
        .execute()
    : [];
  const answers = engagement(threadRows, context);
  // A thread that repeats an earlier one of its community, oldest first: the original keeps its score.
  const repeats = findRepeats(
    [...threadRows].sort((a, b) => a.created_at - b.created_at).map((row) => ({ id: row.id, title: row.thread_title, text: markdownToText(row.body_markdown), group: row.slug })),
  );
  const scored = candidates
    .map(({ kind, row, text }) => {
      const segment = segmentOf(row.attributes);
      const answered = answers.get(row.id) ?? { repliesByOthers: 0, quotes: 0, agreeing: 0 };
      const original = kind === "thread" ? repeats.get(row.id) : undefined;
      const { score, parts } = passionScore({
        text,
        votes: Number(row.votes ?? 0),
        ...answered,
        // Replies above the newest ones read here were written too; count them as others' replies.
        repliesByOthers: answered.repliesByOthers + Math.max(0, Number(row.replies ?? 0) - (answers.get(row.id)?.seen ?? 0)),
        authorLeads: isDiscussionLeader(row.member_role),
        authorEvangelist: row.source !== null && row.source !== "",
        ageMs: at - row.created_at,
        repeats: original?.title ?? null,
      });
      return { kind, row, segment, score, parts, repeatsId: original?.id ?? null };
    })
    .filter((item) => filters.segment === undefined || item.segment === filters.segment)
    .sort((a, b) => b.score - a.score || b.row.created_at - a.row.created_at);
  // Likely duplicates go under the strongest item of their group (normally the original).
  const leaderOf = new Map<string, string>();
  for (const item of scored) {
    const group = item.repeatsId ?? (item.kind === "thread" ? item.row.id : null);
    if (group && !leaderOf.has(group)) leaderOf.set(group, item.row.id);
  }
  const duplicatesOf = new Map<string, InboxItem["duplicates"]>();
  const shown: typeof scored = [];
  for (const item of scored) {
    const group = item.repeatsId ?? (item.kind === "thread" ? item.row.id : null);
    const leader = group ? leaderOf.get(group) : undefined;
    if (leader && leader !== item.row.id) {
      const list = duplicatesOf.get(leader) ?? [];
      list.push({ id: item.row.id, title: item.row.thread_title, author: item.row.author, score: item.score, isIdea: item.row.thread_kind === "idea" });
      duplicatesOf.set(leader, list);
    } else shown.push(item);
  }
  const page = shown.slice(0, INBOX_PAGE);

  const posts = page.map(({ kind, row }) => ({ kind, id: row.id }));
  const [highlights, images] = await Promise.all([highlightsOf(db, posts), imagesOf(db, posts)]);
  return page.map(({ kind, row, segment, score, parts }) => ({
    kind,
    id: row.id,
    community: { slug: row.slug, name: row.community_name },
    thread: { id: row.thread_id, title: row.thread_title, kind: row.thread_kind },
    author: row.author,
    authorId: row.author_id,
    segment,
    createdAt: row.created_at,
    bodyHtml: row.body_html,
    score,
    parts,
    state: (row.state ?? "untriaged") as TriageState,
    reason: row.reason,
    highlights: highlights.get(`${kind}:${row.id}`) ?? [],
    images: images.get(`${kind}:${row.id}`) ?? [],
    duplicates: duplicatesOf.get(row.id) ?? [],
  }));
}

const AGREEMENT = /(^|\W)(\+1|me too|same here|same for us|same problem|agreed?|i agree|we agree|this too|exactly this|yes please)(\W|$)/i;
const QUOTED = /^> \*\*(.+?)\*\* wrote:/gm;

/**
 * How other members answered each candidate, from the candidate replies already read (no
 * query): replies by someone other than the author, quotes of the post ("> **Name** wrote:"
 * in a later reply of the thread), and distinct members who say they agree.
 */
function engagement(
  threads: { id: string; author_id: string; author: string }[],
  replies: { id: string; thread_id: string; author_id: string; author: string; body_markdown: string; created_at: number }[],
) {
  const result = new Map<string, { repliesByOthers: number; quotes: number; agreeing: number; seen: number }>();
  const get = (id: string) => result.get(id) ?? (result.set(id, { repliesByOthers: 0, quotes: 0, agreeing: 0, seen: 0 }), result.get(id)!);
  const agreeing = new Map<string, Set<string>>();
  const opener = new Map(threads.map((t) => [t.id, t]));
  const byThread = new Map<string, typeof replies>();
  for (const reply of [...replies].sort((a, b) => a.created_at - b.created_at)) {
    const list = byThread.get(reply.thread_id) ?? [];
    list.push(reply);
    byThread.set(reply.thread_id, list);
  }
  for (const [threadId, list] of byThread) {
    const thread = opener.get(threadId);
    list.forEach((reply, index) => {
      if (thread) {
        const counts = get(threadId);
        counts.seen++;
        if (reply.author_id !== thread.author_id) {
          counts.repliesByOthers++;
          if (AGREEMENT.test(reply.body_markdown)) {
            const set = agreeing.get(threadId) ?? new Set<string>();
            set.add(reply.author_id);
            agreeing.set(threadId, set);
          }
        }
      }
      for (const [, name] of reply.body_markdown.matchAll(QUOTED)) {
        // The latest earlier post of the thread by the quoted name: a reply, else the opener.
        const quoted = list.slice(0, index).reverse().find((r) => r.author === name && r.author_id !== reply.author_id);
        if (quoted) get(quoted.id).quotes++;
        else if (thread && thread.author === name && thread.author_id !== reply.author_id) get(threadId).quotes++;
      }
    });
  }
  for (const [id, set] of agreeing) get(id).agreeing = set.size;
  return result;
}

/** Highlights of some posts, with their tags and suggestion: two queries. */
async function highlightsOf(db: Db, posts: { kind: PostKind; id: string }[]) {
  const byPost = new Map<string, InboxItem["highlights"]>();
  if (!posts.length) return byPost;
  const rows = await db
    .selectFrom("highlights")
    .leftJoin("suggestions", "suggestions.id", "highlights.suggestion_id")
    .select(["highlights.id", "highlights.post_kind", "highlights.post_id", "highlights.quote", "highlights.attachment_id", "suggestions.id as suggestion_id", "suggestions.title as suggestion_title"])
    .where(
      "highlights.post_id",
      "in",
      posts.map((p) => p.id),
    )
    .orderBy("highlights.created_at")
    .execute();
  const tags = rows.length
    ? await db
        .selectFrom("highlight_tags")
        .innerJoin("tags", "tags.id", "highlight_tags.tag_id")
        .select(["highlight_tags.highlight_id", "tags.name", "tags.color"])
        .where(
          "highlight_tags.highlight_id",
          "in",
          rows.map((r) => r.id),
        )
        .orderBy("tags.name")
        .execute()
    : [];
  for (const row of rows) {
    const key = `${row.post_kind}:${row.post_id}`;
    const list = byPost.get(key) ?? [];
    list.push({
      id: row.id,
      excerpt: markdownExcerpt(row.quote, 300),
      imageId: row.attachment_id ?? null,
      tags: tags.filter((t) => t.highlight_id === row.id).map(({ name, color }) => ({ name, color })),
      suggestion: row.suggestion_id ? { id: row.suggestion_id, title: row.suggestion_title ?? "" } : null,
    });
    byPost.set(key, list);
  }
  return byPost;
}

/** The post behind an inbox item, with its thread and community. */
async function findItem(db: Db, ref: { kind: PostKind; id: string }) {
  const item =
    ref.kind === "thread"
      ? await db
          .selectFrom("threads")
          .innerJoin("users", "users.id", "threads.author_id")
          .innerJoin("communities", "communities.id", "threads.community_id")
          .select(["threads.id", "threads.id as thread_id", "threads.kind as thread_kind", "threads.author_id", "threads.body_markdown", "threads.removed", "threads.community_id", "communities.name as community_name", "users.display_name as author"])
          .where("threads.id", "=", ref.id)
          .executeTakeFirst()
      : await db
          .selectFrom("replies")
          .innerJoin("threads", "threads.id", "replies.thread_id")
          .innerJoin("users", "users.id", "replies.author_id")
          .innerJoin("communities", "communities.id", "threads.community_id")
          .select(["replies.id", "threads.id as thread_id", "threads.kind as thread_kind", "replies.author_id", "replies.body_markdown", "replies.removed", "threads.community_id", "communities.name as community_name", "users.display_name as author"])
          .where("replies.id", "=", ref.id)
          .executeTakeFirst();
  if (!item) throw new Refusal(404, "We could not find that item.");
  if (item.removed) throw new Refusal(409, "This post was removed; it cannot be triaged.");
  return item;
}

/** Tags by name, creating the missing ones (inline, from the triage form). */
async function tagsNamed(db: Db, names: string[]): Promise<{ ids: string[]; created: string[]; names: string[] }> {
  const unique = [...new Map(names.map((n) => n.trim()).filter(Boolean).map((n) => [n.toLowerCase(), n.slice(0, 40)])).entries()];
  const ids: string[] = [];
  const created: string[] = [];
  const shown: string[] = [];
  for (const [key, name] of unique) {
    const existing = await db.selectFrom("tags").select(["id", "name"]).where("name_key", "=", key).executeTakeFirst();
    if (existing) {
      ids.push(existing.id);
      shown.push(existing.name);
      continue;
    }
    const id = newId();
    const count = await db.selectFrom("tags").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    await db
      .insertInto("tags")
      .values({ id, name, name_key: key, color: TAG_COLORS[Number(count.n) % TAG_COLORS.length] as TagColor, description: "", created_at: now() })
      .execute();
    ids.push(id);
    created.push(id);
    shown.push(name);
  }
  return { ids, created, names: shown };
}

interface HighlightUndo {
  type: "highlight";
  highlightId: string;
  ref: { kind: PostKind; id: string };
  createdTagIds: string[];
  createdSuggestionId: string | null;
  suggestionId: string | null;
  addedSuggestionTags: string[];
  linkedIdea: string | null;
}

interface DismissUndo {
  type: "dismiss";
  ref: { kind: PostKind; id: string };
}

export type TriageUndo = HighlightUndo | DismissUndo;

/**
 * Triage an item: keep the passage that matters (or the whole post) as a highlight, tag it
 * (creating tags by name), and link it to a suggestion, found by its exact title or created
 * with that title. An idea's opening post also links the idea, so it shows the answer.
 * Recorded in the audit log with what undoing it needs.
 */
export async function triageItem(
  db: Db,
  actor: Actor,
  ref: { kind: PostKind; id: string },
  input: { quote?: string; tags: string[]; suggestion?: string; image?: string },
): Promise<{ auditId: string; highlightId: string }> {
  assertAllowed(actor, "triage.work");
  const item = await findItem(db, ref);
  // An image kept as evidence must be one of this post's.
  const image = input.image
    ? await db.selectFrom("attachments").select("id").where("id", "=", input.image).where("post_kind", "=", ref.kind).where("post_id", "=", item.id).executeTakeFirst()
    : undefined;
  if (input.image && !image) throw new Refusal(400, "That image is not on this post any more.");
  const quote = (input.quote?.trim() || item.body_markdown).slice(0, 4000);
  const at = now();
  return db.transaction().execute(async (trx) => {
    const tags = await tagsNamed(trx, input.tags);
    let suggestion: { id: string; title: string } | null = null;
    let createdSuggestionId: string | null = null;
    const title = input.suggestion?.trim();
    if (title) {
      suggestion =
        (await trx.selectFrom("suggestions").select(["id", "title"]).where(sql`lower(title)`, "=", title.toLowerCase()).executeTakeFirst()) ?? null;
      if (!suggestion) {
        // Who wrote it shows with the evidence, by their current name; the statement itself names nobody.
        const problem = `From ${item.community_name}:\n\n> ${quote.split("\n").join("\n> ")}`;
        createdSuggestionId = await insertSuggestion(trx, actor.id, { title: title.slice(0, 200), problem });
        suggestion = { id: createdSuggestionId, title: title.slice(0, 200) };
      }
    }
    const highlightId = newId();
    await trx
      .insertInto("highlights")
      .values({
        id: highlightId,
        community_id: item.community_id,
        thread_id: item.thread_id,
        post_kind: ref.kind,
        post_id: item.id,
        post_author_id: item.author_id,
        quote,
        suggestion_id: suggestion?.id ?? null,
        created_by: actor.id,
        created_at: at,
        attachment_id: image?.id ?? null,
      })
      .execute();
    if (tags.ids.length) await trx.insertInto("highlight_tags").values(tags.ids.map((tag_id) => ({ highlight_id: highlightId, tag_id }))).execute();
    const addedSuggestionTags: string[] = [];
    if (suggestion) {
      for (const tagId of tags.ids) {
        const added = await trx
          .insertInto("suggestion_tags")
          .values({ suggestion_id: suggestion.id, tag_id: tagId })
          .onConflict((c) => c.columns(["suggestion_id", "tag_id"]).doNothing())
          .executeTakeFirst();
        if (Number(added.numInsertedOrUpdatedRows ?? 0) > 0) addedSuggestionTags.push(tagId);
      }
    }
    let linkedIdea: string | null = null;
    if (suggestion && ref.kind === "thread" && item.thread_kind === "idea") {
      const linked = await trx.updateTable("ideas").set({ suggestion_id: suggestion.id }).where("thread_id", "=", item.id).where("suggestion_id", "is", null).executeTakeFirst();
      if (Number(linked.numUpdatedRows) > 0) linkedIdea = item.id;
    }
    await refreshStrength(trx, [suggestion?.id]);
    await trx
      .insertInto("triage_items")
      .values({ post_kind: ref.kind, post_id: item.id, community_id: item.community_id, state: "triaged", reason: null, decided_by: actor.id, decided_at: at })
      .onConflict((c) => c.columns(["post_kind", "post_id"]).doUpdateSet({ state: "triaged", reason: null, decided_by: actor.id, decided_at: at }))
      .execute();
    const what = ref.kind === "reply" ? "reply" : item.thread_kind === "idea" ? "idea" : "thread";
    const summary = named`Highlighted ${{ user: item.author_id }}'s ${what}${image ? " and an image of it" : ""} in ${item.community_name}${tags.names.length ? `; tagged ${tags.names.join(", ")}` : ""}${
      suggestion ? `; ${createdSuggestionId ? "created and linked" : "linked to"} "${suggestion.title}"` : ""
    }`;
    const undo: HighlightUndo = { type: "highlight", highlightId, ref, createdTagIds: tags.created, createdSuggestionId, suggestionId: suggestion?.id ?? null, addedSuggestionTags, linkedIdea };
    const auditId = await recordAudit(trx, actor.id, { action: "triage.highlight", summary, undo });
    return { auditId, highlightId };
  });
}

/** Dismiss an untriaged item with a reason; it leaves the inbox. */
export async function dismissItem(db: Db, actor: Actor, ref: { kind: PostKind; id: string }, reason: string): Promise<{ auditId: string }> {
  assertAllowed(actor, "triage.work");
  const item = await findItem(db, ref);
  const current = await db.selectFrom("triage_items").select("state").where("post_kind", "=", ref.kind).where("post_id", "=", item.id).executeTakeFirst();
  if (current?.state === "triaged") throw new Refusal(409, "This item has highlights; undo them before dismissing it.");
  if (current?.state === "dismissed") throw new Refusal(409, "This item was already dismissed.");
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto("triage_items")
      .values({ post_kind: ref.kind, post_id: item.id, community_id: item.community_id, state: "dismissed", reason, decided_by: actor.id, decided_at: now() })
      .execute();
    const undo: DismissUndo = { type: "dismiss", ref };
    const auditId = await recordAudit(trx, actor.id, { action: "triage.dismiss", summary: named`Dismissed ${{ user: item.author_id }}'s post in ${item.community_name}: ${reason}`, undo });
    return { auditId };
  });
}

/** Reverse a triage action (a highlight with its tags and links, or a dismissal) inside the undo's transaction. */
export async function undoTriageEntry(trx: Db, undo: TriageUndo): Promise<void> {
  if (undo.type === "highlight") {
    const h = undo;
    await trx.deleteFrom("highlights").where("id", "=", h.highlightId).execute();
    if (h.createdSuggestionId) {
      const evidence = await trx.selectFrom("highlights").select("id").where("suggestion_id", "=", h.createdSuggestionId).executeTakeFirst();
      if (!evidence) {
        await trx.updateTable("ideas").set({ suggestion_id: null }).where("suggestion_id", "=", h.createdSuggestionId).execute();
        await trx.deleteFrom("suggestions").where("id", "=", h.createdSuggestionId).where("status", "=", "new").execute();
      }
    }
    if (h.suggestionId && h.addedSuggestionTags.length) {
      await trx.deleteFrom("suggestion_tags").where("suggestion_id", "=", h.suggestionId).where("tag_id", "in", h.addedSuggestionTags).execute();
    }
    if (h.linkedIdea) await trx.updateTable("ideas").set({ suggestion_id: null }).where("thread_id", "=", h.linkedIdea).execute();
    await refreshStrength(trx, [h.suggestionId]);
    for (const tagId of h.createdTagIds) {
      const used = await trx.selectFrom("highlight_tags").select("tag_id").where("tag_id", "=", tagId).executeTakeFirst();
      if (!used) await trx.deleteFrom("tags").where("id", "=", tagId).execute();
    }
    const remaining = await trx.selectFrom("highlights").select("id").where("post_kind", "=", h.ref.kind).where("post_id", "=", h.ref.id).executeTakeFirst();
    if (!remaining) await trx.deleteFrom("triage_items").where("post_kind", "=", h.ref.kind).where("post_id", "=", h.ref.id).execute();
  } else {
    await trx.deleteFrom("triage_items").where("post_kind", "=", undo.ref.kind).where("post_id", "=", undo.ref.id).where("state", "=", "dismissed").execute();
  }
}
