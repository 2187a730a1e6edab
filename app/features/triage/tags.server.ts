import type { Kysely } from "kysely";
import type { Database, TagsTable } from "#db/schema.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { assertAllowed } from "#app/features/auth/policy.ts";
import { named } from "#app/lib/named-text.ts";
import { now } from "#app/lib/clock.ts";
import { newId } from "#app/lib/ids.ts";
import { Refusal } from "#app/lib/refusal.ts";
import { recordAudit } from "#app/features/audit/audit.server.ts";
import type { TagColor } from "./tags.tsx";

type Db = Kysely<Database>;

/** The managed tag list, with how much each is used. */
export async function listTags(db: Db, actor: Actor) {
  assertAllowed(actor, "suggestion.view");
  return db
    .selectFrom("tags")
    .select((eb) => [
      "tags.id",
      "tags.name",
      "tags.color",
      "tags.description",
      eb.selectFrom("highlight_tags").select((c) => c.fn.countAll<number>().as("n")).whereRef("highlight_tags.tag_id", "=", "tags.id").as("highlights"),
      eb.selectFrom("suggestion_tags").select((c) => c.fn.countAll<number>().as("n")).whereRef("suggestion_tags.tag_id", "=", "tags.id").as("suggestions"),
    ])
    .orderBy("tags.name")
    .execute();
}

async function assertNameFree(db: Db, name: string, exceptId?: string) {
  const clash = await db.selectFrom("tags").select("id").where("name_key", "=", name.toLowerCase()).executeTakeFirst();
  if (clash && clash.id !== exceptId) throw new Refusal(409, `There is already a tag called "${name}". Merge into it instead.`);
}

export async function createTag(db: Db, actor: Actor, input: { name: string; color: TagColor; description: string }): Promise<{ id: string }> {
  assertAllowed(actor, "triage.work");
  await assertNameFree(db, input.name);
  const id = newId();
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("tags").values({ id, name: input.name, name_key: input.name.toLowerCase(), color: input.color, description: input.description, created_at: now() }).execute();
    await recordAudit(trx, actor.id, { action: "tag.create", summary: named`Created tag "${input.name}"`, undo: { type: "tag.create", id } satisfies TagUndo });
  });
  return { id };
}

/** Rename a tag, or change its colour or description. */
export async function updateTag(db: Db, actor: Actor, id: string, input: { name: string; color: TagColor; description: string }): Promise<void> {
  assertAllowed(actor, "triage.work");
  const before = await db.selectFrom("tags").selectAll().where("id", "=", id).executeTakeFirst();
  if (!before) throw new Refusal(404, "We could not find that tag.");
  await assertNameFree(db, input.name, id);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("tags").set({ name: input.name, name_key: input.name.toLowerCase(), color: input.color, description: input.description }).where("id", "=", id).execute();
    const summary = before.name === input.name ? named`Changed tag "${input.name}"` : named`Renamed tag "${before.name}" to "${input.name}"`;
    await recordAudit(trx, actor.id, { action: "tag.update", summary, undo: { type: "tag.update", before } satisfies TagUndo });
  });
}

/** Merge one tag into another: everything tagged with it carries the other, and it goes. */
export async function mergeTags(db: Db, actor: Actor, fromId: string, intoId: string): Promise<void> {
  assertAllowed(actor, "triage.work");
  if (fromId === intoId) throw new Refusal(400, "Choose another tag to merge into.");
  const [from, into] = await Promise.all([
    db.selectFrom("tags").selectAll().where("id", "=", fromId).executeTakeFirst(),
    db.selectFrom("tags").selectAll().where("id", "=", intoId).executeTakeFirst(),
  ]);
  if (!from || !into) throw new Refusal(404, "We could not find that tag.");
  await db.transaction().execute(async (trx) => {
    const highlights = (await trx.selectFrom("highlight_tags").select("highlight_id").where("tag_id", "=", fromId).execute()).map((r) => r.highlight_id);
    const suggestions = (await trx.selectFrom("suggestion_tags").select("suggestion_id").where("tag_id", "=", fromId).execute()).map((r) => r.suggestion_id);
    const alreadyHighlights = highlights.length
      ? (await trx.selectFrom("highlight_tags").select("highlight_id").where("tag_id", "=", intoId).where("highlight_id", "in", highlights).execute()).map((r) => r.highlight_id)
      : [];
    const alreadySuggestions = suggestions.length
      ? (await trx.selectFrom("suggestion_tags").select("suggestion_id").where("tag_id", "=", intoId).where("suggestion_id", "in", suggestions).execute()).map((r) => r.suggestion_id)
      : [];
    const addHighlights = highlights.filter((h) => !alreadyHighlights.includes(h));
    const addSuggestions = suggestions.filter((s) => !alreadySuggestions.includes(s));
    if (addHighlights.length) await trx.insertInto("highlight_tags").values(addHighlights.map((highlight_id) => ({ highlight_id, tag_id: intoId }))).execute();
    if (addSuggestions.length) await trx.insertInto("suggestion_tags").values(addSuggestions.map((suggestion_id) => ({ suggestion_id, tag_id: intoId }))).execute();
    await trx.deleteFrom("tags").where("id", "=", fromId).execute();
    await recordAudit(trx, actor.id, {
      action: "tag.merge",
      summary: named`Merged tag "${from.name}" into "${into.name}"`,
      undo: { type: "tag.merge", source: from, intoId, highlights, suggestions, addedHighlights: addHighlights, addedSuggestions: addSuggestions } satisfies TagUndo,
    });
  });
}

export type TagUndo =
  | { type: "tag.create"; id: string }
  | { type: "tag.update"; before: TagsTable }
  | { type: "tag.merge"; source: TagsTable; intoId: string; highlights: string[]; suggestions: string[]; addedHighlights: string[]; addedSuggestions: string[] };

export async function undoTagEntry(trx: Db, undo: TagUndo): Promise<void> {
  switch (undo.type) {
    case "tag.create": {
      const used = await trx.selectFrom("highlight_tags").select("tag_id").where("tag_id", "=", undo.id).executeTakeFirst();
      if (used) throw new Refusal(409, "That tag is in use now; merge it instead.");
      await trx.deleteFrom("tags").where("id", "=", undo.id).execute();
      return;
    }
    case "tag.update": {
      const { id, name, name_key, color, description } = undo.before;
      await trx.updateTable("tags").set({ name, name_key, color, description }).where("id", "=", id).execute();
      return;
    }
    case "tag.merge": {
      await trx.insertInto("tags").values(undo.source).execute();
      if (undo.highlights.length) await trx.insertInto("highlight_tags").values(undo.highlights.map((highlight_id) => ({ highlight_id, tag_id: undo.source.id }))).onConflict((c) => c.doNothing()).execute();
      if (undo.suggestions.length) await trx.insertInto("suggestion_tags").values(undo.suggestions.map((suggestion_id) => ({ suggestion_id, tag_id: undo.source.id }))).onConflict((c) => c.doNothing()).execute();
      if (undo.addedHighlights.length) await trx.deleteFrom("highlight_tags").where("tag_id", "=", undo.intoId).where("highlight_id", "in", undo.addedHighlights).execute();
      if (undo.addedSuggestions.length) await trx.deleteFrom("suggestion_tags").where("tag_id", "=", undo.intoId).where("suggestion_id", "in", undo.addedSuggestions).execute();
    }
  }
}
