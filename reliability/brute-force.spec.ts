import { expect, test } from "@playwright/test";
import { BASE_URL, createUser } from "../e2e/support.ts";

/** Sign in through the form's POST from a given client address (the test server trusts X-Forwarded-For from loopback). */
async function attempt(request: import("@playwright/test").APIRequestContext, address: string, email: string, password: string) {
  return request.post("/login", { form: { email, password }, headers: { Origin: BASE_URL, "X-Forwarded-For": address }, maxRedirects: 0 });
}

test("sign-in limits hold under a brute-force attack while the real user still signs in", async ({ request }) => {
  const victim = await createUser({ displayName: "Vic Victim", password: "the real long password" });
  const attacker = "203.0.113.66";

  // Guessing one account from one address: a handful of tries, then 429 with a wait.
  const guesses = [];
  for (let i = 0; i < 12; i++) guesses.push((await attempt(request, attacker, victim.email, `guess number ${i}`)).status());
  expect(guesses.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
  expect(guesses.slice(5)).toEqual(Array(7).fill(429));
  const throttled = await attempt(request, attacker, victim.email, "one more guess");
  expect(throttled.headers()["retry-after"]).toMatch(/^\d+$/);
  expect(await throttled.text()).toContain("Too many sign-in attempts. Try again in");
  // Even the right password from the attacker's address waits out the window.
  expect((await attempt(request, attacker, victim.email, victim.password)).status()).toBe(429);

  // Spraying many accounts from one address: stopped by the address limit.
  const spray = [];
  for (let i = 0; i < 40; i++) spray.push((await attempt(request, "203.0.113.77", `nobody${i}@example.com`, "password123")).status());
  expect(spray.filter((s) => s === 400).length).toBe(30);
  expect(spray.slice(30)).toEqual(Array(10).fill(429));

  // Meanwhile the real user, from their own address, signs in at once.
  const real = await attempt(request, "198.51.100.7", victim.email, victim.password);
  expect(real.status()).toBe(302);
  expect(real.headers()["set-cookie"]).toMatch(/cohort_session=/);
});
