/**
 * Background work every serving process runs once a minute: time-box reminders, daily
 * digests, and delivery of queued email and webhooks. Each piece claims its work in the database, so
 * however many processes (or machines) run this, nothing is sent twice.
 */
import { deliverQueued } from "#app/features/email/outbox.server.ts";
import { sendDigests, sendReminders } from "#app/features/notifications/jobs.server.ts";
import { deliverWebhooks } from "#app/features/webhooks/webhooks.server.ts";
import { getDb } from "#app/lib/db.server.ts";
import { env } from "#app/lib/env.server.ts";

const EVERY_MS = 60_000;

export async function runDueJobs(): Promise<void> {
  const db = getDb();
  const config = env();
  for (const [name, job] of [
    ["reminders", () => sendReminders(db)],
    ["digests", () => sendDigests(db)],
    ["email", () => deliverQueued(db, { smtpUrl: config.SMTP_URL, from: config.EMAIL_FROM })],
    ["webhooks", () => deliverWebhooks(db)],
  ] as const) {
    try {
      const result: Record<string, unknown> = await job();
      // One line per job that did something, so an operator (and the multi-instance test)
      // can see which process sent what.
      if (Object.values(result).some((v) => (Array.isArray(v) ? v.length > 0 : v !== 0))) {
        console.log(JSON.stringify({ event: "job.done", job: name, pid: process.pid, ...result }));
      }
    } catch (error) {
      console.error(`Background job "${name}" failed:`, error);
    }
  }
}

export function startJobs(): void {
  // A random first delay spreads the processes out; the claims make overlap harmless anyway.
  setTimeout(() => {
    void runDueJobs();
    setInterval(() => void runDueJobs(), EVERY_MS).unref();
  }, 5_000 + Math.random() * 10_000).unref();
}
