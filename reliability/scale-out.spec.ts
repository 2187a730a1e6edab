/**
 * Several Cohort instances on one PostgreSQL database behind Caddy, run with the Caddyfile
 * README.md tells operators to use (deploy/Caddyfile). Every claim is checked with counts from
 * the database: sessions and sign-out across instances, sign-in and posting limits under
 * parallel attempts spread over instances, the client address Caddy forwards, the minute
 * jobs sending each message exactly once while every instance runs them, an image uploaded
 * through one instance served by the others from the shared S3-compatible store (s3rver,
 * started here), and an instance SIGKILLed under mixed load. Needs PostgreSQL
 * (TEST_DATABASE_URL, or postgres on 127.0.0.1:5432) and Caddy; says so and skips without them.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { sql } from "kysely";
import pg from "pg";
import S3rver from "s3rver";
import sharp from "sharp";
import { openPostgres, type DatabaseHandle } from "#db/client.ts";
import { migrations } from "#db/migrations/index.ts";
import { parseStorageUrl, s3Storage } from "#app/features/attachments/storage.server.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import { createSession } from "#app/features/auth/session.server.ts";
import { addMember, createCommunity, getCommunityForActor, publishCommunity } from "#app/features/communities/communities.server.ts";
import { queueEmails } from "#app/features/email/outbox.server.ts";
import { DIGEST_HOUR_UTC } from "#app/features/notifications/jobs.server.ts";
import { createWebhook, enqueueWebhookEvent } from "#app/features/webhooks/webhooks.server.ts";
import { DAY, HOUR, now } from "#app/lib/clock.ts";
import { toLocalInput } from "#app/lib/dates.ts";
import { newId } from "#app/lib/ids.ts";
import { startSmtpSink, type SmtpSink } from "#app/lib/smtp-sink.testing.ts";
import { SESSION_COOKIE } from "#app/lib/security.ts";
import { buildWorld } from "./world.ts";

const PROXY_PORT = 3170;
const INSTANCE_PORTS = [3171, 3172, 3173];
const PROXY = `http://127.0.0.1:${PROXY_PORT}`;
const CADDY = process.env.CADDY_PATH ?? "/usr/bin/caddy";
const SERVER_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
/** The addresses test clients connect from (all of 127/8 is this machine): what Caddy must forward. */
const CLIENT_A = "127.0.0.7";
const CLIENT_B = "127.0.0.8";
const SPOOFED = "203.0.113.9";

// ---------------------------------------------------------------------------------------
// Plain HTTP with a chosen source address (fetch cannot bind one), no redirects followed.

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  bytes: Buffer;
}

/** A multipart/form-data body with text fields and files, as a browser's file input sends it. */
function multipart(fields: Record<string, string>, files: Record<string, { name: string; type: string; bytes: Buffer }>): { type: string; bytes: Buffer } {
  const boundary = `----cohort${randomBytes(8).toString("hex")}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  for (const [name, file] of Object.entries(files)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.bytes, Buffer.from("\r\n"));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { type: `multipart/form-data; boundary=${boundary}`, bytes: Buffer.concat(parts) };
}

function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; form?: Record<string, string>; raw?: { type: string; bytes: Buffer }; from?: string } = {},
): Promise<Answer> {
  const body = options.raw ?? (options.form ? { type: "application/x-www-form-urlencoded", bytes: Buffer.from(new URLSearchParams(options.form).toString()) } : undefined);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: options.method ?? (body !== undefined ? "POST" : "GET"),
        localAddress: options.from,
        agent: false,
        headers: {
          // Straight to an instance, a request carries the Host the proxy passes on (the
          // public one): Remix refuses a form whose Origin does not match its Host.
          ...(url.startsWith(PROXY) ? {} : { Host: new URL(PROXY).host }),
          ...(body !== undefined ? { "Content-Type": body.type, "Content-Length": String(body.bytes.length), Origin: PROXY } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const bytes = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString("utf8"), bytes });
        });
        res.on("error", reject);
      },
    );
    req.setTimeout(20_000, () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end(body?.bytes);
  });
}

const instanceUrl = (i: number) => `http://127.0.0.1:${INSTANCE_PORTS[i]}`;
const cookieOf = (answer: Answer) => {
  const line = ([] as string[]).concat(answer.headers["set-cookie"] ?? []).find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  return line?.split(";")[0];
};

// ---------------------------------------------------------------------------------------
// Processes: the instances and Caddy.

interface Instance {
  port: number;
  process: ChildProcess;
  output: string;
}

let databaseUrl = "";
let databaseName = "";
let smtp: SmtpSink;
let hooks: { server: Server; url: string; deliveries: string[] };
let workDir = "";
let db: DatabaseHandle;
let caddy: ChildProcess | null = null;
/** The S3-compatible store all instances share for uploads (s3rver, a real S3 server in-process). */
let objectStore: S3rver | null = null;
let storageUrl = "";
const instances: (Instance | null)[] = [null, null, null];

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      if ((error as Error).message === "exited") throw new Error(`${what}: the process exited`);
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const localFilesOf = (i: number) => join(workDir, `instance-${i}-attachments`);

function startInstance(i: number): Instance {
  const port = INSTANCE_PORTS[i]!;
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      WEB_CONCURRENCY: "1",
      SEED_DEMO: "0",
      TRUST_PROXY: "loopback",
      APP_ORIGIN: PROXY,
      SMTP_URL: smtp.url,
      EMAIL_FROM: "Cohort <cohort@example.com>",
      WEBHOOK_ALLOW_HOSTS: "127.0.0.1",
      STORAGE_URL: storageUrl,
      // Each instance has its own local directory, as separate machines would: were the
      // bucket not used, a file written through one could not be served by another.
      ATTACHMENTS_DIR: localFilesOf(i),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const instance: Instance = { port, process: child, output: "" };
  child.stdout!.on("data", (chunk) => (instance.output += chunk));
  child.stderr!.on("data", (chunk) => (instance.output += chunk));
  instances[i] = instance;
  return instance;
}

async function untilHealthy(i: number): Promise<void> {
  const instance = instances[i]!;
  try {
    await waitFor(`instance on ${instance.port}`, async () => {
      if (instance.process.exitCode !== null) throw new Error("exited");
      return (await send(`${instanceUrl(i)}/healthz`)).status === 200;
    }, 150_000);
  } catch (error) {
    throw new Error(`${(error as Error).message}; it printed:\n${instance.output.slice(-3000)}`);
  }
}

async function stopInstance(i: number, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  const instance = instances[i];
  if (!instance || instance.process.exitCode !== null || instance.process.signalCode !== null) return;
  const exited = new Promise((resolve) => instance.process.once("exit", resolve));
  instance.process.kill(signal);
  await exited;
}

/** What an instance's job runs reported (server/jobs.ts logs a line per job that did something). */
function jobReports(instance: Instance): { job: string; sent?: number | string[]; delivered?: number }[] {
  return instance.output
    .split("\n")
    .filter((line) => line.startsWith("{") && line.includes('"job.done"'))
    .map((line) => JSON.parse(line) as { job: string; sent?: number | string[]; delivered?: number });
}

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function onServer(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------

// Starting an instance takes seconds on an idle machine and up to a minute on a busy one.
test.describe.configure({ mode: "serial", timeout: 300_000 });

test.describe("several instances on one PostgreSQL behind Caddy", () => {
  let world: Awaited<ReturnType<typeof buildWorld>>;
  let closing: { slug: string; members: number };
  const MODERATOR = { email: "mod-scale@example.com", password: "a long password" };
  const OUTBOX_MESSAGES = 150;
  const WEBHOOK_EVENTS = 30;

  test.beforeAll(async () => {
    test.skip(!(await postgresAnswers()), `PostgreSQL does not answer at ${SERVER_URL}: the multi-instance test needs one (set TEST_DATABASE_URL; .ci/run starts it).`);
    test.skip(!existsSync(CADDY), `No Caddy at ${CADDY}: the multi-instance test puts it in front of the instances (sudo apt-get install caddy, or set CADDY_PATH).`);
    databaseName = `cohort_scale_${randomBytes(5).toString("hex")}`;
    await onServer(`create database ${databaseName}`);
    const url = new URL(SERVER_URL);
    url.pathname = `/${databaseName}`;
    databaseUrl = url.toString();
    workDir = mkdtempSync(join(tmpdir(), "cohort-scale-"));
    // A slow mail relay, so that several instances are sending at the same moment.
    smtp = await startSmtpSink({ delayMs: 200 });
    const received: string[] = [];
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        received.push(String(req.headers["x-cohort-delivery"]));
        setTimeout(() => res.writeHead(204).end(), 100);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    hooks = { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`, deliveries: received };
    // The object store, on a port of its own, with the bucket the instances write to.
    mkdirSync(join(workDir, "s3rver"));
    objectStore = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: join(workDir, "s3rver"), configureBuckets: [{ name: "cohort-scale", configs: [] }] });
    const { port: s3Port } = await objectStore.run();
    storageUrl = `s3://S3RVER:S3RVER@cohort-scale/attachments?endpoint=${encodeURIComponent(`http://127.0.0.1:${s3Port}`)}&region=us-east-1`;
  });

  test.afterAll(async () => {
    for (let i = 0; i < instances.length; i++) await stopInstance(i, "SIGKILL");
    if (caddy && caddy.exitCode === null) {
      const exited = new Promise((resolve) => caddy!.once("exit", resolve));
      caddy.kill("SIGTERM");
      await exited;
    }
    await db?.close();
    await smtp?.close();
    await new Promise((resolve) => (hooks ? hooks.server.close(resolve) : resolve(undefined)));
    await objectStore?.close();
    if (databaseName) await onServer(`drop database if exists ${databaseName} with (force)`);
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  test("three instances starting at once on an empty database apply each migration once", async () => {
    for (let i = 0; i < 3; i++) startInstance(i);
    await Promise.all([0, 1, 2].map(untilHealthy));
    db = openPostgres(databaseUrl, { max: 4 });
    const recorded = await sql<{ name: string; n: number }>`select name, count(*)::int as n from kysely_migration group by name`.execute(db.db);
    expect(recorded.rows.length).toBe(Object.keys(migrations).length);
    expect(recorded.rows.every((r) => r.n === 1)).toBe(true);
    // Exactly one of them applied anything; the others waited on the lock and found it done.
    const appliers = instances.filter((instance) => /Applied \d+ migration/.test(instance!.output));
    expect(appliers.length).toBe(1);
    for (let i = 0; i < 3; i++) await stopInstance(i);
  });

  test("set-up: a community, work for the minute jobs, then the instances and Caddy", async () => {
    world = await buildWorld(db.db, { members: 12, slug: "scale" });
    const moderatorRow = await db.db.selectFrom("users").select("id").where("email", "=", MODERATOR.email).executeTakeFirstOrThrow();
    const moderator = { id: moderatorRow.id, role: "moderator" as const };
    const { userId: adminId } = await createAccount(db.db, { email: "admin-scale@example.com", displayName: "Scale Admin", password: "a long password", role: "admin" });

    // A community closing tomorrow: its "closes soon" reminder is due at once.
    await createCommunity(db.db, moderator, { name: "Closing soon", slug: "closing", purpose: "A community in its last day, for the reminder job.", timeZone: "UTC", startsAt: toLocalInput(now() - 2 * DAY, "UTC"), endsAt: toLocalInput(now() + 24 * HOUR, "UTC") });
    await publishCommunity(db.db, moderator, "closing");
    const { community } = await getCommunityForActor(db.db, moderator, "closing");
    for (const member of world.members) await addMember(db.db, { communityId: community.id, userId: member.id, role: "participant", datesConfirmedAt: 1 });
    const memberships = await db.db.selectFrom("memberships").select((eb) => eb.fn.countAll<number>().as("n")).where("community_id", "=", community.id).executeTakeFirstOrThrow();
    closing = { slug: "closing", members: Number(memberships.n) };

    // Digest material: a prompt notification (a digest kind by default) for every member.
    await db.db
      .insertInto("notifications")
      .values(world.members.map((m) => ({ id: newId(), user_id: m.id, kind: "prompt.new" as const, title: "A new prompt", body: null, link: "/c/scale", created_at: now() - HOUR, read_at: null })))
      .execute();
    // Plain outbox mail and webhook deliveries.
    await queueEmails(db.db, Array.from({ length: OUTBOX_MESSAGES }, (_, i) => ({ to: `reader-${i}@example.com`, subject: `Scale message ${i}`, text: "Hello.", html: "<p>Hello.</p>" })));
    await createWebhook(db.db, { id: adminId, role: "admin" }, { url: hooks.url, events: ["suggestion.created"] }, { allowHosts: ["127.0.0.1"] });
    for (let i = 0; i < WEBHOOK_EVENTS; i++) await enqueueWebhookEvent(db.db, "suggestion.created", { n: i });

    for (let i = 0; i < 3; i++) startInstance(i);
    const proxy = spawn(CADDY, ["run", "--config", "deploy/Caddyfile", "--adapter", "caddyfile"], {
      env: {
        PATH: process.env.PATH,
        HOME: workDir,
        XDG_DATA_HOME: join(workDir, "data"),
        XDG_CONFIG_HOME: join(workDir, "config"),
        COHORT_SITE: `:${PROXY_PORT}`,
        COHORT_UPSTREAMS: INSTANCE_PORTS.map((p) => `127.0.0.1:${p}`).join(" "),
        CADDY_ADMIN: "off",
        NODE_ENV: "production",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    caddy = proxy;
    let caddyLog = "";
    proxy.stderr!.on("data", (chunk) => (caddyLog = (caddyLog + chunk).slice(-4000)));
    await Promise.all([0, 1, 2].map(untilHealthy));
    await waitFor("Caddy", async () => (await send(`${PROXY}/healthz`)).status === 200, 30_000).catch((error) => {
      throw new Error(`${(error as Error).message}\n${caddyLog}`);
    });
  });

  test("the minute jobs run on every instance and send each message exactly once", async () => {
    const digestsDue = new Date(now()).getUTCHours() >= DIGEST_HOUR_UTC;
    const pending = async () => {
      const [outbox, webhooks, reminders] = await Promise.all([
        db.db.selectFrom("outbox").select((eb) => eb.fn.countAll<number>().as("n")).where("sent_at", "is", null).executeTakeFirstOrThrow(),
        db.db.selectFrom("webhook_deliveries").select((eb) => eb.fn.countAll<number>().as("n")).where("delivered_at", "is", null).executeTakeFirstOrThrow(),
        db.db.selectFrom("time_box_reminders").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
      ]);
      return { outbox: Number(outbox.n), webhooks: Number(webhooks.n), reminders: Number(reminders.n) };
    };
    // The instances' first runs come 5–15 s after they start, then every minute.
    await waitFor("the minute jobs", async () => {
      const left = await pending();
      return left.outbox === 0 && left.webhooks === 0 && left.reminders > 0;
    }, 150_000);
    // Anything sent twice would arrive within a few more seconds.
    await new Promise((resolve) => setTimeout(resolve, 3000));

    // Email: every outbox row sent, and each received once.
    const rows = await db.db.selectFrom("outbox").select(["to_address", "subject"]).execute();
    const key = (m: { to: string; subject: string }) => `${m.to}|${m.subject}`;
    expect(smtp.received.map(key).sort()).toEqual(rows.map((r) => key({ to: r.to_address, subject: r.subject })).sort());
    expect(rows.length).toBeGreaterThanOrEqual(OUTBOX_MESSAGES + closing.members + (digestsDue ? world.members.length : 0));

    // Reminders: one claim for the closing community, one notification per member.
    const reminders = await db.db.selectFrom("time_box_reminders").selectAll().execute();
    expect(reminders.map((r) => r.kind)).toEqual(["closes-soon"]);
    const reminded = await db.db.selectFrom("notifications").select((eb) => eb.fn.countAll<number>().as("n")).where("kind", "=", "community.reminder").executeTakeFirstOrThrow();
    expect(Number(reminded.n)).toBe(closing.members);

    // Digests: one per member and day (only from 07:00 UTC, when digests go out).
    const digests = await db.db.selectFrom("digests").selectAll().execute();
    if (digestsDue) expect(digests.length).toBeGreaterThanOrEqual(world.members.length);
    else expect(digests.length).toBe(0);
    expect(smtp.received.filter((m) => m.subject.startsWith("Your Cohort digest")).length).toBe(digests.length);

    // Webhooks: every delivery posted once.
    expect(hooks.deliveries.length).toBe(WEBHOOK_EVENTS);
    expect(new Set(hooks.deliveries).size).toBe(WEBHOOK_EVENTS);

    // Every instance ran the jobs: the work was shared, and the shares add up.
    const reports = instances.map((instance) => jobReports(instance!));
    const emailed = reports.map((r) => r.filter((x) => x.job === "email").reduce((sum, x) => sum + Number(x.sent ?? 0), 0));
    expect(emailed.reduce((a, b) => a + b, 0)).toBe(rows.length);
    expect(emailed.filter((n) => n > 0).length, `emails sent per instance: ${emailed.join(", ")}`).toBeGreaterThanOrEqual(2);
    test.info().annotations.push({ type: "emails per instance", description: emailed.join(", ") });
  });

  test("a session made through one instance works on every other, and signing out on one ends it on all", async () => {
    const moderatorId = (await db.db.selectFrom("users").select("id").where("email", "=", MODERATOR.email).executeTakeFirstOrThrow()).id;
    const sessions = () => db.db.selectFrom("sessions").select((eb) => eb.fn.countAll<number>().as("n")).where("user_id", "=", moderatorId).executeTakeFirstOrThrow().then((r) => Number(r.n));
    expect(await sessions()).toBe(0);

    const signIn = await send(`${instanceUrl(0)}/login`, { form: { email: MODERATOR.email, password: MODERATOR.password } });
    expect(signIn.status).toBe(302);
    const cookie = cookieOf(signIn)!;
    expect(cookie).toBeTruthy();
    expect(await sessions()).toBe(1);
    for (let i = 0; i < 3; i++) {
      const page = await send(`${instanceUrl(i)}/account`, { headers: { Cookie: cookie } });
      expect(page.status, `instance ${INSTANCE_PORTS[i]}`).toBe(200);
      expect(page.body).toContain("Load Moderator");
    }

    const signOut = await send(`${instanceUrl(1)}/logout`, { method: "POST", form: {}, headers: { Cookie: cookie } });
    expect(signOut.status).toBe(302);
    expect(await sessions()).toBe(0);
    for (let i = 0; i < 3; i++) {
      const page = await send(`${instanceUrl(i)}/account`, { headers: { Cookie: cookie } });
      expect(page.status, `instance ${INSTANCE_PORTS[i]} after sign-out`).toBe(302);
      expect(String(page.headers.location)).toContain("/login");
    }
  });

  test("sign-in limits hold across instances under parallel attempts, counted against the address Caddy forwards", async () => {
    const guess = (url: string, email: string, options: { from?: string; headers?: Record<string, string> }) =>
      send(`${url}/login`, { form: { email, password: "not the password" }, ...options });

    // Through Caddy (round robin over the three): the client claims another address; Caddy
    // replaces the header with the address the client really connects from.
    const viaProxy = await Promise.all(Array.from({ length: 15 }, () => guess(PROXY, "load-scale-0@example.com", { from: CLIENT_A, headers: { "X-Forwarded-For": SPOOFED } })));
    // Straight to the instances in turn, as a proxy in front of them would send it.
    const direct = await Promise.all(Array.from({ length: 15 }, (_, i) => guess(instanceUrl(i % 3), "load-scale-1@example.com", { headers: { "X-Forwarded-For": CLIENT_B } })));

    for (const [statuses, label] of [[viaProxy, "through Caddy"], [direct, "spread over the instances"]] as const) {
      const counts = statuses.reduce<Record<number, number>>((acc, a) => ({ ...acc, [a.status]: (acc[a.status] ?? 0) + 1 }), {});
      expect(counts, label).toEqual({ 400: 5, 429: 10 });
    }

    const events = await db.db
      .selectFrom("security_events")
      .select(["subject", "kind", "client_address"])
      .where("subject", "in", ["load-scale-0@example.com", "load-scale-1@example.com"])
      .execute();
    const tally = (subject: string, kind: string) => events.filter((e) => e.subject === subject && e.kind === kind).length;
    expect(tally("load-scale-0@example.com", "sign-in.failure")).toBe(5);
    expect(tally("load-scale-0@example.com", "sign-in.throttled")).toBe(10);
    expect(tally("load-scale-1@example.com", "sign-in.failure")).toBe(5);
    expect(new Set(events.filter((e) => e.subject === "load-scale-0@example.com").map((e) => e.client_address))).toEqual(new Set([CLIENT_A]));
    expect(new Set(events.filter((e) => e.subject === "load-scale-1@example.com").map((e) => e.client_address))).toEqual(new Set([CLIENT_B]));
    const buckets = await db.db.selectFrom("rate_limits").select(["bucket", "hits"]).where("bucket", "like", "sign-in:pair:%").execute();
    expect(buckets.find((b) => b.bucket === `sign-in:pair:load-scale-0@example.com|${CLIENT_A}`)?.hits).toBe(5);
    expect(buckets.some((b) => b.bucket.includes(SPOOFED))).toBe(false);
  });

  test("posting limits hold across instances: parallel replies from one member spread over the instances", async () => {
    const member = world.members[2]!;
    const attempts = await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        send(`${instanceUrl(i % 3)}/c/scale/t/${world.threadId}`, { form: { intent: "reply", body: `Parallel reply ${i}` }, headers: { Cookie: member.cookie } }),
      ),
    );
    const statuses = attempts.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 429).length).toBe(8);
    expect(statuses.filter((s) => s < 400).length).toBe(1);
    const replies = await db.db.selectFrom("replies").select((eb) => eb.fn.countAll<number>().as("n")).where("thread_id", "=", world.threadId).where("author_id", "=", member.id).executeTakeFirstOrThrow();
    expect(Number(replies.n)).toBe(1);
  });

  test("an image uploaded through one instance is served by the others from the shared store, to readers of its post only", async () => {
    const uploader = world.members[3]!;
    const reader = world.members[4]!;
    // A member of another community only.
    const { userId: moderatorId } = await db.db.selectFrom("users").select("id as userId").where("email", "=", MODERATOR.email).executeTakeFirstOrThrow();
    await createCommunity(db.db, { id: moderatorId, role: "moderator" }, { name: "Elsewhere", slug: "elsewhere", purpose: "Another community, whose members read nothing of scale.", timeZone: "UTC", startsAt: toLocalInput(now() - DAY, "UTC"), endsAt: toLocalInput(now() + 7 * DAY, "UTC") });
    await publishCommunity(db.db, { id: moderatorId, role: "moderator" }, "elsewhere");
    const { community: elsewhere } = await getCommunityForActor(db.db, { id: moderatorId, role: "moderator" }, "elsewhere");
    const { userId: outsiderId } = await createAccount(db.db, { email: "outsider-scale@example.com", displayName: "Outsider", password: "a long password", role: "member" });
    await addMember(db.db, { communityId: elsewhere.id, userId: outsiderId, role: "participant", datesConfirmedAt: 1 });
    const outsider = `${SESSION_COOKIE}=${await createSession(db.db, outsiderId)}`;

    // Uploaded ahead of its post (the JavaScript path) straight to the first instance.
    const picture = await sharp({ create: { width: 1200, height: 800, channels: 3, background: "#2a7f62" } })
      .composite([{ input: await sharp({ create: { width: 300, height: 200, channels: 3, background: "#f4d35e" } }).png().toBuffer(), left: 100, top: 100 }])
      .png()
      .toBuffer();
    const upload = await send(`${instanceUrl(0)}/c/scale/attachments`, { raw: multipart({}, { image: { name: "desk.png", type: "image/png", bytes: picture } }), headers: { Cookie: uploader.cookie } });
    expect(upload.status, upload.body).toBe(200);
    const imageId = (JSON.parse(upload.body) as { image: { id: string } }).image.id;
    const rowsOf = () => db.db.selectFrom("attachments").selectAll().where("owner_id", "=", uploader.id).execute();
    const pending = await rowsOf();
    expect(pending.map((r) => [r.id, r.post_id])).toEqual([[imageId, null]]);

    const fetchImage = (url: string, variant: "full" | "thumb", cookie: string) => send(`${url}/attachments/${imageId}/${variant}`, { headers: { Cookie: cookie } });
    // Pending, another instance serves it to its uploader only.
    expect((await fetchImage(instanceUrl(2), "full", uploader.cookie)).status).toBe(200);
    expect((await fetchImage(instanceUrl(2), "full", reader.cookie)).status).toBe(404);

    // The reply that takes it goes through the second instance.
    const reply = await send(`${instanceUrl(1)}/c/scale/t/${world.threadId}`, {
      form: { intent: "reply", body: "My desk, as asked.", attachment: imageId, [`alt-${imageId}`]: "A green desk with a yellow notepad" },
      headers: { Cookie: uploader.cookie },
    });
    expect(reply.status, reply.body).toBe(302);
    const replyRow = await db.db.selectFrom("replies").select("id").where("thread_id", "=", world.threadId).where("author_id", "=", uploader.id).executeTakeFirstOrThrow();
    const [row, ...others] = await rowsOf();
    expect(others).toEqual([]);
    expect(row).toMatchObject({ id: imageId, post_kind: "reply", post_id: replyRow.id, thread_id: world.threadId, alt: "A green desk with a yellow notepad", width: 1200, height: 800 });

    // The files are in the bucket, and in no instance's own directory.
    const bucket = s3Storage(parseStorageUrl(storageUrl));
    const stored = { full: await bucket.get(`${imageId}.full`), thumb: await bucket.get(`${imageId}.thumb`) };
    expect(stored.full?.size).toBe(row!.bytes);
    expect(stored.thumb?.size).toBeGreaterThan(0);
    const storedBytes = { full: Buffer.from(await new Response(stored.full!.body).arrayBuffer()), thumb: Buffer.from(await new Response(stored.thumb!.body).arrayBuffer()) };
    for (let i = 0; i < 3; i++) expect(existsSync(localFilesOf(i)) ? readdirSync(localFilesOf(i), { recursive: true }) : [], `instance ${INSTANCE_PORTS[i]}'s own directory`).toEqual([]);

    // Served by the instances that did not write it, and through the proxy, asked several times so its round robin reaches each instance.
    const servers = [
      { label: `instance ${INSTANCE_PORTS[1]}`, url: instanceUrl(1), times: 1 },
      { label: `instance ${INSTANCE_PORTS[2]}`, url: instanceUrl(2), times: 1 },
      { label: "the proxy", url: PROXY, times: 3 },
    ];
    for (const { label, url, times } of servers) {
      for (let n = 0; n < times; n++) {
        for (const variant of ["full", "thumb"] as const) {
          const answer = await fetchImage(url, variant, reader.cookie);
          expect(answer.status, `${variant} from ${label}`).toBe(200);
          expect(answer.headers["content-type"], `${variant} from ${label}`).toBe(variant === "full" ? row!.content_type : "image/webp");
          expect(answer.bytes.length, `${variant} from ${label}`).toBe(variant === "full" ? row!.bytes : storedBytes.thumb.length);
          expect(answer.bytes.equals(storedBytes[variant]), `${variant} from ${label}: the stored bytes`).toBe(true);
        }
        // Another community's member: the same 404 as for an image that never existed.
        expect((await fetchImage(url, "full", outsider)).status, `outsider from ${label}`).toBe(404);
        expect((await fetchImage(url, "thumb", outsider)).status, `outsider from ${label}`).toBe(404);
      }
    }
    expect(row!.content_type).toMatch(/^image\//);
    expect(await db.db.selectFrom("attachments").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow().then((r) => Number(r.n))).toBe(1);
  });

  test("a journey in the browser through the proxy's address", async ({ page }) => {
    await page.goto(`${PROXY}/login`);
    await page.getByLabel("Email").fill("load-scale-5@example.com");
    await page.getByLabel("Password", { exact: true }).fill("a long password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).not.toHaveURL(/\/login/);
    await page.goto(`${PROXY}/c/scale/t/${world.threadId}`);
    await page.getByLabel("Your reply").fill("Written through the proxy.");
    await page.getByRole("button", { name: "Post reply" }).click();
    // The page shows a pending copy while the post is on its way; the button comes back when the server has answered.
    await expect(page.getByRole("button", { name: "Post reply" })).toBeEnabled();
    await expect(page.getByText("Written through the proxy.")).toBeVisible();
    const stored = () => db.db.selectFrom("replies").select("body_markdown").where("thread_id", "=", world.threadId).where("author_id", "=", world.members[5]!.id).execute();
    await expect.poll(async () => (await stored()).map((r) => r.body_markdown)).toEqual(["Written through the proxy."]);
  });

  test("an instance killed under mixed load: the proxy routes around it, no acknowledged write is lost, and it rejoins", async () => {
    const pairs = world.members.flatMap((member) => world.ideas.map((idea) => ({ member, idea })));
    // One vote kept for after the restart (someone else's idea).
    const last = pairs.splice(pairs.findIndex((p) => p.member === world.members[11] && p.idea === world.ideas[0]), 1)[0]!;
    const acknowledged: { user: string; idea: string }[] = [];
    const outcomes: { at: number; ok: boolean }[] = [];
    let stop = false;
    const worker = async (n: number) => {
      for (let i = 0; !stop; i++) {
        const started = Date.now();
        try {
          if (i % 2 === 0 && pairs.length) {
            const { member, idea } = pairs.shift()!;
            const answer = await send(`${PROXY}/c/scale/ideas`, { form: { intent: "vote", ideaId: idea, via: "js" }, headers: { Cookie: member.cookie } });
            if (answer.status === 200) acknowledged.push({ user: member.id, idea });
            // Served means answered by an instance: the proxy's own failures are 502-504.
            outcomes.push({ at: started, ok: answer.status < 500 });
          } else {
            const member = world.members[n % world.members.length]!;
            const answer = await send(`${PROXY}/c/scale${i % 4 === 1 ? "/ideas" : ""}`, { headers: { Cookie: member.cookie } });
            outcomes.push({ at: started, ok: answer.status === 200 });
          }
        } catch {
          outcomes.push({ at: started, ok: false });
        }
      }
    };
    const workers = Array.from({ length: 6 }, (_, n) => worker(n));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const killedAt = Date.now();
    await stopInstance(2, "SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 8000));
    stop = true;
    await Promise.all(workers);

    // Requests that began once the proxy had seen the instance go (its retries and health
    // checks) all succeeded; only those in flight at the kill may have failed.
    const settled = outcomes.filter((o) => o.at >= killedAt + 3000);
    expect(settled.length).toBeGreaterThan(20);
    expect(settled.filter((o) => !o.ok).length).toBe(0);
    test.info().annotations.push({ type: "requests failed around the kill", description: String(outcomes.filter((o) => !o.ok).length) });

    const votes = await db.db.selectFrom("votes").select(["user_id", "idea_id"]).execute();
    const stored = new Set(votes.map((v) => `${v.user_id}|${v.idea_id}`));
    expect(acknowledged.length).toBeGreaterThan(10);
    expect(acknowledged.filter((a) => !stored.has(`${a.user}|${a.idea}`))).toEqual([]);

    // Restarted, it rejoins: with the other two stopped, the proxy serves everything through it.
    startInstance(2);
    await untilHealthy(2);
    await stopInstance(0);
    await stopInstance(1);
    const member = world.members[0]!;
    await waitFor("the proxy to route to the restarted instance", async () => (await send(`${PROXY}/c/scale`, { headers: { Cookie: member.cookie } })).status === 200, 30_000);
    const answer = await send(`${PROXY}/c/scale/ideas`, { form: { intent: "vote", ideaId: last.idea, via: "js" }, headers: { Cookie: last.member.cookie } });
    expect(answer.status).toBe(200);
    const vote = await db.db.selectFrom("votes").select("user_id").where("user_id", "=", last.member.id).where("idea_id", "=", last.idea).execute();
    expect(vote.length).toBe(1);
  });
});
