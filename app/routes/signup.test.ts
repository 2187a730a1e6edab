import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppLoadContext } from "@remix-run/node";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import { setInvitationContact } from "#app/features/settings/settings.server.ts";
import { database } from "#app/lib/db.server.ts";
import { createTestDatabase, type TestDatabase } from "#db/testing.ts";
import { action, loader } from "./signup.tsx";

// The default instance: SIGNUP is unset, so accounts come only from invitations.
describe("sign-up on an invitation-only instance", () => {
  const context = { cspNonce: "n", clientAddress: "127.0.0.1" } as AppLoadContext;
  let t: TestDatabase;

  // The page reads the admin's contact from the app's database: a real, migrated one.
  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
    process.env.DATABASE_URL = t.location;
  });
  afterAll(async () => {
    await database().close();
    await t.cleanup();
  });

  it("says so instead of offering the form", async () => {
    expect(process.env.SIGNUP).toBeUndefined();
    const result = await loader({ request: new Request("http://cohort.test/signup"), context, params: {} });
    expect(result).toEqual({ open: false, invitationContact: null });
  });

  it("tells a visitor whom to ask for an invitation, in the admin's words", async () => {
    const { userId } = await createAccount(t.db, { email: "admin@example.com", displayName: "Ada", password: "admin password", role: "admin" });
    await setInvitationContact(t.db, { id: userId, role: "admin" }, "Write to research@acme.com <b>now</b>");
    const result = await loader({ request: new Request("http://cohort.test/signup"), context, params: {} });
    expect(result.invitationContact).toContain('<a href="mailto:research@acme.com"');
    expect(result.invitationContact).not.toContain("<b>");
  });

  it("refuses a forged sign-up POST with 403 before it reaches any account", async () => {
    const body = new URLSearchParams({ email: "sneaky@example.com", displayName: "Sneaky", password: "long enough password" });
    const request = new Request("http://cohort.test/signup", { method: "POST", body });
    const outcome = await action({ request, context, params: {} }).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(outcome).toBeInstanceOf(Response);
    expect((outcome as Response).status).toBe(403);
    expect(await (outcome as Response).text()).toContain("created from an invitation");
  });
});
