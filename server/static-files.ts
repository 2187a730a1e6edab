/**
 * The build's static files: fingerprinted /assets/* cached for a year as immutable, the few
 * top-level files of public/ (favicon) for an hour. Files are read once and kept in memory
 * with their gzipped form (the build is fixed while the process runs); a page request
 * costs one lookup in a map, never a disk stat. Anything else falls through to Remix.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { acceptsGzip, COMPRESSION_THRESHOLD, isCompressible } from "./compression.ts";

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

export interface StaticFile {
  body: Buffer;
  gzipped: Buffer | null;
  headers: Record<string, string>;
}

/** The static files under a build's client directory, by URL path. */
export function loadStaticFiles(clientDirectory: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const add = (urlPath: string, file: string, cacheControl: string) => {
    const body = readFileSync(file);
    const stat = statSync(file);
    const type = TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";
    const gzipped = isCompressible(type) && body.length >= COMPRESSION_THRESHOLD ? gzipSync(body) : null;
    const headers: Record<string, string> = {
      "Content-Type": type,
      "Cache-Control": cacheControl,
      ETag: `W/"${body.length.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`,
      "Last-Modified": stat.mtime.toUTCString(),
    };
    if (gzipped) headers.Vary = "Accept-Encoding";
    files.set(urlPath, { body, gzipped, headers });
  };
  const walk = (directory: string, urlPath: string, cacheControl: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(directory, entry.name), `${urlPath}/${entry.name}`, cacheControl);
      else if (entry.isFile()) add(`${urlPath}/${entry.name}`, join(directory, entry.name), cacheControl);
    }
  };
  for (const entry of readdirSync(clientDirectory, { withFileTypes: true })) {
    if (entry.isFile()) add(`/${entry.name}`, join(clientDirectory, entry.name), "public, max-age=3600");
    else if (entry.isDirectory() && entry.name === "assets") walk(join(clientDirectory, "assets"), "/assets", "public, max-age=31536000, immutable");
  }
  return files;
}

/**
 * The answer for a static file, or null when the path is not one (GET and HEAD only).
 * Conditional requests get 304.
 */
export function staticAnswer(
  files: Map<string, StaticFile>,
  method: string,
  path: string,
  requestHeaders: { "if-none-match"?: string; "accept-encoding"?: string | string[] },
): { status: number; headers: Record<string, string>; body: Buffer | null } | null {
  if (method !== "GET" && method !== "HEAD") return null;
  const file = files.get(path);
  if (!file) return null;
  if (requestHeaders["if-none-match"]?.split(",").some((tag) => tag.trim() === file.headers.ETag || tag.trim() === "*")) {
    return { status: 304, headers: { ETag: file.headers.ETag!, "Cache-Control": file.headers["Cache-Control"]! }, body: null };
  }
  const gzipped = file.gzipped && acceptsGzip(requestHeaders["accept-encoding"]);
  const body = gzipped ? file.gzipped! : file.body;
  const headers = { ...file.headers, "Content-Length": String(body.length), ...(gzipped ? { "Content-Encoding": "gzip" } : {}) };
  return { status: 200, headers, body: method === "HEAD" ? null : body };
}
