import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { assertAllowed } from "#app/features/auth/policy.ts";
import { undoSuggestionEntry, type SuggestionUndo } from "#app/features/suggestions/suggestions.server.ts";
import { embed, named, storedNamedText } from "#app/lib/named-text.ts";
import { namesFor } from "#app/lib/named-text.server.ts";
import { now } from "#app/lib/clock.ts";
import { Refusal } from "#app/lib/refusal.ts";
import { recordAudit } from "#app/features/audit/audit.server.ts";
import { undoTriageEntry, type TriageUndo } from "./triage.server.ts";
import { undoTagEntry, type TagUndo } from "./tags.server.ts";

type Undo = TriageUndo | SuggestionUndo | TagUndo;

/** Undo a staff action from the audit log, as the one who may do that kind of action; the undoing is logged too. */
export async function undoAction(db: Kysely<Database>, actor: Actor, auditId: string): Promise<{ summary: string }> {
  const entry = await db.selectFrom("audit_log").selectAll().where("id", "=", auditId).executeTakeFirst();
  if (!entry?.undo) throw new Refusal(404, "There is nothing to undo there.");
  const undo = JSON.parse(entry.undo) as Undo;
  assertAllowed(actor, undo.type.startsWith("suggestion.") ? "suggestion.edit" : "triage.work");
  if (entry.undone_at) throw new Refusal(409, "That was already undone.");
  await db.transaction().execute(async (trx) => {
    // Claim it first, so two clicks cannot undo twice.
    const claimed = await trx.updateTable("audit_log").set({ undone_at: now(), undone_by: actor.id }).where("id", "=", auditId).where("undone_at", "is", null).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) throw new Refusal(409, "That was already undone.");
    if (undo.type === "highlight" || undo.type === "dismiss") await undoTriageEntry(trx, undo);
    else if (undo.type.startsWith("suggestion.")) await undoSuggestionEntry(trx, undo as SuggestionUndo);
    else await undoTagEntry(trx, undo as TagUndo);
    await recordAudit(trx, actor.id, { action: "audit.undo", summary: named`Undid: ${embed(storedNamedText(entry.summary))}`, undo: null });
  });
  return { summary: (await namesFor(db, [entry.summary]))(entry.summary) };
}
