/**
 * Private follow-ups: a moderator or a community's leader asks one participant a question
 * about one of their posts. Only that participant, staff and those who lead the community
 * read it (the policy's `follow-up.view`); everyone else gets the same 404 as for an id that
 * does not exist. The answer is a reply row marked with `follow_up_id`: feedback like any
 * other for triage, erasure and the export, and left out of every public list of replies.
 */
import { named } from "#app/lib/named-text.ts";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { assertAllowed, can, decide, isStaff, type Actor } from "#app/features/auth/policy.ts";
import { ledCommunities } from "#app/features/auth/scopes.server.ts";
import { getCommunityForActor, type CommunityView } from "#app/features/communities/communities.server.ts";
import { phaseOf } from "#app/features/communities/phase.ts";
import { enforcePostingLimits } from "#app/features/discussions/posting.server.ts";
import { findPost, findThread, type PostRef } from "#app/features/discussions/posts.server.ts";
import { removalNotice } from "#app/features/discussions/removal.ts";
import { notify } from "#app/features/notifications/notifications.server.ts";
import { now } from "#app/lib/clock.ts";
import { pastCursor, type Cursor } from "#app/lib/cursor.ts";
import { newId } from "#app/lib/ids.ts";
import { renderMarkdown } from "#app/lib/markdown.server.ts";
import { Refusal } from "#app/lib/refusal.ts";
import { AnswerFollowUpSchema } from "./schemas.ts";

type Db = Kysely<Database>;

export const followUpLink = (id: string) => `/follow-ups/${id}`;
const notFound = () => new Refusal(404, "We could not find that follow-up.");

/** Ask the author of a post a private follow-up; they are notified (and emailed, by their settings). */
export async function askFollowUp(db: Db, actor: Actor, slug: string, threadId: string, ref: PostRef, input: { question: string }): Promise<{ followUpId: string }> {
  const view = await getCommunityForActor(db, actor, slug);
  const thread = await findThread(db, actor, view, threadId);
  const post = await findPost(db, thread, ref);
  const [author, asker] = await Promise.all([
    // An erased account has nobody to answer: it is asked nothing.
    db.selectFrom("memberships").innerJoin("users", "users.id", "memberships.user_id").select("memberships.role").where("memberships.community_id", "=", view.community.id).where("memberships.user_id", "=", post.author_id).where("users.erased_at", "is", null).executeTakeFirst(),
    db.selectFrom("users").select("display_name").where("id", "=", actor.id).executeTakeFirstOrThrow(),
  ]);
  assertAllowed(actor, "follow-up.ask", { ...view, author: { id: post.author_id, role: author?.role ?? null }, postRemoved: post.removed !== null });
  const id = newId();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("follow_ups")
      .values({
        id,
        community_id: view.community.id,
        thread_id: thread.id,
        post_kind: ref.kind,
        post_id: post.id,
        participant_id: post.author_id,
        asked_by: actor.id,
        question_markdown: input.question,
        question_html: renderMarkdown(input.question),
        created_at: now(),
        answered_at: null,
        answer_id: null,
      })
      .execute();
    await notify(trx, post.author_id, {
      kind: "follow-up.asked",
      title: named`${{ user: actor.id }} asked you a private follow-up in "${thread.title}"; it needs your reply`,
      link: followUpLink(id),
      email: {
        subject: named`A follow-up question for you in ${view.community.name}`,
        text: named`${{ user: actor.id }} asked you a private follow-up about your post in "${thread.title}". Only you and the community's moderators and leaders can read it.\n\n${input.question}`,
      },
    });
  });
  return { followUpId: id };
}

/** A follow-up with its community, after the policy said this reader may see it; otherwise the 404 of an unknown id. */
async function findFollowUp(db: Db, actor: Actor, id: string) {
  const row = await db
    .selectFrom("follow_ups")
    .innerJoin("communities", "communities.id", "follow_ups.community_id")
    .selectAll("follow_ups")
    .select("communities.slug")
    .where("follow_ups.id", "=", id)
    .executeTakeFirst();
  if (!row) throw notFound();
  const view = await getCommunityForActor(db, actor, row.slug).catch(() => {
    throw notFound();
  });
  const decision = decide(actor, "follow-up.view", { ...view, participantId: row.participant_id });
  if (!decision.allowed) throw notFound();
  return { followUp: row, view };
}

/** One follow-up for its page: the post it is about, the question, the answer or whether this reader may give it. */
export async function readFollowUp(db: Db, actor: Actor, id: string) {
  const { followUp, view } = await findFollowUp(db, actor, id);
  const [thread, post, people, answer] = await Promise.all([
    db.selectFrom("threads").select(["id", "title", "kind"]).where("id", "=", followUp.thread_id).executeTakeFirstOrThrow(),
    followUp.post_kind === "thread"
      ? db.selectFrom("threads").select(["body_html", "removed", "created_at"]).where("id", "=", followUp.post_id).executeTakeFirst()
      : db.selectFrom("replies").select(["body_html", "removed", "created_at"]).where("id", "=", followUp.post_id).executeTakeFirst(),
    db.selectFrom("users").select(["id", "display_name"]).where("id", "in", [followUp.participant_id, followUp.asked_by]).execute(),
    followUp.answer_id
      ? db.selectFrom("replies").select(["id", "body_html", "created_at", "removed"]).where("id", "=", followUp.answer_id).executeTakeFirst()
      : Promise.resolve(undefined),
  ]);
  const name = (userId: string) => people.find((p) => p.id === userId)?.display_name ?? "";
  const moderate = can(actor, "discussion.moderate", view);
  const answerDecision = decide(actor, "follow-up.answer", { ...view, participantId: followUp.participant_id, answered: followUp.answered_at !== null });
  return {
    view,
    id: followUp.id,
    thread,
    post: post && {
      kind: followUp.post_kind,
      id: followUp.post_id,
      createdAt: post.created_at,
      bodyHtml: post.removed && !moderate ? null : post.body_html,
      removedNotice: post.removed ? removalNotice(post.removed) : null,
    },
    participant: { id: followUp.participant_id, name: name(followUp.participant_id) },
    askedBy: { id: followUp.asked_by, name: name(followUp.asked_by) },
    askedAt: followUp.created_at,
    questionHtml: followUp.question_html,
    answer: answer && { id: answer.id, createdAt: answer.created_at, bodyHtml: answer.removed && !moderate ? null : answer.body_html, removedNotice: answer.removed ? removalNotice(answer.removed) : null },
    /** The participant it was asked of, while it is open: the form shows. */
    canAnswer: answerDecision.allowed,
    /** Why the participant cannot answer (the community closed), when they are the one asked. */
    answerRefusal: !answerDecision.allowed && actor.id === followUp.participant_id && followUp.answered_at === null ? answerDecision.message : null,
  };
}

/** The participant answers, once: a private reply in the thread, and the one who asked is told. */
export async function answerFollowUp(db: Db, actor: Actor, id: string, input: { body?: unknown }): Promise<{ replyId: string }> {
  const { followUp, view } = await findFollowUp(db, actor, id);
  assertAllowed(actor, "follow-up.answer", { ...view, participantId: followUp.participant_id, answered: followUp.answered_at !== null });
  const parsed = AnswerFollowUpSchema.safeParse(input);
  if (!parsed.success) throw new Refusal(400, parsed.error.issues[0]?.message ?? "Write your answer");
  const body = parsed.data.body;
  await enforcePostingLimits(db, "reply", actor.id);
  const at = now();
  const replyId = newId();
  await db.transaction().execute(async (trx) => {
    // Claim the follow-up first: of two answers sent at once, the second changes nothing and is refused.
    const claimed = await trx.updateTable("follow_ups").set({ answered_at: at, answer_id: replyId }).where("id", "=", followUp.id).where("answered_at", "is", null).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) throw new Refusal(409, "You have already answered this follow-up.");
    // Not counted in the thread's replies nor its activity: others must not learn it exists.
    await trx
      .insertInto("replies")
      .values({
        id: replyId,
        thread_id: followUp.thread_id,
        author_id: actor.id,
        body_markdown: body,
        body_html: renderMarkdown(body),
        created_at: at,
        edited_at: null,
        removed: null,
        removed_at: null,
        follow_up_id: followUp.id,
      })
      .execute();
    const [participant, thread] = await Promise.all([
      trx.selectFrom("users").select("display_name").where("id", "=", actor.id).executeTakeFirstOrThrow(),
      trx.selectFrom("threads").select("title").where("id", "=", followUp.thread_id).executeTakeFirstOrThrow(),
    ]);
    await notify(trx, followUp.asked_by, {
      kind: "follow-up.answered",
      title: named`${{ user: actor.id }} answered your follow-up in "${thread.title}"`,
      link: followUpLink(followUp.id),
    });
  });
  return { replyId };
}

/** The follow-ups on a thread this reader may see: all of them for those who lead it and staff, their own for a participant. */
export async function followUpsInThread(db: Db, actor: Actor, view: CommunityView, threadId: string) {
  const seeAll = can(actor, "discussion.see-all", view);
  const rows = await db
    .selectFrom("follow_ups")
    .innerJoin("users as participant", "participant.id", "follow_ups.participant_id")
    .innerJoin("users as asker", "asker.id", "follow_ups.asked_by")
    .leftJoin("replies as answer", "answer.id", "follow_ups.answer_id")
    .select([
      "follow_ups.id",
      "follow_ups.post_kind",
      "follow_ups.post_id",
      "follow_ups.participant_id",
      "follow_ups.question_html",
      "follow_ups.created_at",
      "follow_ups.answered_at",
      "participant.display_name as participant",
      "asker.display_name as asker",
      "answer.id as answer_id",
      "answer.body_html as answer_html",
      "answer.removed as answer_removed",
    ])
    .where("follow_ups.thread_id", "=", threadId)
    .$if(!seeAll, (q) => q.where("follow_ups.participant_id", "=", actor.id))
    .orderBy("follow_ups.created_at", "asc")
    .orderBy("follow_ups.id", "asc")
    .limit(100)
    .execute();
  // Belt and braces: the same rule as the follow-up's own page decides each one.
  const moderate = can(actor, "discussion.moderate", view);
  return rows
    .filter((row) => can(actor, "follow-up.view", { ...view, participantId: row.participant_id }))
    .map((row) => ({
      id: row.id,
      post: { kind: row.post_kind, id: row.post_id },
      participant: row.participant,
      asker: row.asker,
      askedAt: row.created_at,
      questionHtml: row.question_html,
      answer: row.answer_id ? { id: row.answer_id, bodyHtml: row.answer_removed && !moderate ? null : row.answer_html } : null,
      needsYourReply: row.answered_at === null && row.participant_id === actor.id,
    }));
}

/** Which of the posts shown on a thread page this reader may ask a follow-up about ("kind:id"); one query, none for those who do not lead. */
export async function askablePosts(db: Db, actor: Actor, view: CommunityView, posts: { kind: "thread" | "reply"; id: string; authorId: string; removed: string | null }[]): Promise<Set<string>> {
  if (!can(actor, "discussion.lead", view) || posts.length === 0) return new Set();
  const authors = await db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["memberships.user_id", "memberships.role"])
    .where("memberships.community_id", "=", view.community.id)
    .where("memberships.user_id", "in", [...new Set(posts.map((p) => p.authorId))])
    .where("users.erased_at", "is", null)
    .execute();
  const roleOf = new Map(authors.map((a) => [a.user_id, a.role]));
  return new Set(
    posts
      .filter((p) => can(actor, "follow-up.ask", { ...view, author: { id: p.authorId, role: roleOf.get(p.authorId) ?? null }, postRemoved: p.removed !== null }))
      .map((p) => `${p.kind}:${p.id}`),
  );
}

/** The follow-ups waiting for this member's reply, oldest first, in communities still open to them: the home page's "needs your reply". */
export async function needingMyReply(db: Db, actor: Actor) {
  const at = now();
  return db
    .selectFrom("follow_ups")
    .innerJoin("communities", "communities.id", "follow_ups.community_id")
    .innerJoin("memberships", (join) => join.onRef("memberships.community_id", "=", "follow_ups.community_id").onRef("memberships.user_id", "=", "follow_ups.participant_id"))
    .innerJoin("threads", "threads.id", "follow_ups.thread_id")
    .select(["follow_ups.id", "follow_ups.created_at", "threads.title as thread", "communities.name as community"])
    .where("follow_ups.participant_id", "=", actor.id)
    .where("follow_ups.answered_at", "is", null)
    .where("communities.archived_at", "is", null)
    .where("communities.ends_at", ">", at)
    .orderBy("follow_ups.created_at", "asc")
    .orderBy("follow_ups.id", "asc")
    .limit(20)
    .execute();
}

export const OPEN_FOLLOW_UPS_PER_PAGE = 50;

/**
 * Open follow-ups across the communities whose discussions this reader leads (moderators and
 * admins: every one), oldest first, by key; a community that has closed drops out, since its
 * participants can no longer answer.
 */
export async function listOpenFollowUps(db: Db, actor: Actor, after?: Cursor) {
  const led = ledCommunities(db, actor);
  const leadsSomeCommunity = can(actor, "follow-up.list", { leadsSomeCommunity: false }) || (await led.executeTakeFirst()) !== undefined;
  assertAllowed(actor, "follow-up.list", { leadsSomeCommunity });
  const at = now();
  const rows = await db
    .selectFrom("follow_ups")
    .innerJoin("communities", "communities.id", "follow_ups.community_id")
    .innerJoin("threads", "threads.id", "follow_ups.thread_id")
    .innerJoin("users as participant", "participant.id", "follow_ups.participant_id")
    .innerJoin("users as asker", "asker.id", "follow_ups.asked_by")
    .select([
      "follow_ups.id",
      "follow_ups.created_at",
      "follow_ups.question_markdown",
      "threads.title as thread",
      "communities.name as community",
      "communities.slug",
      "communities.time_zone",
      "participant.id as participant_id",
      "participant.display_name as participant",
      "asker.display_name as asker",
    ])
    .where("follow_ups.answered_at", "is", null)
    .where("communities.archived_at", "is", null)
    .where("communities.ends_at", ">", at)
    .where("follow_ups.community_id", "in", led)
    .$if(after !== undefined, (q) => q.where(pastCursor("follow_ups.created_at", "follow_ups.id", after!, ">")))
    .orderBy("follow_ups.created_at", "asc")
    .orderBy("follow_ups.id", "asc")
    .limit(OPEN_FOLLOW_UPS_PER_PAGE + 1)
    .execute();
  const page = rows.slice(0, OPEN_FOLLOW_UPS_PER_PAGE);
  const last = page.at(-1);
  return { followUps: page, next: rows.length > OPEN_FOLLOW_UPS_PER_PAGE && last ? { at: last.created_at, id: last.id } : null };
}
