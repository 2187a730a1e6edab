import type { Kysely } from "kysely";
import { sql } from "kysely";
import type { Database, PostKind, Removal } from "#db/schema.ts";
import { can, decide, type Actor } from "#app/features/auth/policy.ts";
import { getCommunityForActor, type CommunityView } from "#app/features/communities/communities.server.ts";
import { now } from "#app/lib/clock.ts";
import { pastCursor, type Cursor } from "#app/lib/cursor.ts";
import { removalNotice } from "./removal.ts";
import { maskedRepliesVisible } from "./visibility.ts";
import { imagesOf, type ShownImage } from "#app/features/attachments/attachments.server.ts";
import { findPost, findThread, postFacts, type PostRef, type ThreadRow } from "./posts.server.ts";

type Db = Kysely<Database>;

/** Remember how far this member has read: never backwards. */
export async function markRead(db: Db, userId: string, threadId: string, key: Cursor): Promise<void> {
  await db
    .insertInto("thread_reads")
    .values({ user_id: userId, thread_id: threadId, last_read_at: key.at, last_read_id: key.id })
    .onConflict((conflict) =>
      conflict
        .columns(["user_id", "thread_id"])
        .doUpdateSet({ last_read_at: (eb) => eb.ref("excluded.last_read_at"), last_read_id: (eb) => eb.ref("excluded.last_read_id") })
        .where((eb) =>
          eb.or([
            eb("excluded.last_read_at", ">", eb.ref("thread_reads.last_read_at")),
            eb.and([eb("excluded.last_read_at", "=", eb.ref("thread_reads.last_read_at")), eb("excluded.last_read_id", ">", eb.ref("thread_reads.last_read_id"))]),
          ]),
        ),
    )
    .execute();
}

export const THREADS_PER_PAGE = 30;
export const REPLIES_PER_PAGE = 50;
export const PINNED_LIMIT = 10;
/** The thread list counts new replies up to this, then says "99+". */
const UNREAD_COUNT_CAP = 100;

/**
 * A page of a community's threads, pinned first (on the first page), then by latest activity,
 * by key. Each carries this reader's unread state: never opened, or how many replies are new.
 */
export async function listThreads(db: Db, actor: Actor, view: CommunityView, after?: Cursor) {
  const seeAll = can(actor, "discussion.see-all", view);
  const at = now();
  const base = db
    .selectFrom("threads")
    .innerJoin("users", "users.id", "threads.author_id")
    .leftJoin("thread_reads", (join) => join.onRef("thread_reads.thread_id", "=", "threads.id").on("thread_reads.user_id", "=", actor.id))
    .select((eb) => [
      "threads.id",
      "threads.title",
      "threads.kind",
      "threads.masked",
      "threads.reply_count",
      "threads.last_activity_at",
      "threads.visible_from",
      "threads.pinned_at",
      "threads.locked_at",
      "threads.removed",
      "threads.author_id",
      "users.display_name as author",
      "thread_reads.last_read_at",
      eb
        .selectFrom(
          eb
            .selectFrom("replies")
            .select("replies.id")
            .whereRef("replies.thread_id", "=", "threads.id")
            .where("replies.follow_up_id", "is", null)
            .where((inner) => inner("replies.created_at", ">", inner.ref("thread_reads.last_read_at")))
            .limit(UNREAD_COUNT_CAP)
            .as("recent"),
        )
        .select((c) => c.fn.countAll<number>().as("n"))
        .as("new_replies"),
    ])
    .where("threads.community_id", "=", view.community.id)
    // Ideas have their own list.
    .where("threads.kind", "!=", "idea")
    .$if(!seeAll, (q) => q.where("threads.visible_from", "<=", at));
  let page = base.where("threads.pinned_at", "is", null).orderBy("threads.last_activity_at", "desc").orderBy("threads.id", "desc").limit(THREADS_PER_PAGE + 1);
  if (after) {
    page = page.where(pastCursor("threads.last_activity_at", "threads.id", after, "<"));
  }
  const [pinned, rows] = await Promise.all([
    after ? Promise.resolve([]) : base.where("threads.pinned_at", "is not", null).orderBy("threads.pinned_at", "desc").limit(PINNED_LIMIT).execute(),
    page.execute(),
  ]);
  const moderate = can(actor, "discussion.moderate", view);
  const shape = (row: (typeof rows)[number]) => ({
    ...row,
    title: row.removed && !moderate ? removalNotice(row.removed) : row.title,
    scheduled: row.visible_from > at,
    unread: row.last_read_at === null ? ("never-opened" as const) : Number(row.new_replies ?? 0),
  });
  const last = rows.slice(0, THREADS_PER_PAGE).at(-1);
  return {
    pinned: pinned.map(shape),
    threads: rows.slice(0, THREADS_PER_PAGE).map(shape),
    next: rows.length > THREADS_PER_PAGE && last ? { at: last.last_activity_at, id: last.id } : null,
  };
}

/** Which replies to show: from the start, after or before a key, from a key on, or (no choice) where this reader left off. */
export type ReplyWindow = { after: Cursor } | { before: Cursor } | { from: Cursor } | "resume";

export interface ShownPost {
  kind: PostKind;
  id: string;
  author: string;
  authorId: string;
  createdAt: number;
  editedAt: number | null;
  /** Null when removed and this reader may not see it. */
  bodyHtml: string | null;
  /** Its images, shown with its text (none when the text is not shown). */
  images: ShownImage[];
  removed: Removal | null;
  openFlags: number;
  canChange: boolean;
  canFlag: boolean;
  /** This reader has flagged the post (once is all a member may). */
  flaggedByReader: boolean;
  unread: boolean;
}

/**
 * A thread and one page of its replies for this reader, by key; a fixed number of queries
 * whatever the thread's length. Opens where the reader left off, hides a masked prompt's
 * replies until the reader has answered, keeps removed posts' text from participants, and
 * records what was shown as read.
 */
export async function readThread(db: Db, actor: Actor, slug: string, threadId: string, window: ReplyWindow = "resume") {
  const view = await getCommunityForActor(db, actor, slug);
  const thread = await findThread(db, actor, view, threadId);
  const seeAll = can(actor, "discussion.see-all", view);
  const moderate = can(actor, "discussion.moderate", view);
  const [readState, answered, flagCounts, ownFlags] = await Promise.all([
    db.selectFrom("thread_reads").select(["last_read_at", "last_read_id"]).where("user_id", "=", actor.id).where("thread_id", "=", thread.id).executeTakeFirst(),
    thread.masked && !seeAll
      ? db.selectFrom("replies").select("id").where("author_id", "=", actor.id).where("thread_id", "=", thread.id).where("removed", "is", null).where("follow_up_id", "is", null).limit(1).executeTakeFirst()
      : Promise.resolve({ id: "not masked" }),
    moderate
      ? db
          .selectFrom("flags")
          .select(["post_id", (eb) => eb.fn.countAll<number>().as("n")])
          .where("thread_id", "=", thread.id)
          .where("resolved_at", "is", null)
          .groupBy("post_id")
          .execute()
      : Promise.resolve([]),
    db.selectFrom("flags").select(["post_kind", "post_id"]).where("thread_id", "=", thread.id).where("reporter_id", "=", actor.id).execute(),
  ]);
  const masked = !maskedRepliesVisible(thread, seeAll, answered !== undefined);
  const lastRead: Cursor | null = readState ? { at: readState.last_read_at, id: readState.last_read_id } : null;

  let page: { rows: ReplyRow[]; earlier: boolean; later: boolean } = { rows: [], earlier: false, later: false };
  if (!masked) {
    if (window === "resume") {
      // Open at the first unread reply; with none unread, at the latest ones; on a first visit,
      // or when the whole thread fits on one page, at the start (new replies marked).
      const fits = thread.reply_count <= REPLIES_PER_PAGE;
      page = lastRead && !fits ? await forward(db, thread.id, lastRead, false) : await forward(db, thread.id, null, false);
      if (lastRead && page.rows.length === 0) page = await backward(db, thread.id, null);
    } else if ("before" in window) {
      page = await backward(db, thread.id, window.before);
    } else {
      page = "after" in window ? await forward(db, thread.id, window.after, false) : await forward(db, thread.id, window.from, true);
    }
  }

  const shownLast = page.rows.at(-1);
  const readUpTo = shownLast ? { at: shownLast.created_at, id: shownLast.id } : { at: thread.created_at, id: "" };
  // Only write when there is something new to remember: re-reading costs no write (and no lock).
  if (!masked && (!lastRead || isAfter({ created_at: readUpTo.at, id: readUpTo.id }, lastRead))) await markRead(db, actor.id, thread.id, readUpTo);

  const flagsOn = new Map(flagCounts.map((f) => [f.post_id, Number(f.n)]));
  const flaggedByReader = new Set(ownFlags.map((f) => `${f.post_kind}:${f.post_id}`));
  // One query for the images of every post on the page.
  const images = await imagesOf(db, [{ kind: "thread" as const, id: thread.id }, ...page.rows.map((row) => ({ kind: "reply" as const, id: row.id }))]);
  const locked = thread.locked_at !== null;
  const show = (kind: PostKind, row: ThreadRow | ReplyRow, author: string): ShownPost => {
    const context = { ...view, post: postFacts(thread, row) };
    const flagged = flaggedByReader.has(`${kind}:${row.id}`);
    return {
      kind,
      id: row.id,
      author,
      authorId: row.author_id,
      createdAt: row.created_at,
      editedAt: row.edited_at,
      bodyHtml: row.removed && !moderate ? null : row.body_html,
      images: row.removed && !moderate ? [] : (images.get(`${kind}:${row.id}`) ?? []),
      removed: row.removed,
      openFlags: flagsOn.get(row.id) ?? 0,
      canChange: can(actor, "post.change", context),
      canFlag: !flagged && can(actor, "post.flag", context),
      flaggedByReader: flagged,
      unread: kind === "reply" && lastRead !== null && isAfter(row, lastRead),
    };
  };
  return {
    view,
    thread: {
      ...thread,
      title: thread.removed && !moderate ? removalNotice(thread.removed) : thread.title,
      scheduled: thread.visible_from > now(),
    },
    opening: show("thread", thread, thread.author),
    replies: page.rows.map((row) => show("reply", row, row.author)),
    /** A masked prompt this reader has not answered: replies stay hidden until they do. */
    masked,
    earlier: page.earlier ? page.rows[0] : undefined,
    later: page.later ? shownLast : undefined,
    can: {
      lead: can(actor, "discussion.lead", view),
      moderate,
    },
    /** Why this reader cannot reply, when they cannot. */
    replyRefusal: (() => {
      const decision = decide(actor, "thread.reply", { ...view, thread: { locked, hidden: thread.removed === "moderator" } });
      return decision.allowed ? null : decision.message;
    })(),
  };
}

const isAfter = (row: { created_at: number; id: string }, key: Cursor) => row.created_at > key.at || (row.created_at === key.at && row.id > key.id);

type ReplyRow = Awaited<ReturnType<ReturnType<typeof replies>["execute"]>>[number];

function replies(db: Db, threadId: string) {
  return db
    .selectFrom("replies")
    .innerJoin("users", "users.id", "replies.author_id")
    .select(["replies.id", "replies.author_id", "replies.body_html", "replies.created_at", "replies.edited_at", "replies.removed", "users.display_name as author"])
    .where("replies.thread_id", "=", threadId)
    // Answers to private follow-ups show only in their follow-up, to those who may read it.
    .where("replies.follow_up_id", "is", null);
}

/** Replies after a key (or from it, inclusive), oldest first; one query, which also says whether any come before. */
async function forward(db: Db, threadId: string, key: Cursor | null, inclusive: boolean) {
  let query = replies(db, threadId).orderBy("replies.created_at", "asc").orderBy("replies.id", "asc").limit(REPLIES_PER_PAGE + 1);
  if (key) {
    query = query
      .where(pastCursor("replies.created_at", "replies.id", key, inclusive ? ">=" : ">"))
      .select((eb) =>
        eb
          .selectFrom("replies as before")
          .select(sql<number>`1`.as("one"))
          .where("before.thread_id", "=", threadId)
          .where("before.follow_up_id", "is", null)
          .where(pastCursor("before.created_at", "before.id", key, inclusive ? "<" : "<="))
          .limit(1)
          .as("has_earlier"),
      );
  }
  const rows = (await query.execute()) as (ReplyRow & { has_earlier?: number | null })[];
  return { rows: rows.slice(0, REPLIES_PER_PAGE), earlier: rows[0]?.has_earlier != null, later: rows.length > REPLIES_PER_PAGE };
}

/** The replies just before a key (or the last ones), oldest first. */
async function backward(db: Db, threadId: string, key: Cursor | null) {
  let query = replies(db, threadId).orderBy("replies.created_at", "desc").orderBy("replies.id", "desc").limit(REPLIES_PER_PAGE + 1);
  if (key) {
    query = query.where(pastCursor("replies.created_at", "replies.id", key, "<"));
  }
  const rows = await query.execute();
  return { rows: rows.slice(0, REPLIES_PER_PAGE).reverse(), earlier: rows.length > REPLIES_PER_PAGE, later: key !== null };
}

/**
 * The Markdown of a post this reader may see, for quoting it in a reply (or editing it,
 * when it is theirs). Undefined when it is removed or behind a mask.
 */
export async function postSource(db: Db, actor: Actor, slug: string, threadId: string, ref: PostRef): Promise<{ author: { id: string; name: string }; markdown: string } | undefined> {
  const view = await getCommunityForActor(db, actor, slug);
  const thread = await findThread(db, actor, view, threadId);
  const post = await findPost(db, thread, ref).catch(() => undefined);
  if (!post || post.removed) return undefined;
  if (ref.kind === "reply" && thread.masked && !can(actor, "discussion.see-all", view) && post.author_id !== actor.id) {
    const answered = await db.selectFrom("replies").select("id").where("author_id", "=", actor.id).where("thread_id", "=", thread.id).where("removed", "is", null).where("follow_up_id", "is", null).executeTakeFirst();
    if (!answered) return undefined;
  }
  const author = await db.selectFrom("users").select("display_name").where("id", "=", post.author_id).executeTakeFirstOrThrow();
  return { author: { id: post.author_id, name: author.display_name }, markdown: post.body_markdown };
}
