/**
 * Where attachment files live: the one module that touches them. Local files under the data
 * directory by default (`ATTACHMENTS_DIR`, default data/attachments), so `npm start` needs
 * nothing else; any S3-compatible object store when `STORAGE_URL` is set
 * (s3://KEY:SECRET@bucket/prefix?endpoint=https://…&region=…), so several app machines share
 * the files. Keys are made by the app (an attachment id and a variant), never by a user.
 */
import { DeleteObjectsCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createReadStream } from "node:fs";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import { randomBytes } from "node:crypto";
import { env } from "#app/lib/env.server.ts";

export interface StoredFile {
  body: ReadableStream<Uint8Array>;
  size: number;
}

export interface Storage {
  /** Where files go, for logs and the README ("local directory data/attachments", "s3://bucket/prefix"). */
  readonly describe: string;
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The file, or null when there is none. */
  get(key: string): Promise<StoredFile | null>;
  /** Delete files; a missing one is not an error. */
  delete(keys: string[]): Promise<void>;
}

const SAFE_KEY = /^[A-Za-z0-9_-]{1,80}(\.[a-z]{1,8})?$/;

function checkKey(key: string): string {
  if (!SAFE_KEY.test(key)) throw new Error(`Not a storage key: ${JSON.stringify(key)}`);
  return key;
}

/** Files in a directory, two levels of fan-out so no directory grows huge; written to a temporary name and renamed, so a reader never sees half a file. */
export function localStorage(directory: string): Storage {
  const root = resolve(directory);
  const pathOf = (key: string) => join(root, checkKey(key).slice(0, 2), key);
  return {
    describe: `local directory ${directory}`,
    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(join(root, key.slice(0, 2)), { recursive: true });
      const staging = `${path}.${randomBytes(4).toString("hex")}.tmp`;
      await writeFile(staging, bytes);
      await rename(staging, path);
    },
    async get(key) {
      const path = pathOf(key);
      const info = await stat(path).catch(() => null);
      if (!info?.isFile()) return null;
      return { body: Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>, size: info.size };
    },
    async delete(keys) {
      await Promise.all(keys.map((key) => rm(pathOf(key), { force: true })));
    },
  };
}

export interface S3Location {
  bucket: string;
  prefix: string;
  endpoint?: string;
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** s3://KEY:SECRET@bucket/prefix?endpoint=…&region=… ; without KEY:SECRET the SDK's usual chain (AWS_ACCESS_KEY_ID, roles) applies. */
export function parseStorageUrl(value: string): S3Location {
  const url = new URL(value);
  if (url.protocol !== "s3:" || !url.hostname) throw new Error("STORAGE_URL must look like s3://bucket/prefix?endpoint=https://…&region=…");
  const endpoint = url.searchParams.get("endpoint") ?? undefined;
  return {
    bucket: url.hostname,
    prefix: decodeURIComponent(url.pathname.replace(/^\/+/, "").replace(/\/+$/, "")),
    endpoint,
    region: url.searchParams.get("region") ?? "us-east-1",
    credentials: url.username ? { accessKeyId: decodeURIComponent(url.username), secretAccessKey: decodeURIComponent(url.password) } : undefined,
  };
}

/** An S3 bucket (AWS, MinIO, R2, s3rver…) through the AWS SDK v3; path-style addressing whenever an endpoint is given. */
export function s3Storage(location: S3Location): Storage {
  const client = new S3Client({
    region: location.region,
    endpoint: location.endpoint,
    forcePathStyle: location.endpoint !== undefined,
    credentials: location.credentials,
  });
  const keyOf = (key: string) => (location.prefix ? `${location.prefix}/${checkKey(key)}` : checkKey(key));
  return {
    describe: `s3://${location.bucket}${location.prefix ? `/${location.prefix}` : ""}`,
    async put(key, bytes, contentType) {
      await client.send(new PutObjectCommand({ Bucket: location.bucket, Key: keyOf(key), Body: bytes, ContentType: contentType }));
    },
    async get(key) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: keyOf(key) }));
        if (!object.Body) return null;
        return { body: object.Body.transformToWebStream() as ReadableStream<Uint8Array>, size: Number(object.ContentLength ?? 0) };
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === "NoSuchKey") return null;
        throw error;
      }
    },
    async delete(keys) {
      for (let i = 0; i < keys.length; i += 1000) {
        const batch = keys.slice(i, i + 1000);
        if (batch.length) await client.send(new DeleteObjectsCommand({ Bucket: location.bucket, Delete: { Objects: batch.map((key) => ({ Key: keyOf(key) })), Quiet: true } }));
      }
    },
  };
}

export const DEFAULT_ATTACHMENTS_DIR = "data/attachments";

/** The storage this process uses, from the environment: STORAGE_URL, else ATTACHMENTS_DIR, else data/attachments. */
export function storageFromEnvironment(environment: { STORAGE_URL?: string; ATTACHMENTS_DIR?: string } = env()): Storage {
  if (environment.STORAGE_URL) return s3Storage(parseStorageUrl(environment.STORAGE_URL));
  return localStorage(environment.ATTACHMENTS_DIR || DEFAULT_ATTACHMENTS_DIR);
}

let current: Storage | null = null;

/** The process's storage, made once. Tests replace it with useStorage. */
export function storage(): Storage {
  current ??= storageFromEnvironment();
  return current;
}

export function useStorage(next: Storage | null): void {
  current = next;
}
