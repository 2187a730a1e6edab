import { defineConfig } from "@playwright/test";
import base from "./playwright.config.ts";

/**
 * The reliability suite (`npm run test:reliability`): the access matrix, sign-in under
 * brute force, SIGKILL under write load, and a minute of mixed load. Same server and
 * Chromium set-up as the journeys, with the proxy header trusted from loopback so a test can
 * speak from several client addresses.
 */
export default defineConfig({
  ...base,
  testDir: "reliability",
  fullyParallel: false,
  workers: 1,
  timeout: 180_000,
  webServer: { ...base.webServer!, env: { ...(base.webServer as { env: Record<string, string> }).env, TRUST_PROXY: "loopback" } } as never,
});
