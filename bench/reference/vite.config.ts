/**
 * The minimal Remix app the benchmark measures Cohort against (bench/run.ts builds it into a
 * temporary directory given by BENCH_REFERENCE_BUILD): the same Remix, React and future flags
 * as Cohort, nothing else.
 */
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";

export default defineConfig({
  logLevel: "warn",
  build: { target: "es2022" },
  plugins: [
    remix({
      appDirectory: "bench/reference/app",
      buildDirectory: process.env.BENCH_REFERENCE_BUILD ?? "bench/.data/reference",
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
  ],
});
