import { defineConfig } from "@playwright/test";
import { E2E_DATABASE, E2E_DEMO_PASSWORD, E2E_PORT } from "./e2e/constants.ts";
import { INSTALL_HINT, findChromium } from "./scripts/chromium.ts";

/**
 * Which Chromium drives the journeys: what scripts/chromium.ts finds (npm run test:e2e runs
 * it first, which installs one when there is none). Run directly with none, say how to get one.
 */
function chromiumExecutable(): string | undefined {
  const found = findChromium();
  if (!found) throw new Error(INSTALL_HINT);
  return found.executablePath;
}

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  // The longest journeys open four browsers and some thirty pages; with two workers, two
  // server processes and Chromium sharing two cores they take 25–30 s on a slow day.
  timeout: 60_000,
  expect: { timeout: 5_000 },
  use: {
    baseURL: `http://localhost:${E2E_PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromiumExecutable(),
      // Without the background-networking flags Chromium keeps calling home, which a
      // closed network answers with a stream of refused connections.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium" }],
  webServer: {
    // The production build (npm run test:e2e builds first) on a fresh SQLite file with demo data.
    command: `rm -f ${E2E_DATABASE} ${E2E_DATABASE}-wal ${E2E_DATABASE}-shm && node_modules/.bin/tsx server/main.ts`,
    url: `http://localhost:${E2E_PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      NODE_ENV: "production",
      SEED_DEMO: "1",
      DEMO_PASSWORD: E2E_DEMO_PASSWORD,
      PORT: String(E2E_PORT),
      DATABASE_URL: E2E_DATABASE,
      // Attachment files beside the test database, not in the developer's data/.
      ATTACHMENTS_DIR: "e2e/.data/attachments",
      WEB_CONCURRENCY: "2",
      // Invitation-only sign-up is the default; the journeys also cover open sign-up.
      SIGNUP: "open",
    },
  },
});
