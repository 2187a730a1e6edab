import type { IncomingMessage } from "node:http";
import { describe, expect, test } from "vitest";
import { clientOf, parseTrustProxy } from "./client-address.ts";

const request = (remoteAddress: string, headers: Record<string, string> = {}) =>
  ({ socket: { remoteAddress }, headers: { host: "cohort.test:3000", ...headers } }) as unknown as IncomingMessage;

describe("client address", () => {
  test("without TRUST_PROXY the socket is believed and forwarded headers are not", () => {
    const client = clientOf(request("203.0.113.9", { "x-forwarded-for": "198.51.100.1", "x-forwarded-proto": "https", "x-forwarded-host": "evil.test" }), parseTrustProxy(undefined));
    expect(client).toEqual({ address: "203.0.113.9", https: false, host: "cohort.test:3000" });
  });

  test("a trusted proxy's X-Forwarded-For, -Proto and -Host are believed", () => {
    const trust = parseTrustProxy("loopback");
    const client = clientOf(request("::ffff:127.0.0.1", { "x-forwarded-for": "198.51.100.1", "x-forwarded-proto": "https", "x-forwarded-host": "cohort.example" }), trust);
    expect(client).toEqual({ address: "198.51.100.1", https: true, host: "cohort.example" });
  });

  test("an untrusted peer cannot claim an address, even naming a trusted one", () => {
    const trust = parseTrustProxy("10.0.0.0/8, 127.0.0.1");
    expect(clientOf(request("203.0.113.9", { "x-forwarded-for": "127.0.0.1" }), trust).address).toBe("203.0.113.9");
  });

  test("the nearest untrusted hop is the client: a spoofed first entry is ignored", () => {
    const trust = parseTrustProxy("10.0.0.0/8");
    const client = clientOf(request("10.0.0.2", { "x-forwarded-for": "1.2.3.4, 198.51.100.7, 10.0.0.5" }), trust);
    expect(client.address).toBe("198.51.100.7");
  });

  test("named ranges and IPv6 work; a wrong entry is refused at start", () => {
    const trust = parseTrustProxy("uniquelocal,linklocal")!;
    expect(trust("192.168.1.1")).toBe(true);
    expect(trust("fd00::1")).toBe(true);
    expect(trust("8.8.8.8")).toBe(false);
    expect(() => parseTrustProxy("proxy.example")).toThrow(/TRUST_PROXY/);
  });
});
