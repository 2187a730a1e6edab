import type { Kysely } from "kysely";
import { named, plainNamedText } from "#app/lib/named-text.ts";
import type { Database, SuggestionStatus } from "#db/schema.ts";
import { assertAllowed, isStaff, type Actor } from "#app/features/auth/policy.ts";
import { notifyEach } from "#app/features/notifications/notifications.server.ts";
import { publicOrigin } from "#app/lib/origin.server.ts";
import { enqueueWebhookEvent } from "#app/features/webhooks/webhooks.server.ts";
import { recordAudit } from "#app/features/audit/audit.server.ts";
import { segmentOf } from "#app/features/communities/segments.ts";
import { STATUS_LABEL } from "./statuses.ts";
import { postLink } from "#app/features/discussions/links.ts";
import { now } from "#app/lib/clock.ts";
import { newId } from "#app/lib/ids.ts";
import { markdownExcerpt, markdownToText, renderMarkdown } from "#app/lib/markdown.server.ts";
import { Refusal } from "#app/lib/refusal.ts";
import { strengthOf } from "./strength.server.ts";
import { evidenceImage } from "./evidence.ts";

type Db = Kysely<Database>;

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
