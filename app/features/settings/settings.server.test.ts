import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refusalOf } from "#app/lib/testing.ts";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { getInvitationContact, setInvitationContact } from "./settings.server.ts";

describe.each(testEngines())("instance settings on %s", (engine) => {
  let t: TestDatabase;
  let admin: Actor;
  let moderator: Actor;

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    admin = { id: (await createAccount(t.db, { email: "ada@example.com", displayName: "Ada", password: "password!", role: "admin" })).userId, role: "admin" };
    moderator = { id: (await createAccount(t.db, { email: "mo@example.com", displayName: "Mo", password: "password!", role: "moderator" })).userId, role: "moderator" };
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("an admin sets how to get an invitation, rendered once as safe Markdown, and changes it", async () => {
    expect(await getInvitationContact(t.db)).toBeNull();
    await setInvitationContact(t.db, admin, "Ask research@acme.com. <script>alert(1)</script> [x](javascript:alert(1))");
    const contact = (await getInvitationContact(t.db))!;
    expect(contact.text).toContain("research@acme.com");
    expect(contact.html).toContain('href="mailto:research@acme.com"');
    expect(contact.html).not.toContain("<script>");
    expect(contact.html).not.toMatch(/href="javascript/i);
    await setInvitationContact(t.db, admin, "  Call us.  ");
    expect(await getInvitationContact(t.db)).toEqual({ text: "Call us.", html: "<p>Call us.</p>\n" });
    await setInvitationContact(t.db, admin, "   ");
    expect(await getInvitationContact(t.db)).toBeNull();
  });

  it("refuses anyone but an admin, and a text that is too long, writing nothing", async () => {
    expect((await refusalOf(setInvitationContact(t.db, moderator, "Ask me."))).status).toBe(403);
    expect((await refusalOf(setInvitationContact(t.db, admin, "x".repeat(501)))).status).toBe(400);
    expect(await getInvitationContact(t.db)).toBeNull();
  });
});
