/**
 * What accepting an invitation from a nomination does to that nomination: it is marked
 * joined and the nominator is told. It lives with invitations because the invitation
 * carries the nomination's id; nominations import invitations (to invite), never back.
 */
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { notify } from "#app/features/notifications/notifications.server.ts";
import { now } from "#app/lib/clock.ts";
import { named } from "#app/lib/named-text.ts";

/** Someone invited from a nomination joined: mark it and tell the nominator. */
export async function nominationJoined(trx: Kysely<Database>, nominationId: string, facts: { communityName: string }): Promise<void> {
  const nomination = await trx
    .updateTable("nominations")
    .set({ status: "joined", joined_at: now() })
    .where("id", "=", nominationId)
    .returning(["id", "nominated_by"])
    .executeTakeFirst();
  if (!nomination) return;
  await notify(trx, nomination.nominated_by, {
    kind: "nomination.outcome",
    title: named`${{ nomination: nomination.id }}, whom you nominated, joined ${facts.communityName}`,
    link: "/nominations",
  });
}
