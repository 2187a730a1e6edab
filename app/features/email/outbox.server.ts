/**
 * Email goes through the outbox: a message is written to the database (in the same
 * transaction as the change that caused it) and delivered afterwards, outside any
 * transaction. With SMTP_URL set, delivery uses nodemailer; without it, messages wait in
 * the outbox, which admins read at /admin/outbox, so a fresh install works end to end.
 */
import { sql, type Kysely, type Transaction } from "kysely";
import nodemailer from "nodemailer";
import type { Database } from "#db/schema.ts";
import { now } from "#app/lib/clock.ts";
import { pastCursor, type Cursor } from "#app/lib/cursor.ts";
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

let transport: { url: string; transporter: nodemailer.Transporter } | null = null;

/**
 * How long a claim on a message holds: longer than nodemailer lets a send hang (2 minutes to
 * connect, then 10 minutes of silence at most), so a claim lapses only when its process died
 * mid-send, and the message goes out then.
 */
const CLAIM_MS = 15 * 60_000;

/**
 * Try to send the given queued messages (or every unsent one). Each failure is recorded on
 * its message and shown in the outbox, where it can be retried. Without SMTP this is a no-op.
 */
export async function deliverQueued(
  db: Kysely<Database>,
  options: { smtpUrl?: string; from: string; ids?: string[] },
): Promise<{ sent: number; failed: number }> {
  if (!options.smtpUrl) return { sent: 0, failed: 0 };
  if (transport?.url !== options.smtpUrl) transport = { url: options.smtpUrl, transporter: nodemailer.createTransport(options.smtpUrl) };
  const { transporter } = transport;
  const at = now();
  let query = db
    .selectFrom("outbox")
    .selectAll()
    .where("sent_at", "is", null)
    .where((eb) => eb.or([eb("claimed_until", "is", null), eb("claimed_until", "<", at)]))
    .orderBy("created_at")
    .limit(500);
  if (options.ids) {
    if (options.ids.length === 0) return { sent: 0, failed: 0 };
    query = query.where("id", "in", options.ids);
  }
  let sent = 0;
  let failed = 0;
  for (const message of await query.execute()) {
    // Claim it first: only where no other process holds it now (it may have claimed the
    // message since this list was read, and still be talking to the SMTP server), so however
    // many processes run this, each message is sent once.
    const claimedAt = now();
    const claimed = await db
      .updateTable("outbox")
      .set({ attempts: sql<number>`attempts + 1`, claimed_until: claimedAt + CLAIM_MS })
      .where("id", "=", message.id)
      .where("sent_at", "is", null)
      .where((eb) => eb.or([eb("claimed_until", "is", null), eb("claimed_until", "<", claimedAt)]))
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) continue;
    try {
      await transporter.sendMail({ from: options.from, to: message.to_address, subject: message.subject, text: message.text_body, html: message.html_body });
      await db.updateTable("outbox").set({ sent_at: now(), last_error: null, claimed_until: null }).where("id", "=", message.id).execute();
      sent++;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await db.updateTable("outbox").set({ last_error: reason.slice(0, 500), claimed_until: null }).where("id", "=", message.id).execute();
      failed++;
    }
  }
  return { sent, failed };
}

/** The outbox for admins, newest first, by key (created_at, id) so it pages without offsets. */
export async function listOutbox(db: Kysely<Database>, options: { before?: Cursor; limit?: number } = {}) {
  const limit = options.limit ?? 50;
  let query = db.selectFrom("outbox").selectAll().orderBy("created_at", "desc").orderBy("id", "desc").limit(limit + 1);
  if (options.before) query = query.where(pastCursor("created_at", "id", options.before, "<"));
  const rows = await query.execute();
  return { messages: rows.slice(0, limit), hasMore: rows.length > limit };
}

/** Deliver freshly queued messages now, with this instance's SMTP settings (no-op without SMTP). */
export function deliverNow(db: Kysely<Database>, ids: string[]) {
  const config = env();
  return deliverQueued(db, { smtpUrl: config.SMTP_URL, from: config.EMAIL_FROM, ids });
}
