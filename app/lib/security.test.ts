import { describe, expect, it } from "vitest";
import { isAllowedOrigin, safeRedirect, securityHeaders } from "./security.ts";

describe("securityHeaders", () => {
  const headers = securityHeaders({ nonce: "abc123", https: false, development: false });

  it("puts the request's nonce in the script policy and shuts objects, base and framing", () => {
    const csp = headers["Content-Security-Policy"]!;
    expect(csp).toContain("'nonce-abc123'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
  });

  it("sets nosniff and a referrer policy, and HSTS only over HTTPS", () => {
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["Strict-Transport-Security"]).toBeUndefined();
    expect(securityHeaders({ nonce: "n", https: true, development: false })["Strict-Transport-Security"]).toMatch(/max-age=/);
  });
});

describe("isAllowedOrigin", () => {
  const site = "http://localhost:3000";
  it("lets safe methods through whatever the origin", () => {
    expect(isAllowedOrigin("GET", undefined, site)).toBe(true);
    expect(isAllowedOrigin("HEAD", "http://evil.example", site)).toBe(true);
  });
  it("accepts a POST from the site itself", () => {
    expect(isAllowedOrigin("POST", "http://localhost:3000", site)).toBe(true);
  });
  it("refuses a POST from elsewhere, with no origin, or with an opaque one", () => {
    expect(isAllowedOrigin("POST", "http://evil.example", site)).toBe(false);
    expect(isAllowedOrigin("POST", "http://localhost:3001", site)).toBe(false);
    expect(isAllowedOrigin("POST", "https://localhost:3000", site)).toBe(false);
    expect(isAllowedOrigin("POST", undefined, site)).toBe(false);
    expect(isAllowedOrigin("POST", "null", site)).toBe(false);
    expect(isAllowedOrigin("DELETE", "not a url", site)).toBe(false);
  });
});

describe("safeRedirect", () => {
  it("keeps relative paths with their query and fragment", () => {
    expect(safeRedirect("/communities/abc?tab=ideas#top")).toBe("/communities/abc?tab=ideas#top");
  });
  it.each([
    "https://evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
    "evil.example",
    "",
    undefined,
    42,
  ])("falls back for %s", (target) => {
    expect(safeRedirect(target)).toBe("/");
  });
  it("uses the fallback given", () => {
    expect(safeRedirect("https://evil.example", "/home")).toBe("/home");
  });
});
