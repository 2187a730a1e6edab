import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { startSmtpSink, type SmtpSink } from "#app/lib/smtp-sink.testing.ts";
import { resetClock, setClock } from "#app/lib/clock.ts";
import type { Cursor } from "#app/lib/cursor.ts";
import { deliverQueued, listOutbox, queueEmails } from "./outbox.server.ts";

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

describe.each(testEngines())("the outbox pages on %s", (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => {
    resetClock();
    await t.cleanup();
  });

  it("pages newest first by the shared cursor, every message once, even among messages queued in the same millisecond", async () => {
    setClock(Date.UTC(2026, 2, 4, 9));
    const older = await queueEmails(t.db, ["a", "b", "c"].map((subject) => ({ to: "someone@example.com", subject, text: subject, html: subject })));
    setClock(Date.UTC(2026, 2, 4, 10));
    const newer = await queueEmails(t.db, ["d", "e"].map((subject) => ({ to: "someone@example.com", subject, text: subject, html: subject })));

    const seen: string[] = [];
    let before: Cursor | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const { messages, hasMore } = await listOutbox(t.db, { before, limit: 2 });
      seen.push(...messages.map((m) => m.id));
      const last = messages.at(-1);
      if (!hasMore || !last) break;
      before = { at: last.created_at, id: last.id };
    }
    expect(seen).toEqual([...[...newer].sort().reverse(), ...[...older].sort().reverse()]);
  });
});
