import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { startSmtpSink, type SmtpSink } from "#app/lib/smtp-sink.testing.ts";
import { deliverQueued, queueEmails } from "./outbox.server.ts";

describe.each(testEngines())("outbox delivery on %s", (engine) => {
  let t: TestDatabase;
  let smtp: SmtpSink;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
    // A slow relay: a message is still being sent when another run reads the outbox.
    smtp = await startSmtpSink({ delayMs: 150 });
  });
  afterAll(async () => {
    await smtp.close();
    await t.cleanup();
  });

  it("sends each message once when several runs overlap, even while one is still talking to a slow server", async () => {
    const subjects = Array.from({ length: 8 }, (_, i) => `Message ${i}`);
    await queueEmails(t.db, subjects.map((subject) => ({ to: "someone@example.com", subject, text: subject, html: `<p>${subject}</p>` })));
    const run = () => deliverQueued(t.db, { smtpUrl: smtp.url, from: "Cohort <cohort@localhost>" });
    // Staggered like processes whose minute comes round at different moments.
    const runs = [run(), new Promise((r) => setTimeout(r, 200)).then(run), new Promise((r) => setTimeout(r, 450)).then(run)];
    const results = await Promise.all(runs);

    expect(smtp.received.map((m) => m.subject).sort()).toEqual(subjects.sort());
    expect(results.reduce((sum, r) => sum + r.sent, 0)).toBe(8);
    const rows = await t.db.selectFrom("outbox").select(["sent_at", "attempts", "claimed_until"]).execute();
    expect(rows.every((r) => r.sent_at !== null && r.attempts === 1 && r.claimed_until === null)).toBe(true);
  });
});
