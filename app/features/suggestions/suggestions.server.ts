import type { ShownImage } from "#app/features/attachments/attachments.server.ts";
import { sql, type Kysely } from "kysely";
import { named, plainNamedText } from "#app/lib/named-text.ts";
import type { Database, SuggestionStatus } from "#db/schema.ts";
import { assertAllowed, isStaff, type Actor } from "#app/features/auth/policy.ts";
import { getCommunityForActor } from "#app/features/communities/communities.server.ts";
import { notifyEach } from "#app/features/notifications/notifications.server.ts";
import { publicOrigin } from "#app/lib/origin.server.ts";
import { enqueueWebhookEvent } from "#app/features/webhooks/webhooks.server.ts";
import { recordAudit } from "#app/features/triage/audit.server.ts";
import { segmentOf } from "#app/features/communities/segments.ts";
import { STATUS_LABEL } from "#app/features/ideas/status.tsx";
import { postLink } from "#app/features/discussions/discussions.server.ts";
import { now } from "#app/lib/clock.ts";
import { pastCursor, type Cursor } from "#app/lib/cursor.ts";
import { BOARD_COLUMN, BOARD_PAGE } from "./schemas.ts";
import { newId } from "#app/lib/ids.ts";
import { markdownExcerpt, markdownToText, renderMarkdown } from "#app/lib/markdown.server.ts";
import { Refusal } from "#app/lib/refusal.ts";

type Db = Kysely<Database>;

export interface Strength {
  members: number;
  votes: number;
  communities: number;
  quotes: number;
}

/**
 * Recount the strength kept on these suggestions' rows: distinct members (authors of
 * evidence and voters of linked ideas), linked votes, communities, quotes. Called inside
 * every use case that changes evidence, idea links or votes on a linked idea, so the board
 * sorts and pages by stored numbers. One statement.
 */
export async function refreshStrength(db: Db, ids: (string | null | undefined)[]): Promise<void> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (!wanted.length) return;
  await db
    .updateTable("suggestions")
    .set({
      strength_quotes: sql`(select count(*) from highlights h where h.suggestion_id = suggestions.id)`,
      strength_votes: sql`(select coalesce(sum(i.vote_count), 0) from ideas i where i.suggestion_id = suggestions.id)`,
      strength_members: sql`(select count(*) from (
        select h.post_author_id as person from highlights h where h.suggestion_id = suggestions.id
        union select v.user_id from votes v join ideas i on i.thread_id = v.idea_id where i.suggestion_id = suggestions.id) people)`,
      strength_communities: sql`(select count(*) from (
        select h.community_id as place from highlights h where h.suggestion_id = suggestions.id
        union select i.community_id from ideas i where i.suggestion_id = suggestions.id) places)`,
    })
    .where("id", "in", wanted)
    .execute();
}

const strengthOf = (row: { strength_members: number; strength_votes: number; strength_communities: number; strength_quotes: number }): Strength => ({
  members: row.strength_members,
  votes: row.strength_votes,
  communities: row.strength_communities,
  quotes: row.strength_quotes,
});

export interface BoardFilters {
  tag?: string;
  community?: string;
  owner?: string;
  status?: SuggestionStatus;
  sort: "strength" | "recent";
}

/**
 * The board's sort as one number per row, so a cursor is (number, id): members first, then
 * linked votes (below a million per suggestion), or the time of the last change.
 */
const boardKey = (sort: BoardFilters["sort"]) =>
  sort === "strength" ? sql<number>`(suggestions.strength_members * 1000000 + suggestions.strength_votes)` : sql<number>`suggestions.updated_at`;

/**
 * The product team's board: filtered suggestions with tags and strength, a page at a time
 * in the chosen order (or, for the columns view, the first of each status), how many there
 * are of each status, and how many carry each tag. Five queries whatever the board's size.
 */
export async function listBoard(db: Db, actor: Actor, filters: BoardFilters, options: { after?: Cursor; columns?: boolean; all?: boolean } = {}) {
  assertAllowed(actor, "suggestion.view");
  const fromCommunity = (slug: string) =>
    db
      .selectFrom("highlights")
      .innerJoin("communities", "communities.id", "highlights.community_id")
      .select("highlights.suggestion_id")
      .where("communities.slug", "=", slug)
      .union(db.selectFrom("ideas").innerJoin("communities", "communities.id", "ideas.community_id").select("ideas.suggestion_id").where("communities.slug", "=", slug));
  // Filtered by everything but the tag, for the tag counts.
  const untagged = db
    .selectFrom("suggestions")
    .$if(filters.community !== undefined, (q) => q.where("suggestions.id", "in", fromCommunity(filters.community!)))
    .$if(filters.owner !== undefined, (q) => q.where("suggestions.owner_id", "=", filters.owner!))
    .$if(filters.status !== undefined, (q) => q.where("suggestions.status", "=", filters.status!));
  const matching = untagged.$if(filters.tag !== undefined, (q) =>
    q.where("suggestions.id", "in", db.selectFrom("suggestion_tags").select("suggestion_id").where("tag_id", "=", filters.tag!)),
  );
  const key = boardKey(filters.sort);
  const columns = [
    "suggestions.id",
    "suggestions.title",
    "suggestions.status",
    "suggestions.updated_at",
    "suggestions.created_at",
    "suggestions.public_answer",
    "suggestions.owner_id",
    "suggestions.strength_members",
    "suggestions.strength_votes",
    "suggestions.strength_communities",
    "suggestions.strength_quotes",
  ] as const;
  const listed = matching.leftJoin("users as owner", "owner.id", "suggestions.owner_id").select([...columns, "owner.display_name as owner", key.as("sort_value")]);
  const pageQuery = () => {
    let query = listed;
    if (options.after) query = query.where(pastCursor(key, "suggestions.id", options.after, "<"));
    query = query.orderBy(key, "desc").orderBy("suggestions.id", "desc");
    return options.all ? query : query.limit(BOARD_PAGE + 1);
  };
  // The columns view: the first of each status in the same order, one query with a window.
  const columnsQuery = () =>
    db
      .selectFrom(
        listed
          .select(sql<number>`row_number() over (partition by suggestions.status order by ${key} desc, suggestions.id desc)`.as("place"))
          .as("ranked"),
      )
      .selectAll()
      .where("place", "<=", BOARD_COLUMN)
      .orderBy("sort_value", "desc")
      .orderBy("id", "desc");
  const [rows, statusCounts, tagCounts] = await Promise.all([
    options.columns ? columnsQuery().execute() : pageQuery().execute(),
    matching
      .select(["suggestions.status", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("suggestions.status")
      .execute(),
    // A count per tag from the tag index; the other filters narrow it only when present.
    db
      .selectFrom("tags")
      .select(["tags.id", "tags.name", "tags.color"])
      .select((eb) =>
        eb
          .selectFrom("suggestion_tags")
          .select(eb.fn.countAll<number>().as("n"))
          .whereRef("suggestion_tags.tag_id", "=", "tags.id")
          .$if(filters.community !== undefined || filters.owner !== undefined || filters.status !== undefined, (q) => q.where("suggestion_tags.suggestion_id", "in", untagged.select("suggestions.id")))
          .as("n"),
      )
      .orderBy("tags.name")
      .execute(),
  ]);
  const page = options.columns || options.all ? rows : rows.slice(0, BOARD_PAGE);
  const ids = page.map((r) => r.id);
  const tagRows = ids.length
    ? await db
        .selectFrom("suggestion_tags")
        .innerJoin("tags", "tags.id", "suggestion_tags.tag_id")
        .select(["suggestion_tags.suggestion_id", "tags.id", "tags.name", "tags.color"])
        .where("suggestion_tags.suggestion_id", "in", ids)
        .orderBy("tags.name")
        .execute()
    : [];
  const last = page.at(-1);
  return {
    suggestions: page.map((row) => ({
      id: row.id,
      title: row.title,
      status: row.status,
      updated_at: row.updated_at,
      created_at: row.created_at,
      public_answer: row.public_answer,
      owner_id: row.owner_id,
      owner: row.owner,
      strength: strengthOf(row),
      tags: tagRows.filter((t) => t.suggestion_id === row.id).map(({ id, name, color }) => ({ id, name, color })),
    })),
    next: !options.columns && !options.all && rows.length > BOARD_PAGE && last ? { at: Number(last.sort_value), id: last.id } : undefined,
    statusCounts: Object.fromEntries(statusCounts.map((s) => [s.status, Number(s.n)])) as Partial<Record<SuggestionStatus, number>>,
    tagCounts: tagCounts.map((t) => ({ ...t, n: Number(t.n) })),
  };
}

/** One suggestion with its evidence (every linked quote, author, community, date, link back), linked ideas, strength, and the split by segment. */
export async function getSuggestion(db: Db, actor: Actor, id: string) {
  assertAllowed(actor, "suggestion.view");
  const suggestion = await db
    .selectFrom("suggestions")
    .leftJoin("users as owner", "owner.id", "suggestions.owner_id")
    .selectAll("suggestions")
    .select("owner.display_name as owner")
    .where("suggestions.id", "=", id)
    .executeTakeFirst();
  if (!suggestion) throw new Refusal(404, "We could not find that suggestion.");
  const [evidence, ideas, tags] = await Promise.all([
    db
      .selectFrom("highlights")
      .innerJoin("users", "users.id", "highlights.post_author_id")
      .innerJoin("communities", "communities.id", "highlights.community_id")
      .innerJoin("threads", "threads.id", "highlights.thread_id")
      .leftJoin("replies", (join) => join.onRef("replies.id", "=", "highlights.post_id").on("highlights.post_kind", "=", "reply"))
      .leftJoin("memberships", (join) => join.onRef("memberships.community_id", "=", "highlights.community_id").onRef("memberships.user_id", "=", "highlights.post_author_id"))
      .leftJoin("attachments", "attachments.id", "highlights.attachment_id")
      .select([
        "highlights.id",
        "highlights.quote",
        "attachments.id as image_id",
        "attachments.alt as image_alt",
        "attachments.width as image_width",
        "attachments.height as image_height",
        "attachments.thumb_width as image_thumb_width",
        "attachments.thumb_height as image_thumb_height",
        "highlights.post_kind",
        "highlights.post_id",
        "highlights.post_author_id",
        "highlights.community_id",
        "users.display_name as author",
        "communities.slug",
        "communities.name as community",
        "threads.id as thread_id",
        "threads.title as thread_title",
        "threads.created_at as thread_created_at",
        "replies.created_at as reply_created_at",
        "memberships.attributes",
      ])
      .where("highlights.suggestion_id", "=", id)
      .orderBy("highlights.created_at", "asc")
      .execute(),
    db
      .selectFrom("ideas")
      .innerJoin("threads", "threads.id", "ideas.thread_id")
      .innerJoin("communities", "communities.id", "ideas.community_id")
      .select(["ideas.thread_id as id", "threads.title", "ideas.vote_count", "communities.slug", "communities.name as community"])
      .where("ideas.suggestion_id", "=", id)
      .execute(),
    db.selectFrom("suggestion_tags").innerJoin("tags", "tags.id", "suggestion_tags.tag_id").select(["tags.id", "tags.name", "tags.color"]).where("suggestion_tags.suggestion_id", "=", id).orderBy("tags.name").execute(),
  ]);
  // By segment: distinct members and votes, with each person's segment in the community they spoke or voted in.
  const voters = ideas.length
    ? await db
        .selectFrom("votes")
        .innerJoin("ideas", "ideas.thread_id", "votes.idea_id")
        .leftJoin("memberships", (join) => join.onRef("memberships.community_id", "=", "votes.community_id").onRef("memberships.user_id", "=", "votes.user_id"))
        .select(["votes.user_id", "memberships.attributes"])
        .where("ideas.suggestion_id", "=", id)
        .execute()
    : [];
  const segments = new Map<string, { members: Set<string>; votes: number }>();
  const bucket = (attributes: string | null) => {
    const name = segmentOf(attributes) ?? "no segment";
    if (!segments.has(name)) segments.set(name, { members: new Set(), votes: 0 });
    return segments.get(name)!;
  };
  for (const e of evidence) bucket(e.attributes).members.add(e.post_author_id);
  for (const v of voters) {
    const b = bucket(v.attributes);
    b.members.add(v.user_id);
    b.votes++;
  }
  return {
    suggestion,
    tags,
    strength: strengthOf(suggestion),
    bySegment: [...segments.entries()].map(([segment, s]) => ({ segment, members: s.members.size, votes: s.votes })).sort((a, b) => b.members - a.members),
    evidence: evidence.map((e) => ({
      id: e.id,
      quote: e.quote,
      image: evidenceImage(e),
      // Shown as written: the quote's Markdown rendered safely (raw HTML escaped, links checked).
      quoteHtml: renderMarkdown(e.quote),
      author: e.author,
      authorId: e.post_author_id,
      community: e.community,
      slug: e.slug,
      threadTitle: e.thread_title,
      at: e.reply_created_at ?? e.thread_created_at,
      link: postLink(e.slug, e.thread_id, { kind: e.post_kind, id: e.post_id, created_at: e.reply_created_at }),
    })),
    ideas,
  };
}

/** The image a highlight kept, from its joined columns; served under its post's rules (a hidden post's image answers 404). */
function evidenceImage(e: { image_id: string | null; image_alt: string | null; image_width: number | null; image_height: number | null; image_thumb_width: number | null; image_thumb_height: number | null }): ShownImage | null {
  if (!e.image_id) return null;
  return { id: e.image_id, alt: e.image_alt ?? "", width: e.image_width ?? 0, height: e.image_height ?? 0, thumbWidth: e.image_thumb_width ?? 0, thumbHeight: e.image_thumb_height ?? 0 };
}

/** A suggestion as webhook receivers see it. */
export function webhookSuggestion(s: { id: string; title: string; status: SuggestionStatus; public_answer: string | null }) {
  return { id: s.id, title: s.title, status: s.status, public_answer: s.public_answer, url: `${publicOrigin()}/suggestions/${s.id}` };
}

/** Titles for linking from triage (a datalist), most recently changed first. */
export async function suggestionTitles(db: Db, actor: Actor): Promise<string[]> {
  assertAllowed(actor, "suggestion.view");
  const rows = await db.selectFrom("suggestions").select("title").orderBy("updated_at", "desc").limit(200).execute();
  return rows.map((r) => r.title);
}

export async function createSuggestion(db: Db, actor: Actor, input: { title: string; problem: string }): Promise<{ id: string }> {
  assertAllowed(actor, "suggestion.edit");
  return db.transaction().execute(async (trx) => {
    const id = await insertSuggestion(trx, actor.id, input);
    await recordAudit(trx, actor.id, { action: "suggestion.create", summary: named`Created suggestion "${input.title}"`, undo: { type: "suggestion.create", id } satisfies SuggestionUndo });
    return { id };
  });
}

/** A new suggestion's row and its webhook event, inside the caller's transaction (creating one, or triage creating one while linking). */
export async function insertSuggestion(trx: Db, actorId: string, input: { title: string; problem: string }): Promise<string> {
  const id = newId();
  const at = now();
  await trx
    .insertInto("suggestions")
    .values({ id, title: input.title, problem_markdown: input.problem, problem_html: renderMarkdown(input.problem), status: "new", owner_id: null, staff_notes: null, public_answer: null, answered_at: null, alternative: null, created_by: actorId, created_at: at, updated_at: at })
    .execute();
  await enqueueWebhookEvent(trx, "suggestion.created", { suggestion: webhookSuggestion({ id, title: input.title, status: "new", public_answer: null }) });
  return id;
}

/** Change what staff keep about a suggestion: title, problem, tags, owner, notes. Undoable from the audit log. */
export async function updateSuggestion(
  db: Db,
  actor: Actor,
  id: string,
  input: { title: string; problem: string; tagIds: string[]; ownerId: string | null; staffNotes: string },
): Promise<void> {
  assertAllowed(actor, "suggestion.edit");
  const before = await db.selectFrom("suggestions").selectAll().where("id", "=", id).executeTakeFirst();
  if (!before) throw new Refusal(404, "We could not find that suggestion.");
  if (input.ownerId) {
    const owner = await db.selectFrom("users").select("role").where("id", "=", input.ownerId).executeTakeFirst();
    if (!owner || !isStaff({ id: input.ownerId, role: owner.role })) throw new Refusal(400, "Choose an owner from the staff.");
  }
  const beforeTags = await db.selectFrom("suggestion_tags").select("tag_id").where("suggestion_id", "=", id).execute();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("suggestions")
      .set({ title: input.title, problem_markdown: input.problem, problem_html: renderMarkdown(input.problem), owner_id: input.ownerId, staff_notes: input.staffNotes || null, updated_at: now() })
      .where("id", "=", id)
      .execute();
    await trx.deleteFrom("suggestion_tags").where("suggestion_id", "=", id).execute();
    if (input.tagIds.length) {
      await trx
        .insertInto("suggestion_tags")
        .columns(["suggestion_id", "tag_id"])
        .expression((eb) => eb.selectFrom("tags").select([eb.val(id).as("suggestion_id"), "tags.id as tag_id"]).where("tags.id", "in", input.tagIds))
        .execute();
    }
    await recordAudit(trx, actor.id, {
      action: "suggestion.update",
      summary: named`Edited suggestion "${input.title}"`,
      undo: { type: "suggestion.update", id, before: { title: before.title, problem: before.problem_markdown, ownerId: before.owner_id, staffNotes: before.staff_notes ?? "", tagIds: beforeTags.map((t) => t.tag_id) } },
    });
  });
}

/** Declining needs a reason, and an alternative or an explicit "none". */
function checkAnswer(input: { status: SuggestionStatus; answer: string; alternative: string; withoutAlternative: boolean }) {
  const answer = input.answer.trim();
  const alternative = input.alternative.trim();
  if (input.status === "declined") {
    if (!answer) throw new Refusal(422, "Declining needs a reason: tell contributors why in the public answer.");
    if (!alternative && !input.withoutAlternative) {
      throw new Refusal(422, "Is there something contributors can do instead? Offer an alternative, or tick “Decline without an alternative”.");
    }
  }
  return { answer, alternative };
}

/**
 * Save the whole suggestion page at once: details (title, problem, tags, owner, notes) and
 * status with its answer. Both are checked before either is written, so a refused answer
 * never leaves the details half-saved, and nothing chosen on the page is dropped.
 */
export async function saveSuggestion(
  db: Db,
  actor: Actor,
  id: string,
  input: { details: Parameters<typeof updateSuggestion>[3]; answer: Parameters<typeof answerSuggestion>[3] },
  options: { siteOrigin: string },
): Promise<{ notified: number; emailIds: string[] }> {
  assertAllowed(actor, "suggestion.edit");
  checkAnswer(input.answer);
  const before = await db.selectFrom("suggestions").select(["title", "problem_markdown", "owner_id", "staff_notes"]).where("id", "=", id).executeTakeFirst();
  if (!before) throw new Refusal(404, "We could not find that suggestion.");
  const tags = await db.selectFrom("suggestion_tags").select("tag_id").where("suggestion_id", "=", id).execute();
  const d = input.details;
  const sameTags = tags.length === new Set(d.tagIds).size && tags.every((t) => d.tagIds.includes(t.tag_id));
  const unchanged = before.title === d.title && before.problem_markdown === d.problem && before.owner_id === d.ownerId && (before.staff_notes ?? "") === d.staffNotes && sameTags;
  // Only a real change of details is written (and shows in the audit log).
  if (!unchanged) await updateSuggestion(db, actor, id, d);
  return answerSuggestion(db, actor, id, input.answer, options);
}

/**
 * Set a suggestion's status and public answer. Declining needs a reason, and asks for an
 * alternative (or an explicit "none"). A new answer reaches every contributor: authors of
 * linked feedback and voters of linked ideas, in the app and by email; linked ideas show it.
 */
export async function answerSuggestion(
  db: Db,
  actor: Actor,
  id: string,
  input: { status: SuggestionStatus; answer: string; alternative: string; withoutAlternative: boolean },
  options: { siteOrigin: string },
): Promise<{ notified: number; emailIds: string[] }> {
  assertAllowed(actor, "suggestion.edit");
  const before = await db.selectFrom("suggestions").selectAll().where("id", "=", id).executeTakeFirst();
  if (!before) throw new Refusal(404, "We could not find that suggestion.");
  const { answer, alternative } = checkAnswer(input);
  const changed = answer !== (before.public_answer ?? "") || input.status !== before.status;
  const at = now();
  const shouldTell = changed && answer !== "";
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable("suggestions")
      .set({ status: input.status, public_answer: answer || null, alternative: input.status === "declined" ? alternative || null : null, answered_at: shouldTell ? at : before.answered_at, updated_at: at })
      .where("id", "=", id)
      .execute();
    if (input.status !== before.status) {
      await enqueueWebhookEvent(trx, "suggestion.status_changed", {
        suggestion: webhookSuggestion({ id, title: before.title, status: input.status, public_answer: answer || null }),
        previous_status: before.status,
      });
    }
    await recordAudit(trx, actor.id, {
      action: "suggestion.status",
      summary: named`Set "${before.title}" to ${STATUS_LABEL[input.status]}${answer ? " with a public answer" : ""}`,
      undo: { type: "suggestion.status", id, before: { status: before.status, public_answer: before.public_answer, alternative: before.alternative, answered_at: before.answered_at } },
    });
    if (!shouldTell) return { notified: 0, emailIds: [] };
    const people = await contributors(trx, id);
    const title = `${STATUS_LABEL[input.status]}: "${before.title}"`;
    const letters = people.map((person) => {
      const link = person.link ?? `/notifications`;
      const text = [
        `Hello ${person.name},`,
        "",
        `You took part in feedback that became the product suggestion "${before.title}". The product team has answered.`,
        "",
        `Status: ${STATUS_LABEL[input.status]}`,
        "",
        markdownToText(answer),
        ...(input.status === "declined" && alternative ? ["", `What you can do instead: ${alternative}`] : []),
        "",
        `See it where you gave it: ${options.siteOrigin}${link}`,
      ].join("\n");
      return {
        userId: person.id,
        input: {
          kind: "suggestion.answer" as const,
          title: named`The product team answered feedback you gave: ${title}`,
          body: markdownExcerpt(answer, 300),
          link,
          email: { subject: named`Your feedback was answered: ${before.title}`, text: plainNamedText(text) },
        },
      };
    });
    // In the app always; by email as each member's settings say (right away by default).
    return { notified: people.length, emailIds: await notifyEach(trx, letters) };
  });
}

/** Everyone who contributed: authors of linked evidence and voters of linked ideas, once each, with a link to where they took part. */
async function contributors(db: Db, suggestionId: string) {
  const rows = await db
    .selectFrom(
      db
        .selectFrom("highlights")
        .innerJoin("communities", "communities.id", "highlights.community_id")
        .select(["highlights.post_author_id as user_id", "communities.slug", "highlights.thread_id"])
        .where("highlights.suggestion_id", "=", suggestionId)
        .union(
          db
            .selectFrom("votes")
            .innerJoin("ideas", "ideas.thread_id", "votes.idea_id")
            .innerJoin("communities", "communities.id", "ideas.community_id")
            .select(["votes.user_id", "communities.slug", "ideas.thread_id"])
            .where("ideas.suggestion_id", "=", suggestionId),
        )
        .as("c"),
    )
    .innerJoin("users", "users.id", "c.user_id")
    .select(["users.id", "users.display_name", "c.slug", "c.thread_id"])
    .execute();
  const people = new Map<string, { id: string; name: string; link: string | null }>();
  for (const row of rows) {
    if (!people.has(row.id)) people.set(row.id, { id: row.id, name: row.display_name, link: `/c/${row.slug}/t/${row.thread_id}` });
  }
  return [...people.values()];
}

/** What a community's feedback fed, for its readout at close: suggestions, statuses, answers, and this member's part. */
export async function readout(db: Db, actor: Actor, slug: string) {
  // Former members are let in too: they were promised what became of their feedback.
  const view = await getCommunityForActor(db, actor, slug, "community.readout");
  const communityId = view.community.id;
  const fed = await db
    .selectFrom("suggestions")
    .select(["suggestions.id", "suggestions.title", "suggestions.status", "suggestions.public_answer", "suggestions.alternative", "suggestions.answered_at"])
    .where((eb) =>
      eb.or([
        eb("suggestions.id", "in", eb.selectFrom("highlights").select("suggestion_id").where("community_id", "=", communityId)),
        eb("suggestions.id", "in", eb.selectFrom("ideas").select("suggestion_id").where("community_id", "=", communityId)),
      ]),
    )
    .orderBy("suggestions.updated_at", "desc")
    .limit(200)
    .execute();
  const ids = fed.map((s) => s.id);
  const [mine, counts] = await Promise.all([
    ids.length
      ? db
          .selectFrom("highlights")
          .select(["suggestion_id", "quote"])
          .where("community_id", "=", communityId)
          .where("post_author_id", "=", actor.id)
          .where("suggestion_id", "in", ids)
          .union(
            db
              .selectFrom("votes")
              .innerJoin("ideas", "ideas.thread_id", "votes.idea_id")
              .innerJoin("threads", "threads.id", "ideas.thread_id")
              .select(["ideas.suggestion_id", sql<string>`${"Your vote for: "} || threads.title`.as("quote")])
              .where("votes.user_id", "=", actor.id)
              .where("ideas.community_id", "=", communityId)
              .where("ideas.suggestion_id", "in", ids),
          )
          .execute()
      : Promise.resolve([]),
    ids.length
      ? db.selectFrom("highlights").select(["suggestion_id", (eb) => eb.fn.countAll<number>().as("n")]).where("community_id", "=", communityId).where("suggestion_id", "in", ids).groupBy("suggestion_id").execute()
      : Promise.resolve([]),
  ]);
  // The reader's own images kept as evidence: theirs to see, whatever became of the community.
  const myImages = ids.length
    ? await db
        .selectFrom("highlights")
        .innerJoin("attachments", "attachments.id", "highlights.attachment_id")
        .select(["highlights.suggestion_id", "attachments.id as image_id", "attachments.alt as image_alt", "attachments.width as image_width", "attachments.height as image_height", "attachments.thumb_width as image_thumb_width", "attachments.thumb_height as image_thumb_height"])
        .where("highlights.community_id", "=", communityId)
        .where("attachments.owner_id", "=", actor.id)
        .where("highlights.suggestion_id", "in", ids)
        .execute()
    : [];
  const [members, posts] = await Promise.all([
    db.selectFrom("memberships").select((eb) => eb.fn.countAll<number>().as("n")).where("community_id", "=", communityId).executeTakeFirstOrThrow(),
    db.selectFrom("threads").select((eb) => [eb.fn.countAll<number>().as("threads"), eb.fn.sum<number>("reply_count").as("replies")]).where("community_id", "=", communityId).executeTakeFirstOrThrow(),
  ]);
  return {
    view,
    totals: { members: Number(members.n), threads: Number(posts.threads), replies: Number(posts.replies ?? 0), suggestions: fed.length },
    suggestions: fed.map((s) => ({
      ...s,
      answerHtml: s.public_answer ? renderMarkdown(s.public_answer) : null,
      quotesHere: Number(counts.find((c) => c.suggestion_id === s.id)?.n ?? 0),
      yours: mine.filter((m) => m.suggestion_id === s.id).map((m) => markdownExcerpt(m.quote, 300)),
      yourImages: myImages.filter((m) => m.suggestion_id === s.id).flatMap((m) => evidenceImage(m) ?? []),
    })),
  };
}

export type SuggestionUndo =
  | { type: "suggestion.create"; id: string }
  | { type: "suggestion.update"; id: string; before: { title: string; problem: string; ownerId: string | null; staffNotes: string; tagIds: string[] } }
  | { type: "suggestion.status"; id: string; before: { status: SuggestionStatus; public_answer: string | null; alternative: string | null; answered_at: number | null } };

/** Put a suggestion back as it was before an edit or a status change (notifications already sent stay sent). */
export async function undoSuggestionEntry(trx: Db, undo: SuggestionUndo): Promise<void> {
  if (undo.type === "suggestion.create") {
    const evidence = await trx.selectFrom("highlights").select("id").where("suggestion_id", "=", undo.id).executeTakeFirst();
    if (evidence) throw new Refusal(409, "Feedback is linked to this suggestion now; unlink it first.");
    await trx.updateTable("ideas").set({ suggestion_id: null }).where("suggestion_id", "=", undo.id).execute();
    await trx.deleteFrom("suggestions").where("id", "=", undo.id).execute();
  } else if (undo.type === "suggestion.update") {
    const { before } = undo;
    await trx
      .updateTable("suggestions")
      .set({ title: before.title, problem_markdown: before.problem, problem_html: renderMarkdown(before.problem), owner_id: before.ownerId, staff_notes: before.staffNotes || null, updated_at: now() })
      .where("id", "=", undo.id)
      .execute();
    await trx.deleteFrom("suggestion_tags").where("suggestion_id", "=", undo.id).execute();
    if (before.tagIds.length) {
      await trx
        .insertInto("suggestion_tags")
        .columns(["suggestion_id", "tag_id"])
        .expression((eb) => eb.selectFrom("tags").select([eb.val(undo.id).as("suggestion_id"), "tags.id as tag_id"]).where("tags.id", "in", before.tagIds))
        .execute();
    }
  } else {
    await trx.updateTable("suggestions").set({ ...undo.before, updated_at: now() }).where("id", "=", undo.id).execute();
  }
}

/** The board as CSV rows: one per suggestion, with its evidence in one cell (a line per quote, with author, community, date and link). */
export async function boardCsvRows(db: Db, actor: Actor, filters: BoardFilters, siteOrigin: string): Promise<string[][]> {
  const { suggestions } = await listBoard(db, actor, filters, { all: true });
  const ids = suggestions.map((s) => s.id);
  const evidence = ids.length
    ? await db
        .selectFrom("highlights")
        .innerJoin("users", "users.id", "highlights.post_author_id")
        .innerJoin("communities", "communities.id", "highlights.community_id")
        .leftJoin("replies", (join) => join.onRef("replies.id", "=", "highlights.post_id").on("highlights.post_kind", "=", "reply"))
        .select(["highlights.suggestion_id", "highlights.quote", "highlights.created_at", "highlights.thread_id", "highlights.post_kind", "highlights.post_id", "replies.created_at as reply_created_at", "users.display_name", "communities.name", "communities.slug"])
        .where("highlights.suggestion_id", "in", ids)
        .orderBy("highlights.created_at")
        .execute()
    : [];
  const header = ["Title", "Status", "Tags", "Owner", "Members", "Linked votes", "Communities", "Quotes", "Public answer", "Evidence", "Link"];
  return [
    header,
    ...suggestions.map((s) =>
      [
      s.title,
      STATUS_LABEL[s.status],
      s.tags.map((t) => t.name).join(", "),
      s.owner ?? "",
      String(s.strength.members),
      String(s.strength.votes),
      String(s.strength.communities),
      String(s.strength.quotes),
      markdownToText(s.public_answer ?? ""),
      evidence
        .filter((e) => e.suggestion_id === s.id)
        .map((e) => {
          const link = `${siteOrigin}${postLink(e.slug, e.thread_id, { kind: e.post_kind, id: e.post_id, created_at: e.reply_created_at })}`;
          return `"${markdownToText(e.quote).replace(/\s+/g, " ")}" (${e.display_name}, ${e.name}, ${new Date(e.created_at).toISOString().slice(0, 10)}) ${link}`;
        })
        .join("\n"),
      `${siteOrigin}/suggestions/${s.id}`,
      ],
    ),
  ];
}
