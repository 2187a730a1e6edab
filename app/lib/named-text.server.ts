import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { ERASED_NAME, isErasedAddress, referencesIn, renderNamedText } from "./named-text.ts";

/**
 * Read the current names of the people some NamedTexts refer to — at most one query per
 * kind of reference, however many texts — and return a function that renders each text.
 * A reference to a row that no longer exists reads as ERASED_NAME, as an erased person does.
 */
export async function namesFor(db: Kysely<Database>, texts: readonly string[]): Promise<(text: string) => string> {
  const refs = referencesIn(texts);
  const names = new Map<string, string>();
  const [users, invitations, nominations] = await Promise.all([
    refs.user.length ? db.selectFrom("users").select(["id", "display_name"]).where("id", "in", refs.user).execute() : [],
    refs.invitation.length ? db.selectFrom("invitations").select(["id", "email"]).where("id", "in", refs.invitation).execute() : [],
    refs.nomination.length ? db.selectFrom("nominations").select(["id", "name"]).where("id", "in", refs.nomination).execute() : [],
  ]);
  for (const u of users) names.set(`user:${u.id}`, u.display_name);
  for (const i of invitations) names.set(`invitation:${i.id}`, isErasedAddress(i.email) ? ERASED_NAME : i.email);
  for (const n of nominations) names.set(`nomination:${n.id}`, n.name);
  return (text) => renderNamedText(text, names, ERASED_NAME);
}
