/**
 * The instance's own settings, which an admin edits at /admin/settings and which are kept
 * as rows of a small key/value table. Today there is one: how a visitor without an
 * invitation gets one (the landing and sign-up pages show it, so nobody hits a dead end).
 */
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { assertAllowed } from "#app/features/auth/policy.ts";
import { now } from "#app/lib/clock.ts";
import { renderMarkdown } from "#app/lib/markdown.server.ts";
import { Refusal } from "#app/lib/refusal.ts";
import { INVITATION_CONTACT_MAX } from "./schemas.ts";

const INVITATION_CONTACT = "invitation_contact";

export interface InvitationContact {
  /** What the admin wrote (Markdown). */
  text: string;
  /** The same, rendered once when saved. */
  html: string;
}

/** How to get an invitation, as the admin wrote it; null when nobody has said. */
export async function getInvitationContact(db: Kysely<Database>): Promise<InvitationContact | null> {
  const row = await db.selectFrom("settings").select(["value", "value_html"]).where("key", "=", INVITATION_CONTACT).executeTakeFirst();
  return row ? { text: row.value, html: row.value_html ?? "" } : null;
}

/** Save how to get an invitation (admins only); an empty text removes it. */
export async function setInvitationContact(db: Kysely<Database>, actor: Actor, text: string): Promise<void> {
  assertAllowed(actor, "admin.manage");
  const value = text.replace(/\r\n?/g, "\n").trim();
  if (value.length > INVITATION_CONTACT_MAX) throw new Refusal(400, `Use at most ${INVITATION_CONTACT_MAX} characters.`);
  if (!value) {
    await db.deleteFrom("settings").where("key", "=", INVITATION_CONTACT).execute();
    return;
  }
  const row = { value, value_html: renderMarkdown(value), updated_at: now(), updated_by: actor.id };
  await db
    .insertInto("settings")
    .values({ key: INVITATION_CONTACT, ...row })
    .onConflict((conflict) => conflict.column("key").doUpdateSet(row))
    .execute();
}
