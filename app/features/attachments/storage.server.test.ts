import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localStorage, parseStorageUrl, s3Storage, storageFromEnvironment, type Storage } from "./storage.server.ts";

const text = async (file: { body: ReadableStream<Uint8Array> } | null) => (file ? Buffer.from(await new Response(file.body).arrayBuffer()).toString() : null);

/** The same behaviour from both kinds of storage. */
function behavesAsStorage(name: string, make: () => Storage) {
  describe(name, () => {
    it("stores, reads back, and deletes files; a missing file is null and deleting it again is no error", async () => {
      const store = make();
      await store.put("abc123.full", Buffer.from("first"), "image/png");
      await store.put("abc123.thumb", Buffer.from("second"), "image/webp");
      expect(await text(await store.get("abc123.full"))).toBe("first");
      expect((await store.get("abc123.thumb"))?.size).toBe(6);
      await store.put("abc123.full", Buffer.from("replaced"), "image/png");
      expect(await text(await store.get("abc123.full"))).toBe("replaced");
      await store.delete(["abc123.full", "abc123.thumb"]);
      expect(await store.get("abc123.full")).toBeNull();
      expect(await store.get("never-written.full")).toBeNull();
      await store.delete(["abc123.full"]);
    });

    it("refuses keys that could leave its place", async () => {
      const store = make();
      await expect(store.put("../escape", Buffer.from("x"), "text/plain")).rejects.toThrow("Not a storage key");
      await expect(store.get("a/b")).rejects.toThrow("Not a storage key");
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), "cohort-storage-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
behavesAsStorage("local storage", () => localStorage(dir));

// A real S3-compatible server (s3rver) on a free port, started for these tests: not a mock.
let server: S3rver;
let endpoint = "";
const s3dir = mkdtempSync(join(tmpdir(), "cohort-s3rver-"));
beforeAll(async () => {
  server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: s3dir, configureBuckets: [{ name: "cohort-test", configs: [] }] });
  const address = await server.run();
  endpoint = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  await server.close();
  rmSync(s3dir, { recursive: true, force: true });
});
behavesAsStorage("S3 storage against s3rver", () =>
  s3Storage({ bucket: "cohort-test", prefix: "attachments", endpoint, region: "us-east-1", credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } }),
);

describe("choosing the storage", () => {
  it("reads STORAGE_URL, with credentials, prefix, endpoint and region", () => {
    expect(parseStorageUrl("s3://KEY:SEC%2FRET@media/cohort/files?endpoint=http://127.0.0.1:9000&region=eu-west-1")).toEqual({
      bucket: "media",
      prefix: "cohort/files",
      endpoint: "http://127.0.0.1:9000",
      region: "eu-west-1",
      credentials: { accessKeyId: "KEY", secretAccessKey: "SEC/RET" },
    });
    expect(storageFromEnvironment({ STORAGE_URL: "s3://media" }).describe).toBe("s3://media");
    expect(storageFromEnvironment({ ATTACHMENTS_DIR: "/srv/files" }).describe).toBe("local directory /srv/files");
    expect(storageFromEnvironment({}).describe).toBe("local directory data/attachments");
    expect(() => parseStorageUrl("https://media")).toThrow("STORAGE_URL must look like");
  });
});
