/**
 * Email goes through the outbox: a message is written to the database (in the same
 * transaction as the change that caused it) and delivered afterwards, outside any
 * transaction. With SMTP_URL set, delivery uses nodemailer; without it, messages wait in
 * the outbox, which admins read at /admin/outbox, so a fresh install works end to end.
 */
import type { Kysely, Transaction } from "kysely";
import nodemailer from "nodemailer";
import type { Database } from "#db/schema.ts";
import { now } from "#app/lib/clock.ts";
import { newId } from "#app/lib/ids.ts";
import { env } from "#app/lib/env.server.ts";

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** References (`user:<id>`, app/lib/named-text.ts) to the people the message names. */
  names?: string[];
}

export async function queueEmail(db: Kysely<Database> | Transaction<Database>, message: EmailMessage): Promise<string> {
  const [id] = await queueEmails(db, [message]);
  return id!;
}

/** Queue many messages in a few statements (a batch per 200), returning their ids in order. */
export async function queueEmails(db: Kysely<Database> | Transaction<Database>, messages: EmailMessage[]): Promise<string[]> {
  const at = now();
  const rows = messages.map((m) => ({ id: newId(), to_address: m.to, subject: m.subject, text_body: m.text, html_body: m.html, created_at: at, attempts: 0, names: m.names?.length ? ` ${m.names.join(" ")} ` : null }));
  for (let i = 0; i < rows.length; i += 200) await db.insertInto("outbox").values(rows.slice(i, i + 200)).execute();
  return rows.map((r) => r.id);
}

let transport: nodemailer.Transporter | null = null;

/**
 * Try to send the given queued messages (or every unsent one). Each failure is recorded on
 * its message and shown in the outbox, where it can be retried. Without SMTP this is a no-op.
 */
export async function deliverQueued(
  db: Kysely<Database>,
  options: { smtpUrl?: string; from: string; ids?: string[] },
): Promise<{ sent: number; failed: number }> {
  if (!options.smtpUrl) return { sent: 0, failed: 0 };
  transport ??= nodemailer.createTransport(options.smtpUrl);
  let query = db.selectFrom("outbox").selectAll().where("sent_at", "is", null).orderBy("created_at").limit(500);
  if (options.ids) {
    if (options.ids.length === 0) return { sent: 0, failed: 0 };
    query = query.where("id", "in", options.ids);
  }
  let sent = 0;
  let failed = 0;
  for (const message of await query.execute()) {
    // Claim it first (attempts as a version), so two processes never send the same message.
    const claimed = await db
      .updateTable("outbox")
      .set({ attempts: message.attempts + 1 })
      .where("id", "=", message.id)
      .where("sent_at", "is", null)
      .where("attempts", "=", message.attempts)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) continue;
    try {
      await transport.sendMail({ from: options.from, to: message.to_address, subject: message.subject, text: message.text_body, html: message.html_body });
      await db.updateTable("outbox").set({ sent_at: now(), last_error: null }).where("id", "=", message.id).execute();
      sent++;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await db.updateTable("outbox").set({ last_error: reason.slice(0, 500) }).where("id", "=", message.id).execute();
      failed++;
    }
  }
  return { sent, failed };
}

/** The outbox for admins, newest first, by key (created_at, id) so it pages without offsets. */
export async function listOutbox(db: Kysely<Database>, options: { before?: { createdAt: number; id: string }; limit?: number } = {}) {
  const limit = options.limit ?? 50;
  let query = db.selectFrom("outbox").selectAll().orderBy("created_at", "desc").orderBy("id", "desc").limit(limit + 1);
  if (options.before) {
    const { createdAt, id } = options.before;
    query = query.where((eb) => eb.or([eb("created_at", "<", createdAt), eb.and([eb("created_at", "=", createdAt), eb("id", "<", id)])]));
  }
  const rows = await query.execute();
  return { messages: rows.slice(0, limit), hasMore: rows.length > limit };
}

/** Deliver freshly queued messages now, with this instance's SMTP settings (no-op without SMTP). */
export function deliverNow(db: Kysely<Database>, ids: string[]) {
  const config = env();
  return deliverQueued(db, { smtpUrl: config.SMTP_URL, from: config.EMAIL_FROM, ids });
}
