import type { Kysely } from "kysely";

/**
 * Outbox claims: claimed_until (Unix ms) marks a message one process is sending now. Before,
 * the claim was only the attempt count, so a process that read the message while another was
 * still talking to a slow SMTP server claimed it again and the email went out twice. A
 * process that dies mid-send leaves the claim to lapse, and the message goes out later.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("outbox").addColumn("claimed_until", "bigint").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("outbox").dropColumn("claimed_until").execute();
}
