import { describe, expect, test } from "vitest";
import { cspNonce } from "./csp-nonce.ts";

describe("CSP nonces", () => {
  test("each is 128 bits in base64 and none repeats, across several refills of the pool", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const nonce = cspNonce();
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(Buffer.from(nonce, "base64")).toHaveLength(16);
      seen.add(nonce);
    }
    expect(seen.size).toBe(2000);
  });
});
