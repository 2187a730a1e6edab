/**
 * The minimal Remix app's server: Remix's own Express adapter with compression and static
 * files, as `remix-serve` sets it up (without its per-request log line), on WEB_CONCURRENCY
 * worker processes like Cohort. Started by bench/run.ts with the build in BENCH_REFERENCE_BUILD.
 */
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import cluster from "node:cluster";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const buildDirectory = resolve(process.env.BENCH_REFERENCE_BUILD ?? "bench/.data/reference");
const workers = Number(process.env.WEB_CONCURRENCY ?? 2);

if (cluster.isPrimary && workers > 1) {
  for (let i = 0; i < workers; i++) cluster.fork();
  process.once("SIGTERM", () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
    setTimeout(() => process.exit(0), 2000).unref();
    cluster.on("exit", () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  });
} else {
  const build = (await import(pathToFileURL(join(buildDirectory, "server/index.js")).href)) as ServerBuild;
  const app = express();
  app.disable("x-powered-by");
  app.use(compression());
  app.use("/assets", express.static(join(buildDirectory, "client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(join(buildDirectory, "client"), { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build, mode: "production" }));
  const server = app.listen(Number(process.env.PORT), "127.0.0.1");
  process.once("SIGTERM", () => server.close(() => process.exit(0)));
}
