import { expect, test } from "@playwright/test";
import { BASE_URL, createUser } from "./support.ts";

/** What the outside security review (issue 14) tried over HTTP, each answered at its root. */

const OFF_SITE_TARGETS = [
  "/.//evil.example/phish",
  "/./\\evil.example",
  "/a/..//evil.example",
  "/%2e//evil.example",
  "/%2F%2Fevil.example",
  "/%5Cevil.example",
  "/\t/evil.example",
  "//evil.example",
  "/\\evil.example",
  "https://evil.example",
];

test("signing in never answers a Location off this site, whatever redirectTo says", async ({ request }) => {
  const user = await createUser();
  for (const target of OFF_SITE_TARGETS) {
    const response = await request.post("/login", {
      form: { email: user.email, password: user.password, redirectTo: target },
      headers: { Origin: BASE_URL },
      maxRedirects: 0,
    });
    expect(response.status(), target).toBe(302);
    const location = response.headers()["location"] ?? "";
    expect(new URL(location, BASE_URL).origin, `${target} → ${location}`).toBe(BASE_URL);
    expect(location.startsWith("/") && !location.startsWith("//") && !location.startsWith("/\\"), `${target} → ${location}`).toBe(true);
  }
});

test("in a browser, signing in from a crafted link stays on the site", async ({ page }) => {
  const user = await createUser();
  await page.goto(`/login?redirectTo=${encodeURIComponent("/.//evil.example/phish")}`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForLoadState("load");
  expect(new URL(page.url()).origin).toBe(BASE_URL);
});
