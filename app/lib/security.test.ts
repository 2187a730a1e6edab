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
    // Dot segments collapse to "//host" (the review's finding).
    "/.//evil.example",
    "/.//evil.example/phish",
    "/./\\evil.example",
    "/a/..//evil.example",
    "/a/../..//evil.example",
    "/%2e//evil.example",
    "/%2E%2E//evil.example",
    // Encoded slashes and backslashes that a later decode turns into "//" or "/\\".
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "/%5Cevil.example",
    "/%5cevil.example",
    "/%252F%252Fevil.example",
    "/\\/evil.example",
    "\\/evil.example",
    // Control characters, raw and encoded, that browsers strip.
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\u0000/evil.example",
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%00/evil.example",
    "/\u007f/evil.example",
    "///evil.example",
    "https:/evil.example",
    "http:evil.example",
    "/%",
    "javascript:alert(1)",
    "evil.example",
    "",
    undefined,
    42,
  ])("falls back for %s", (target) => {
    expect(safeRedirect(target)).toBe("/");
  });
  it("never answers a target that a browser resolves off this site", () => {
    const base = "https://cohort.example.com/login";
    const corpus = ["/", "//", "/./", "/../", "/.", "/%2e", "/%2f", "/%5c", "/\\", "\\", "/\t", "/%09", "evil.example", "@evil.example"];
    for (const a of corpus) for (const b of corpus) for (const c of corpus) {
      const result = safeRedirect(`${a}${b}${c}evil.example/x`);
      expect(new URL(result, base).origin, `${a}${b}${c}`).toBe("https://cohort.example.com");
      expect(result.startsWith("/") && !result.startsWith("//") && !result.startsWith("/\\"), `${a}${b}${c} gave ${result}`).toBe(true);
    }
  });
  it("keeps ordinary site paths, normalised", () => {
    expect(safeRedirect("/c/reporting-beta/ideas?sort=top")).toBe("/c/reporting-beta/ideas?sort=top");
    expect(safeRedirect("/c/x/../y")).toBe("/c/y");
    expect(safeRedirect("/search?q=a%20b")).toBe("/search?q=a%20b");
  });
  it("uses the fallback given", () => {
    expect(safeRedirect("https://evil.example", "/home")).toBe("/home");
  });
});
