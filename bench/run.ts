/**
 * `npm run bench`: the production server (both cores) against a million-post database and a
 * thousand-post one, loaded with autocannon at 50 connections. For each page: requests per
 * second, p50 and p99 latency, errors, and the ratio to a bare node:http server sending the
 * same bytes in the same run; then growth with data size, the thread page's compressed
 * JavaScript, and one line per budget of ../shared/quality.md saying met or not.
 *
 * It also loads /healthz, a resource route that renders nothing and runs one query: the
 * floor of this stack (Express, Remix's request handling, session-less) on this machine,
 * against which the page budgets can be judged.
 *
 * BENCH_POSTS (default 1000000) and BENCH_SECONDS (default 10) change the run; with
 * BENCH_POSTGRES=postgres://user@host:port it runs on PostgreSQL (databases scale and
 * scale_small, created and seeded on first use) instead of SQLite files in data/.
 */
import autocannon from "autocannon";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import pg from "pg";

const POSTS = Number(process.env.BENCH_POSTS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const PORT = 3600;
const BASE = `http://127.0.0.1:${PORT}`;

interface Fixture {
  engine: string;
  database: string;
  password: string;
  participant: string;
  reviewer: string;
  community: string;
  thread: string;
  idea: string;
}

/** With BENCH_POSTGRES (a server URL such as postgres://postgres@127.0.0.1:5432), the run uses PostgreSQL. */
const POSTGRES = process.env.BENCH_POSTGRES?.replace(/\/$/, "");
const ENGINE = POSTGRES ? "postgres" : "sqlite";

async function ensureDatabase(posts: number, name: string): Promise<Fixture> {
  const fixture = `bench/.data/fixture-${ENGINE}-${posts}.json`;
  const database = POSTGRES ? `${POSTGRES}/${name.replace(/-/g, "_")}` : `data/${name}.db`;
  const seeded = existsSync(fixture) && (JSON.parse(readFileSync(fixture, "utf8")) as Fixture).database === database;
  if (!seeded || (!POSTGRES && !existsSync(database))) {
    console.log(`Seeding ${posts.toLocaleString("en")} posts into ${database} (once; kept for later runs)…`);
    if (POSTGRES) {
      const client = new pg.Client({ connectionString: `${POSTGRES}/postgres` });
      await client.connect();
      await client.query(`drop database if exists ${name.replace(/-/g, "_")}`);
      await client.query(`create database ${name.replace(/-/g, "_")}`);
      await client.end();
    } else {
      for (const suffix of ["", "-wal", "-shm"]) rmSync(`${database}${suffix}`, { force: true });
    }
    const run = spawnSync(process.execPath, ["--import", "tsx", "db/seed-scale.ts", "--posts", String(posts), "--database", database], { stdio: "inherit" });
    if (run.status !== 0) throw new Error("seed:scale failed");
  }
  return JSON.parse(readFileSync(fixture, "utf8")) as Fixture;
}

async function startServer(database: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(PORT), DATABASE_URL: database, WEB_CONCURRENCY: "2", SEED_DEMO: "0" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) return child;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("The server did not start.");
}

async function stopServer(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

async function signIn(email: string, password: string): Promise<string> {
  const response = await fetch(`${BASE}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: BASE, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password }),
  });
  const cookie = response.headers.get("set-cookie");
  if (response.status !== 302 || !cookie) throw new Error(`Could not sign in ${email} (${response.status}).`);
  return cookie.split(";")[0]!;
}

interface Measure {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(url: string, options: { cookie?: string; requests?: autocannon.Request[] } = {}): Promise<Measure> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: options.cookie ? { cookie: options.cookie, origin: BASE } : {},
    requests: options.requests,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/** A bare node:http server answering every request with these bytes: the ceiling for this machine today. */
async function bare(body: Buffer, contentType: string): Promise<Measure> {
  const server = createServer((_, res) => {
    res.writeHead(200, { "Content-Type": contentType, "Content-Length": body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const measure = await load(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  server.close();
  return measure;
}

async function javascriptOf(path: string, cookie: string): Promise<number> {
  const html = await (await fetch(`${BASE}${path}`, { headers: { cookie } })).text();
  const sources = new Set([...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!));
  let total = 0;
  for (const source of sources) total += gzipSync(Buffer.from(await (await fetch(`${BASE}${source}`)).arrayBuffer())).length;
  return total;
}

interface PageSpec {
  name: string;
  path: string;
  who: "participant" | "reviewer";
  vote?: boolean;
  /** Not a page with a budget: the stack's floor. */
  floor?: boolean;
}

async function measurePages(fixture: Fixture, withBare: boolean) {
  const cookies = { participant: await signIn(fixture.participant, fixture.password), reviewer: await signIn(fixture.reviewer, fixture.password) };
  const pages: PageSpec[] = [
    { name: "signed-in home", path: "/", who: "participant" },
    { name: "community page", path: `/c/${fixture.community}`, who: "participant" },
    { name: "thread page (50 replies)", path: `/c/${fixture.community}/t/${fixture.thread}`, who: "participant" },
    { name: "idea list", path: `/c/${fixture.community}/ideas`, who: "participant" },
    { name: "suggestion board", path: "/suggestions", who: "reviewer" },
    { name: "casting a vote", path: `/c/${fixture.community}/ideas`, who: "participant", vote: true },
    { name: "floor: /healthz", path: "/healthz", who: "participant", floor: true },
  ];
  const results: (PageSpec & Measure & { bare?: Measure })[] = [];
  for (const page of pages) {
    const cookie = cookies[page.who];
    if (page.vote) {
      const form = (intent: string) => new URLSearchParams({ intent, ideaId: fixture.idea, via: "js" }).toString();
      // As the vote button sends it with JavaScript: Remix's data request for the route's action.
      const action = `${page.path}.data`;
      const requests: autocannon.Request[] = [
        { method: "POST", path: action, headers: { "content-type": "application/x-www-form-urlencoded", cookie, origin: BASE }, body: form("vote") },
        { method: "POST", path: action, headers: { "content-type": "application/x-www-form-urlencoded", cookie, origin: BASE }, body: form("unvote") },
      ];
      const measure = await load(`${BASE}${action}`, { cookie, requests });
      const sample = await fetch(`${BASE}${action}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", cookie, origin: BASE }, body: form("vote") });
      if (sample.status !== 200) throw new Error(`${page.name}: ${sample.status}`);
      const body = Buffer.from(await sample.arrayBuffer());
      results.push({ ...page, ...measure, bare: withBare ? await bare(body, sample.headers.get("content-type") ?? "text/x-script") : undefined });
      continue;
    }
    const response = await fetch(`${BASE}${page.path}`, { headers: { cookie } });
    if (response.status !== 200) throw new Error(`${page.name}: ${response.status}`);
    const body = Buffer.from(await response.arrayBuffer());
    const measure = await load(`${BASE}${page.path}`, { cookie });
    results.push({ ...page, ...measure, bare: withBare ? await bare(body, response.headers.get("content-type") ?? "text/html") : undefined });
  }
  const javascript = await javascriptOf(`/c/${fixture.community}/t/${fixture.thread}`, cookies.participant);
  return { results, javascript };
}

const pad = (value: string | number, width: number) => String(value).padStart(width);

async function main() {
  const big = await ensureDatabase(POSTS, "scale");
  const small = await ensureDatabase(1000, "scale-small");
  console.log(`\nCohort benchmark: ${CONNECTIONS} connections, ${SECONDS} s per page, production build, 2 worker processes.\n`);

  let server = await startServer(big.database);
  const large = await measurePages(big, true);
  await stopServer(server);
  server = await startServer(small.database);
  const little = await measurePages(small, false);
  await stopServer(server);

  console.log(`Against ${POSTS.toLocaleString("en")} posts (${POSTGRES ? "PostgreSQL" : "SQLite"}):`);
  console.log(`${"page".padEnd(26)}${pad("req/s", 9)}${pad("p50 ms", 8)}${pad("p99 ms", 8)}${pad("errors", 8)}${pad("bare req/s", 12)}${pad("ratio", 7)}${pad("small p50", 11)}${pad("growth", 8)}`);
  const rows = large.results.map((r, i) => {
    const s = little.results[i]!;
    const growth = s.p50 > 0 ? r.p50 / s.p50 : 1;
    console.log(
      `${r.name.padEnd(26)}${pad(Math.round(r.rps), 9)}${pad(r.p50, 8)}${pad(r.p99, 8)}${pad(r.errors, 8)}${pad(Math.round(r.bare!.rps), 12)}${pad((r.rps / r.bare!.rps).toFixed(2), 7)}${pad(s.p50, 11)}${pad(`${growth.toFixed(2)}×`, 8)}`,
    );
    return { ...r, growth, smallP50: s.p50 };
  });
  console.log(`\nJavaScript on the thread page: ${(large.javascript / 1024).toFixed(1)} KB compressed (gzip).\n`);

  const byName = (name: string) => rows.find((r) => r.name === name)!;
  const lines: [string, boolean, string][] = [];
  for (const name of ["thread page (50 replies)", "community page", "suggestion board"]) {
    const r = byName(name);
    lines.push([`${name}: at least 1,000 req/s with p99 under 100 ms`, r.rps >= 1000 && r.p99 < 100, `${Math.round(r.rps)} req/s, p99 ${r.p99} ms`]);
  }
  const vote = byName("casting a vote");
  lines.push(["casting a vote: at least 2,000 per second", vote.rps >= 2000, `${Math.round(vote.rps)} per second`]);
  const pages = rows.filter((r) => !r.floor);
  const worst = pages.reduce((a, b) => (b.growth > a.growth ? b : a));
  lines.push(["page cost does not grow with data: p50 within 1.5× of a thousand-post database", pages.every((r) => r.growth <= 1.5), `worst ${worst.name}, ${worst.growth.toFixed(2)}×`]);
  lines.push(["thread page JavaScript under 150 KB compressed", large.javascript < 150 * 1024, `${(large.javascript / 1024).toFixed(1)} KB`]);
  lines.push(["no errors under load", rows.every((r) => r.errors === 0), `${rows.reduce((n, r) => n + r.errors, 0)} errors`]);
  for (const [budget, met, figure] of lines) console.log(`${met ? "MET    " : "NOT MET"}  ${budget} (${figure})`);
  const floor = byName("floor: /healthz");
  console.log(
    `\nThe stack's floor on this machine today: ${Math.round(floor.rps)} req/s (p99 ${floor.p99} ms) for a route that renders nothing; no page can be faster. See docs/decisions/012-performance-budgets.md.`,
  );
}

await main();
