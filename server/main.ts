/**
 * Starts Cohort: migrates the database, seeds the demo into an empty one, then serves on
 * PORT with one worker per core (or WEB_CONCURRENCY). `--dev` serves through Vite instead.
 */
import cluster from "node:cluster";
import { availableParallelism } from "node:os";

const development = process.argv.includes("--dev");
// Whoever runs Cohort with NODE_ENV=production is deploying it: no demo unless asked.
const deployedInProduction = process.env.NODE_ENV === "production";
process.env.NODE_ENV ??= development ? "development" : "production";

const { env } = await import("#app/lib/env.server.ts");
const config = env();

/**
 * V8 settings for the workers, unless the operator set them: a larger young generation
 * (32 MB semi-spaces instead of 16) lets a page's short-lived objects die young instead of
 * being promoted and collected again (docs/decisions/012).
 */
function workerArgs(execArgv: string[], nodeOptions = process.env.NODE_OPTIONS ?? ""): string[] {
  const set = (flag: string) => [...execArgv, ...nodeOptions.split(/\s+/)].some((arg) => arg.startsWith(flag));
  return set("--max-semi-space-size") ? execArgv : [...execArgv, "--max-semi-space-size=32"];
}

async function prepareDatabase(): Promise<void> {
  const { openDatabase } = await import("#db/client.ts");
  const { migrateToLatest } = await import("#db/migrate.ts");
  const { describeDemo, generatePassword, isEmpty, seedDemo, shouldSeedDemo } = await import("#db/seed.ts");
  const handle = openDatabase(config.DATABASE_URL);
  try {
    const applied = await migrateToLatest(handle.db, handle.schema);
    if (applied.length) console.log(`Applied ${applied.length} migration(s) to ${handle.location}.`);
    const empty = await isEmpty(handle.db);
    if (shouldSeedDemo({ empty, deployedInProduction, seedDemo: config.SEED_DEMO })) {
      const password = config.DEMO_PASSWORD ?? generatePassword();
      const accounts = await seedDemo(handle.db, password, { siteOrigin: config.APP_ORIGIN ?? `http://localhost:${config.PORT}` });
      console.log(describeDemo(accounts, password, `http://localhost:${config.PORT}`));
    }
  } finally {
    await handle.close();
  }
}

async function serve(): Promise<void> {
  const { createRequestListener } = await import("./app.ts");
  const { createServer } = await import("node:http");
  const listener = await createRequestListener({
    development,
    trustProxy: config.TRUST_PROXY,
    appOrigin: config.APP_ORIGIN,
    compress: config.COMPRESSION !== "off",
  });
  const server = createServer(listener).listen(config.PORT, config.HOST, () => {
    if (cluster.isPrimary) console.log(`Cohort is running at http://localhost:${config.PORT}`);
  });
  const { startJobs } = await import("./jobs.ts");
  startJobs();
  const stop = () => server.close(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

if (cluster.isPrimary) {
  await prepareDatabase();
  const workers = development ? 1 : (config.WEB_CONCURRENCY ?? availableParallelism());
  if (workers === 1) {
    await serve();
  } else {
    let stopping = false;
    cluster.setupPrimary({ execArgv: workerArgs(process.execArgv) });
    for (let i = 0; i < workers; i++) cluster.fork();
    cluster.once("listening", () => console.log(`Cohort is running at http://localhost:${config.PORT} (${workers} workers)`));
    cluster.on("exit", (worker, code, signal) => {
      if (stopping) return;
      console.error(`Worker ${worker.process.pid} stopped (${signal ?? code}); starting another.`);
      cluster.fork();
    });
    const stopAll = () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
      setTimeout(() => process.exit(0), 5000).unref();
      cluster.on("exit", () => {
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      });
    };
    process.once("SIGTERM", stopAll);
    process.once("SIGINT", stopAll);
  }
} else {
  await serve();
}
