import { describe, expect, it } from "vitest";
import type { AppLoadContext } from "@remix-run/node";
import { action, loader } from "./signup.tsx";

// The default instance: SIGNUP is unset, so accounts come only from invitations.
describe("sign-up on an invitation-only instance", () => {
  const context = { cspNonce: "n", clientAddress: "127.0.0.1" } as AppLoadContext;

  it("says so instead of offering the form", async () => {
    expect(process.env.SIGNUP).toBeUndefined();
    const result = await loader({ request: new Request("http://cohort.test/signup"), context, params: {} });
    expect(result).toEqual({ open: false });
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
