/** Shared by playwright.config.ts and the specs: where the test server runs and its demo password. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
export const E2E_DATABASE = "e2e/.data/cohort-e2e.db";
export const E2E_DEMO_PASSWORD = "e2e demo password";
