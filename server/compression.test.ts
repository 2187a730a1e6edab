import { gunzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { acceptsGzip, gzip, shouldCompress } from "./compression.ts";

const headers = (init: Record<string, string>) => new Headers(init);

describe("compression", () => {
  test("text over a kilobyte is gzipped for a client that takes gzip", async () => {
    expect(shouldCompress("GET", "gzip, deflate, br", 200, headers({ "content-type": "text/html; charset=utf-8", "content-length": "5000" }))).toBe(true);
    const body = Buffer.from("hello ".repeat(500));
    expect(gunzipSync(await gzip(body)).equals(body)).toBe(true);
  });

  test("small, binary, already encoded, no-transform, HEAD and 304 answers are left alone", () => {
    const html = { "content-type": "text/html" };
    expect(shouldCompress("GET", "gzip", 200, headers({ ...html, "content-length": "500" }))).toBe(false);
    // A body without a Content-Length, read whole first (server/response-body.ts): its size decides.
    expect(shouldCompress("GET", "gzip", 200, headers(html), 500)).toBe(false);
    expect(shouldCompress("GET", "gzip", 200, headers(html), 5000)).toBe(true);
    expect(shouldCompress("GET", "gzip", 200, headers({ "content-type": "image/png", "content-length": "50000" }))).toBe(false);
    expect(shouldCompress("GET", "gzip", 200, headers({ ...html, "content-encoding": "br" }))).toBe(false);
    expect(shouldCompress("GET", "gzip", 200, headers({ ...html, "cache-control": "no-transform" }))).toBe(false);
    expect(shouldCompress("HEAD", "gzip", 200, headers(html))).toBe(false);
    expect(shouldCompress("GET", "gzip", 304, headers(html))).toBe(false);
  });

  test("Accept-Encoding is read with its weights", () => {
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip("br")).toBe(false);
    expect(acceptsGzip("gzip;q=0")).toBe(false);
    expect(acceptsGzip("br, gzip;q=0.5")).toBe(true);
    expect(acceptsGzip("*")).toBe(true);
  });
});
