/**
 * `npm run bench`: Cohort measured against references in the same run (quality.md's
 * performance budgets are ratios, because absolute figures on shared machines move).
 *
 * Servers, each in its own processes, all started before measuring:
 * - Cohort (the production build, WEB_CONCURRENCY workers) on a million-post database and
 *   on a thousand-post one of the same shape (for growth with data);
 * - a minimal Remix app (bench/reference: the same Remix, React, future flags and document
 *   strategy, served by Remix's Express adapter as remix-serve does), built now into
 *   bench/.data/reference; its page renders 50 posts sized to match each Cohort page's HTML,
 *   it has an empty resource route, and an action that reads a vote's form and writes
 *   nothing (the least a vote through Remix's data request can cost, reported beside the
 *   vote's budget);
 * - a bare node:http server sending Cohort's thread-page bytes (bench/reference/bare.ts).
 * With BENCH_POSTGRES=postgres://user@host:port the same Cohort pair also runs on PostgreSQL
 * (databases scale and scale_small, seeded on first use), reported beside SQLite. With
 * BENCH_BEFORE=<another checkout of Cohort>, that version is measured too (same database),
 * for before/after figures from one run; one way to make such a checkout:
 *   mkdir -p bench/.data/before && git archive <commit> | tar -x -C bench/.data/before &&
 *   ln -s "$PWD/node_modules" bench/.data/before/node_modules
 *
 * Every server is warmed up (BENCH_WARMUP seconds, default 40: a fresh V8 needs about that
 * to reach steady state), then the targets are measured in BENCH_ROUNDS paired rounds
 * (default 5) of BENCH_SECONDS each (default 10), alternating their order from round to
 * round; ratios are taken within a round and the medians reported. CPU milliseconds per
 * request come from the server processes' CPU time (/proc), not from wall time.
 * BENCH_POSTS (default 1000000) sets the large database; BENCH_PORT (default 3600) the
 * first of the ports used; BENCH_ONLY=thread,floor measures only those groups (thread,
 * images, community, board, home, ideas, vote, floor) for a quick look while working; budgets
 * whose targets were left out are not judged.
 *
 * The thread page is measured twice in the same run: the benchmark thread as text ("thread"),
 * and the same thread with images on five of its replies ("images", stored by seed:scale
 * through the attachments use case); each is judged against the minimal Remix page of its
 * own size, and the report gives the one's rate and CPU as a ratio of the other's.
 */
import autocannon from "autocannon";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { gzipSync } from "node:zlib";
import pg from "pg";
import { SCALE_SHAPE } from "../db/scale-shape.ts";

const POSTS = Number(process.env.BENCH_POSTS ?? 1_000_000);
// The growth budget compares the large database with a thousand-post one, and the two would
// share their fixture and image files if they were the same size.
if (!(POSTS > 1000)) throw new Error(`BENCH_POSTS must be more than 1,000 (the small database's size); it is ${process.env.BENCH_POSTS}.`);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 40);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const FIRST_PORT = Number(process.env.BENCH_PORT ?? 3600);
// BENCH_CONNECTIONS only for quick looks on a crowded machine: the budgets are judged at 50.
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const POSTGRES = process.env.BENCH_POSTGRES?.replace(/\/$/, "");
const BEFORE = process.env.BENCH_BEFORE ? resolve(process.env.BENCH_BEFORE) : undefined;
const REFERENCE_BUILD = resolve("bench/.data/reference");
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(",").map((s) => s.trim())) : null;
const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"]).stdout?.toString().trim() || 100);

interface Fixture {
  shape?: number;
  engine: string;
  database: string;
  password: string;
  participant: string;
  reviewer: string;
  community: string;
  thread: string;
  /** The same thread with images on some replies, and the directory their files are in. */
  imageThread: string;
  attachments: string;
  idea: string;
}

type Engine = "sqlite" | "postgres";

async function ensureDatabase(engine: Engine, posts: number, name: string): Promise<Fixture> {
  const fixture = `bench/.data/fixture-${engine}-${posts}.json`;
  const database = engine === "postgres" ? `${POSTGRES}/${name.replace(/-/g, "_")}` : `data/${name}.db`;
  const known = existsSync(fixture) ? (JSON.parse(readFileSync(fixture, "utf8")) as Fixture) : null;
  // A database seeded with an older shape (db/scale-shape.ts) is seeded again.
  const seeded = known?.database === database && known.shape === SCALE_SHAPE && existsSync(known.attachments);
  if (!seeded || (engine === "sqlite" && !existsSync(database))) {
    console.log(`Seeding ${posts.toLocaleString("en")} posts into ${database} (once; kept for later runs)…`);
    if (engine === "postgres") {
      const client = new pg.Client({ connectionString: `${POSTGRES}/postgres` });
      await client.connect();
      await client.query(`drop database if exists ${name.replace(/-/g, "_")}`);
      await client.query(`create database ${name.replace(/-/g, "_")}`);
      await client.end();
    } else {
      mkdirSync("data", { recursive: true });
      for (const suffix of ["", "-wal", "-shm"]) rmSync(`${database}${suffix}`, { force: true });
    }
    const attachments = `bench/.data/attachments-${engine}-${posts}`;
    const run = spawnSync(process.execPath, ["--import", "tsx", "db/seed-scale.ts", "--posts", String(posts), "--database", database, "--attachments", attachments], { stdio: "inherit" });
    if (run.status !== 0) throw new Error("seed:scale failed");
  }
  return JSON.parse(readFileSync(fixture, "utf8")) as Fixture;
}

// ---------------------------------------------------------------------------------------
// Servers and their CPU time

interface Server {
  name: string;
  base: string;
  child: ChildProcess;
}

let nextPort = FIRST_PORT;
const servers: Server[] = [];

async function start(name: string, args: string[], env: Record<string, string>, cwd = process.cwd(), ready = "/"): Promise<Server> {
  const port = nextPort++;
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", WEB_CONCURRENCY: String(WORKERS), ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const server = { name, base: `http://127.0.0.1:${port}`, child };
  servers.push(server);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} stopped while starting (exit ${child.exitCode}).`);
    try {
      if ((await fetch(`${server.base}${ready}`)).ok) return server;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} did not start.`);
}

async function stopAll() {
  await Promise.all(
    servers.map(async ({ child }) => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 8000);
      await exited;
      clearTimeout(timer);
    }),
  );
}

/** CPU time (user + system, ms) of a process and all its descendants (the cluster's workers). */
function cpuMs(pid: number): number {
  const children = new Map<number, number[]>();
  const times = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    // The command name may hold spaces; fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ppid = Number(fields[1]);
    times.set(Number(entry), Number(fields[11]) + Number(fields[12]));
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  let ticks = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    ticks += times.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return (ticks * 1000) / CLOCK_TICKS;
}

// ---------------------------------------------------------------------------------------
// Targets and measurements

interface Target {
  /** Which comparison it belongs to ("thread", "floor", …) and its role in it. */
  group: string;
  role: string;
  label: string;
  server: Server;
  path: string;
  cookie?: string;
  requests?: autocannon.Request[];
  /** The HTML size it was matched to or has, for the report. */
  bytes?: number;
}

interface Measure {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  cpuPerRequest: number;
}

async function load(target: Target, seconds: number): Promise<Measure> {
  const before = cpuMs(target.server.child.pid!);
  const result = await autocannon({
    url: `${target.server.base}${target.path}`,
    connections: CONNECTIONS,
    duration: seconds,
    headers: target.cookie ? { cookie: target.cookie, origin: target.server.base } : {},
    requests: target.requests,
  });
  const cpu = cpuMs(target.server.child.pid!) - before;
  const total = result.requests.total;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    // No request finished (a server that stalled): no figure rather than a made-up one.
    cpuPerRequest: total > 0 ? cpu / total : Number.NaN,
  };
}

async function signIn(base: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password }),
  });
  const cookie = response.headers.get("set-cookie");
  if (response.status !== 302 || !cookie) throw new Error(`Could not sign in ${email} at ${base} (${response.status}).`);
  return cookie.split(";")[0]!;
}

async function body(url: string, cookie?: string): Promise<Buffer> {
  const response = await fetch(url, { headers: cookie ? { cookie } : {} });
  if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

async function javascriptOf(base: string, path: string, cookie: string): Promise<number> {
  const html = (await body(`${base}${path}`, cookie)).toString();
  const sources = new Set([...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!));
  let total = 0;
  for (const source of sources) total += gzipSync(await body(`${base}${source}`)).length;
  return total;
}

const PAGES = [
  { group: "thread", name: "thread page (50 replies)", path: (f: Fixture) => `/c/${f.community}/t/${f.thread}`, who: "participant" },
  { group: "images", name: "thread page, 5 of 50 replies with images", path: (f: Fixture) => `/c/${f.community}/t/${f.imageThread}`, who: "participant" },
  { group: "community", name: "community page", path: (f: Fixture) => `/c/${f.community}`, who: "participant" },
  { group: "board", name: "suggestion board", path: () => "/suggestions", who: "reviewer" },
  { group: "home", name: "signed-in home", path: () => "/", who: "participant" },
  { group: "ideas", name: "idea list", path: (f: Fixture) => `/c/${f.community}/ideas`, who: "participant" },
  { group: "vote", name: "casting a vote", path: (f: Fixture) => `/c/${f.community}/ideas.data`, who: "participant" },
  { group: "floor", name: "floor: /healthz", path: () => "/healthz", who: "participant" },
] as const;

/** The targets one Cohort server (role "cohort", "cohort-small", "before", …) contributes. */
/**
 * A vote and its taking back, as the vote button sends them with JavaScript (Remix's data
 * request for the route's action); one is sent first, and it must answer 200.
 */
async function votePair(base: string, path: string, ideaId: string, cookie: string | undefined, what: string): Promise<autocannon.Request[]> {
  const form = (intent: string) => new URLSearchParams({ intent, ideaId, via: "js" }).toString();
  const headers = { "content-type": "application/x-www-form-urlencoded", origin: base, ...(cookie ? { cookie } : {}) };
  const sample = await fetch(`${base}${path}`, { method: "POST", headers, body: form("unvote") });
  if (sample.status !== 200) throw new Error(`${what}: ${sample.status}`);
  return ["vote", "unvote"].map((intent) => ({ method: "POST", path, headers, body: form(intent) }));
}

async function cohortTargets(server: Server, fixture: Fixture, role: string, label: string): Promise<Target[]> {
  const cookies = {
    participant: await signIn(server.base, fixture.participant, fixture.password),
    reviewer: await signIn(server.base, fixture.reviewer, fixture.password),
  };
  const targets: Target[] = [];
  for (const page of PAGES) {
    const cookie = cookies[page.who];
    const path = page.path(fixture);
    if (page.group === "vote") {
      const requests = await votePair(server.base, path, fixture.idea, cookie, `${label} ${page.name}`);
      targets.push({ group: page.group, role, label: `${label} ${page.name}`, server, path, cookie, requests });
      continue;
    }
    const html = await body(`${server.base}${path}`, cookie);
    if (page.group === "images") {
      // The page really carries images, and their files are served: else this measures nothing new.
      const thumbnails = [...html.toString().matchAll(/src="(\/attachments\/[a-z2-7]+\/thumb)"/g)].map((m) => m[1]!);
      if (thumbnails.length < 5) throw new Error(`${label} ${page.name}: ${thumbnails.length} images on the page, expected 5 (reseed: rm -r bench/.data).`);
      await body(`${server.base}${thumbnails[0]}`, cookie);
    }
    targets.push({ group: page.group, role, label: `${label} ${page.name}`, server, path, cookie, bytes: html.length });
  }
  return targets;
}

/** The reference page's `bytes` parameter that gives a page of about `size` bytes with 50 posts. */
async function matchSize(reference: Server, size: number): Promise<{ path: string; bytes: number }> {
  const at = async (bytes: number) => (await body(`${reference.base}/?posts=50&bytes=${bytes}`)).length;
  const [low, high] = [await at(100), await at(1100)];
  const perByte = (high - low) / 1000;
  const bytes = Math.max(0, Math.round(100 + (size - low) / perByte));
  const path = `/?posts=50&bytes=${bytes}`;
  return { path, bytes: await at(bytes) };
}

// ---------------------------------------------------------------------------------------
// Report helpers

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const range = (values: number[], digits = 2) => `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
const pad = (value: string | number, width: number) => String(value).padStart(width);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

async function main() {
  const engines: Engine[] = POSTGRES ? ["sqlite", "postgres"] : ["sqlite"];
  const fixtures = new Map<Engine, { big: Fixture; small: Fixture }>();
  for (const engine of engines) {
    fixtures.set(engine, { big: await ensureDatabase(engine, POSTS, "scale"), small: await ensureDatabase(engine, 1000, "scale-small") });
  }

  console.log("Building the minimal Remix reference app into bench/.data/reference…");
  rmSync(REFERENCE_BUILD, { recursive: true, force: true });
  const built = spawnSync(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "vite:build", "--config", "bench/reference/vite.config.ts"], {
    env: { ...process.env, BENCH_REFERENCE_BUILD: REFERENCE_BUILD },
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (built.status !== 0) throw new Error("Building the reference app failed.");
  if (BEFORE && !existsSync(`${BEFORE}/build/server/index.js`)) {
    console.log(`Building ${BEFORE}…`);
    const run = spawnSync(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "vite:build"], { cwd: BEFORE, stdio: ["ignore", "ignore", "inherit"] });
    if (run.status !== 0) throw new Error(`Building ${BEFORE} failed.`);
  }

  const started = Date.now();
  const targets: Target[] = [];
  const engineName = (engine: Engine) => (engine === "sqlite" ? "SQLite" : "PostgreSQL");
  const cohort = (fixture: Fixture) => ({ DATABASE_URL: fixture.database, SEED_DEMO: "0", ATTACHMENTS_DIR: resolve(fixture.attachments) });
  for (const engine of engines) {
    const { big, small } = fixtures.get(engine)!;
    const name = engineName(engine);
    const main = await start(`Cohort (${name})`, ["--import", "tsx", "server/main.ts"], cohort(big), undefined, "/healthz");
    targets.push(...(await cohortTargets(main, big, `cohort-${engine}`, `[${name}]`)));
    const little = await start(`Cohort (${name}, 1,000 posts)`, ["--import", "tsx", "server/main.ts"], cohort(small), undefined, "/healthz");
    targets.push(...(await cohortTargets(little, small, `small-${engine}`, `[${name}, 1,000 posts]`)));
  }
  if (BEFORE) {
    const big = fixtures.get("sqlite")!.big;
    const before = await start("Cohort before", ["--import", "tsx", "server/main.ts"], { ...cohort(big), DATABASE_URL: resolve(big.database) }, BEFORE, "/healthz");
    targets.push(...(await cohortTargets(before, big, "before", "[before, SQLite]")));
  }
  const reference = await start("minimal Remix app", ["--import", "tsx", "bench/reference/server.ts"], { BENCH_REFERENCE_BUILD: REFERENCE_BUILD }, undefined, "/empty");
  for (const group of ["thread", "images", "community", "board"]) {
    const size = targets.find((t) => t.group === group && t.role === "cohort-sqlite")!.bytes!;
    const matched = await matchSize(reference, size);
    targets.push({ group, role: "reference", label: `minimal Remix page, 50 posts (${group} size)`, server: reference, path: matched.path, bytes: matched.bytes });
  }
  targets.push({ group: "floor", role: "reference", label: "minimal Remix empty resource route", server: reference, path: "/empty" });
  // The least a vote can cost through Remix: an action that reads the same form and writes nothing.
  const label = "minimal Remix action (reads the form, writes nothing)";
  targets.push({ group: "vote", role: "reference", label, server: reference, path: "/vote.data", requests: await votePair(reference.base, "/vote.data", "i1", undefined, label) });

  const thread = targets.find((t) => t.group === "thread" && t.role === "cohort-sqlite")!;
  mkdirSync("bench/.data", { recursive: true });
  writeFileSync("bench/.data/thread.html", await body(`${thread.server.base}${thread.path}`, thread.cookie));
  const bare = await start("bare node:http", ["--import", "tsx", "bench/reference/bare.ts"], { BENCH_BARE_FILE: resolve("bench/.data/thread.html") });
  targets.push({ group: "thread", role: "bare", label: "bare node:http, Cohort's thread bytes", server: bare, path: "/", bytes: thread.bytes });

  const javascript = await javascriptOf(thread.server.base, thread.path, thread.cookie!);
  if (ONLY) targets.splice(0, targets.length, ...targets.filter((t) => ONLY.has(t.group)));

  const perRound = targets.length * SECONDS;
  console.log(
    `\nCohort benchmark: ${servers.length} servers (${WORKERS} workers each, own processes), ${CONNECTIONS} connections, ` +
      `${WARMUP} s warm-up per server, then ${ROUNDS} paired rounds of ${targets.length} targets × ${SECONDS} s ` +
      `(about ${Math.ceil((WARMUP * servers.length + perRound * ROUNDS) / 60)} minutes).`,
  );

  // Warm-up: each server under load on its own pages until V8 reaches steady state.
  for (const server of servers) {
    const own = targets.filter((t) => t.server === server);
    const seconds = Math.max(1, Math.round(WARMUP / own.length));
    process.stdout.write(`warming up ${server.name}…`);
    for (const target of own) await load(target, seconds);
    process.stdout.write(" done\n");
  }

  // Paired rounds: every target once per round; the order alternates so that no target
  // always follows the same neighbour or always runs first.
  const results = new Map<Target, Measure[]>(targets.map((t) => [t, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    process.stdout.write(`round ${round + 1}/${ROUNDS}…`);
    for (const target of order) results.get(target)!.push(await load(target, SECONDS));
    process.stdout.write(" done\n");
  }

  const find = (group: string, role: string) => targets.find((t) => t.group === group && t.role === role);
  const has = (...groups: string[]) => groups.every((g) => targets.some((t) => t.group === g));
  const med = (target: Target, key: keyof Measure) => median(results.get(target)!.map((m) => m[key]));
  /** Per-round ratios a/b of a measure, their median and range. */
  const ratio = (a: Target, b: Target, key: keyof Measure = "rps") => {
    const ra = results.get(a)!;
    const rb = results.get(b)!;
    const values = ra.map((m, i) => m[key] / (rb[i]![key] || Number.EPSILON));
    return { value: median(values), range: range(values) };
  };

  console.log(`\nMedians of ${ROUNDS} rounds (${SECONDS} s each, ${CONNECTIONS} connections):`);
  console.log(`${"target".padEnd(58)}${pad("req/s", 8)}${pad("p50 ms", 8)}${pad("p99 ms", 8)}${pad("errors", 8)}${pad("CPU ms/req", 12)}${pad("HTML", 10)}`);
  for (const target of targets) {
    const list = results.get(target)!;
    console.log(
      `${target.label.padEnd(58)}${pad(Math.round(med(target, "rps")), 8)}${pad(med(target, "p50"), 8)}${pad(med(target, "p99"), 8)}` +
        `${pad(list.reduce((n, m) => n + m.errors, 0), 8)}${pad(med(target, "cpuPerRequest").toFixed(2), 12)}${pad(target.bytes ? kb(target.bytes) : "", 10)}`,
    );
  }

  const lines: [string, boolean, string][] = [];
  const names: Record<string, string> = { thread: "thread page (50 replies)", images: "thread page with images", community: "community page", board: "suggestion board" };
  for (const engine of engines) {
    const tag = `[${engineName(engine)}]`;
    const role = `cohort-${engine}`;
    for (const group of ["thread", "images", "community", "board"].filter((g) => has(g))) {
      const r = ratio(find(group, role)!, find(group, "reference")!);
      lines.push([`${tag} ${names[group]} at least 0.8× the minimal Remix page of its size`, r.value >= 0.8, `${r.value.toFixed(2)}×, rounds ${r.range}`]);
    }
    if (has("floor")) {
      const floor = ratio(find("floor", role)!, find("floor", "reference")!);
      lines.push([`${tag} floor (/healthz) at least 0.9× the minimal Remix empty route`, floor.value >= 0.9, `${floor.value.toFixed(2)}×, rounds ${floor.range}`]);
    }
    for (const group of ["thread", "images"].filter((g) => has(g))) {
      const cpu = ratio(find(group, role)!, find(group, "reference")!, "cpuPerRequest");
      lines.push([
        `${tag} server CPU per ${names[group]} request at most 1.3× the minimal page's`,
        cpu.value <= 1.3,
        `${cpu.value.toFixed(2)}×: ${med(find(group, role)!, "cpuPerRequest").toFixed(2)} against ${med(find(group, "reference")!, "cpuPerRequest").toFixed(2)} ms, rounds ${cpu.range}`,
      ]);
    }
    if (has("vote", "floor")) {
      const vote = ratio(find("vote", role)!, find("floor", role)!);
      lines.push([`${tag} casting a vote at least 0.5× the floor's rate`, vote.value >= 0.5, `${vote.value.toFixed(2)}×, ${Math.round(med(find("vote", role)!, "rps"))} per second`]);
    }
    const growth = PAGES.filter((p) => p.group !== "floor" && has(p.group)).map((p) => ({ name: p.name, ...ratio(find(p.group, role)!, find(p.group, `small-${engine}`)!, "p50") }));
    const worst = growth.reduce((a, b) => (b.value > a.value ? b : a), { name: "none", value: 0, range: "" });
    lines.push([`${tag} page cost does not grow with data: p50 within 1.5× of a thousand-post database`, growth.every((g) => g.value <= 1.5), `worst ${worst.name}, ${worst.value.toFixed(2)}×`]);
    const errors = targets.filter((t) => t.role.endsWith(engine)).reduce((n, t) => n + results.get(t)!.reduce((m, r) => m + r.errors, 0), 0);
    lines.push([`${tag} no errors under load`, errors === 0, `${errors} errors`]);
  }
  lines.push(["thread page JavaScript under 150 KB compressed", javascript < 150 * 1024, `${kb(javascript)} gzip`]);

  console.log("\nRatios in the same run (median of per-round ratios):");
  if (has("thread")) {
    const bareRatio = ratio(find("thread", "cohort-sqlite")!, find("thread", "bare")!);
    console.log(`  thread page / bare node:http sending its bytes: ${bareRatio.value.toFixed(2)}× (rounds ${bareRatio.range})`);
    const refBare = ratio(find("thread", "reference")!, find("thread", "bare")!);
    console.log(`  minimal Remix page / bare node:http: ${refBare.value.toFixed(2)}× (rounds ${refBare.range})`);
  }
  if (has("vote", "floor")) {
    const least = ratio(find("vote", "reference")!, find("floor", "reference")!);
    console.log(`  minimal Remix action / minimal Remix empty route: ${least.value.toFixed(2)}× (rounds ${least.range}): the most any action reaches against its floor`);
    for (const engine of engines) {
      const vote = ratio(find("vote", `cohort-${engine}`)!, find("vote", "reference")!);
      const idle = ratio(find("vote", "reference")!, find("floor", `cohort-${engine}`)!);
      console.log(
        `  [${engineName(engine)}] casting a vote / minimal Remix action: ${vote.value.toFixed(2)}× (rounds ${vote.range}); ` +
          `minimal Remix action / Cohort's floor: ${idle.value.toFixed(2)}× (a vote that did nothing, against the vote budget's 0.5×)`,
      );
    }
  }
  if (has("thread", "images")) {
    for (const engine of engines) {
      const role = `cohort-${engine}`;
      const rate = ratio(find("images", role)!, find("thread", role)!);
      const cpu = ratio(find("images", role)!, find("thread", role)!, "cpuPerRequest");
      console.log(
        `  [${engineName(engine)}] thread page with images / without: ${rate.value.toFixed(2)}× req/s (rounds ${rate.range}), ` +
          `${cpu.value.toFixed(2)}× CPU per request (rounds ${cpu.range}); HTML ${kb(find("images", role)!.bytes!)} against ${kb(find("thread", role)!.bytes!)}`,
      );
    }
  }
  if (BEFORE) {
    for (const page of PAGES.filter((p) => has(p.group))) {
      const r = ratio(find(page.group, "cohort-sqlite")!, find(page.group, "before")!);
      const c = ratio(find(page.group, "cohort-sqlite")!, find(page.group, "before")!, "cpuPerRequest");
      console.log(`  ${page.name}, this version / before: ${r.value.toFixed(2)}× req/s (rounds ${r.range}), ${c.value.toFixed(2)}× CPU per request`);
    }
    if (has("thread")) {
      const r = ratio(find("thread", "before")!, find("thread", "reference")!);
      console.log(`  before: thread page / minimal Remix page ${r.value.toFixed(2)}× (rounds ${r.range})`);
      const c = ratio(find("thread", "before")!, find("thread", "reference")!, "cpuPerRequest");
      console.log(`  before: thread-page CPU per request / minimal page's ${c.value.toFixed(2)}×`);
    }
    if (has("floor")) {
      const f = ratio(find("floor", "before")!, find("floor", "reference")!);
      console.log(`  before: floor / minimal Remix empty route ${f.value.toFixed(2)}× (rounds ${f.range})`);
    }
  }

  console.log("\nBudgets (../shared/quality.md):");
  for (const [budget, met, figure] of lines) console.log(`${met ? "MET    " : "NOT MET"}  ${budget} (${figure})`);
  console.log(`\n${Math.round((Date.now() - started) / 1000)} s. See docs/decisions/012-performance-budgets.md.`);
}

try {
  await main();
} finally {
  await stopAll();
}
