import { defineConfig } from "vitest/config";

// Vitest gets its own config so the Remix plugin (which refuses to run under Vitest)
// stays out, and so Playwright specs in e2e/ are never collected.
export default defineConfig({
  test: {
    include: ["app/**/*.test.ts", "db/**/*.test.ts", "server/**/*.test.ts", "scripts/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Each test file gets its own database, so files can run in parallel safely.
    fileParallelism: true,
  },
});
