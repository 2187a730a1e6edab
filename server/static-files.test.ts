import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { loadStaticFiles, staticAnswer } from "./static-files.ts";

function build() {
  const client = mkdtempSync(join(tmpdir(), "cohort-static-"));
  mkdirSync(join(client, "assets"));
  writeFileSync(join(client, "assets", "entry-AbC123.js"), "console.log('hello');\n".repeat(200));
  writeFileSync(join(client, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
  return loadStaticFiles(client);
}

describe("static files", () => {
  const files = build();

  test("fingerprinted assets are immutable for a year, gzipped for clients that take it", () => {
    const answer = staticAnswer(files, "GET", "/assets/entry-AbC123.js", { "accept-encoding": "gzip" })!;
    expect(answer.status).toBe(200);
    expect(answer.headers["Cache-Control"]).toBe("public, max-age=31536000, immutable");
    expect(answer.headers["Content-Type"]).toMatch(/^text\/javascript/);
    expect(answer.headers["Content-Encoding"]).toBe("gzip");
    expect(gunzipSync(answer.body!).toString()).toContain("console.log");
    const plain = staticAnswer(files, "GET", "/assets/entry-AbC123.js", {})!;
    expect(plain.headers["Content-Encoding"]).toBeUndefined();
    expect(plain.body!.length).toBe(Number(plain.headers["Content-Length"]));
  });

  test("top-level files are kept an hour; a known ETag gets 304; HEAD has no body", () => {
    const answer = staticAnswer(files, "GET", "/favicon.svg", {})!;
    expect(answer.headers["Cache-Control"]).toBe("public, max-age=3600");
    expect(staticAnswer(files, "GET", "/favicon.svg", { "if-none-match": answer.headers.ETag })!.status).toBe(304);
    expect(staticAnswer(files, "HEAD", "/favicon.svg", {})!.body).toBeNull();
  });

  test("anything else, other methods and path tricks fall through to the app", () => {
    expect(staticAnswer(files, "GET", "/assets/missing.js", {})).toBeNull();
    expect(staticAnswer(files, "POST", "/favicon.svg", {})).toBeNull();
    expect(staticAnswer(files, "GET", "/assets/../favicon.svg", {})).toBeNull();
    expect(staticAnswer(files, "GET", "/", {})).toBeNull();
  });
});
