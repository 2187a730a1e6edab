/**
 * What the HTTP layer decides about a request before Remix sees it, once for every route
 * (docs/decisions/013): a path whose percent-encoding does not decode gets 400; a body over
 * its limit gets 413 before it is read (by Content-Length) or as soon as it passes the limit
 * (chunked bodies are counted as they stream); a body that is not a form Remix can read
 * (JSON, XML, a multipart body with a missing, wrong or truncated boundary) gets 400, and so
 * does a legacy `?_data=` request (quietly, where Remix would log a stack trace). The
 * body, at most the limit, is handed to Remix from memory.
 */
import type express from "express";
import { UPLOAD_BODY_LIMIT, UPLOAD_PATHS } from "#app/features/attachments/limits.ts";
import { createRequestHandler as createRemixHandler, writeReadableStreamToWritable, type AppLoadContext, type ServerBuild } from "@remix-run/node";

/** Forms are small: a long post is some tens of kilobytes. */
export const FORM_BODY_LIMIT = 1024 * 1024;

/**
 * Routes that take more than a form (uploads), by path, with their limit; only a multipart
 * body gets it. An upload route adds its paths here rather than reading bodies itself.
 */
export const LARGER_BODY_LIMITS: { path: RegExp; limit: number }[] = [{ path: UPLOAD_PATHS, limit: UPLOAD_BODY_LIMIT }];

export function bodyLimitFor(path: string, contentType = ""): number {
  const multipart = /^multipart\/form-data/i.test(contentType);
  return (multipart && LARGER_BODY_LIMITS.find((l) => l.path.test(path))?.limit) || FORM_BODY_LIMIT;
}

const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

function refuse(res: express.Response, status: 400 | 413, message: string): void {
  res.status(status).type("text/plain").send(message);
}

/**
 * Refuse a path whose percent-encoding does not decode, first of all (Express's router and
 * Remix both decode it and would throw).
 */
export function refuseMalformedPath(req: express.Request, res: express.Response, next: express.NextFunction): void {
  if (isDecodablePath(pathOf(req.originalUrl))) return next();
  refuse(res, 400, "Bad request: the address has broken percent-encoding.");
}

/** Whether every segment of a path decodes (Remix decodes it to match routes; "/c/%FF" throws there). */
export function isDecodablePath(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/** The path part of a request target, without its query. */
function pathOf(originalUrl: string): string {
  const q = originalUrl.search(/[?#]/);
  return q === -1 ? originalUrl : originalUrl.slice(0, q);
}

/**
 * Read a request's body into memory, refusing it past `limit`. Resolves to the body, or to
 * null when a refusal has been sent. The rest of a refused body is read and dropped (never
 * kept) so the client hears the answer; a body still arriving after 5 s has its connection closed.
 */
function readBody(req: express.Request, res: express.Response, limit: number): Promise<Buffer | null> {
  const declared = req.headers["content-length"];
  const tooLarge = `Request body too large: the limit is ${Math.round(limit / 1024)} KB.`;
  if (declared !== undefined && Number(declared) > limit) {
    refuse(res, 413, tooLarge);
    drop(req);
    return Promise.resolve(null);
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        done = true;
        req.off("data", onData);
        chunks.length = 0;
        refuse(res, 413, tooLarge);
        drop(req);
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => {
      if (!done) resolve(Buffer.concat(chunks, size));
    });
    req.once("error", () => {
      if (!done) resolve(null);
      done = true;
    });
  });
}

/** Read and discard what is left of a refused body; close the socket if it goes on past a few seconds. */
function drop(req: express.Request): void {
  req.resume();
  const timer = setTimeout(() => req.socket.destroy(), 5000);
  timer.unref();
  req.once("end", () => clearTimeout(timer));
}

/** Whether a non-empty body is a form Remix can parse; multipart is parsed once here to find out. */
async function isReadableForm(contentType: string | undefined, body: Buffer): Promise<boolean> {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (!FORM_TYPES.has(type)) return false;
  if (type !== "multipart/form-data") return true;
  try {
    await new Response(new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.length), { headers: { "Content-Type": contentType! } }).formData();
    return true;
  } catch {
    return false;
  }
}

/**
 * Serve Remix behind the checks above. Mirrors @remix-run/express's handler, except that
 * the body Remix reads is the one already read and checked here.
 */
export function createGuardedRemixHandler({
  build,
  mode,
  getLoadContext,
}: {
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode: string;
  getLoadContext: (req: express.Request, res: express.Response) => AppLoadContext;
}): express.RequestHandler {
  const handle = createRemixHandler(build, mode);
  return async (req, res, next) => {
    try {
      const path = pathOf(req.originalUrl);
      // Remix's old data requests: this app fetches data by /path.data (single fetch), and
      // Remix logs a warning with a stack trace for every ?_data request (a 500 for some),
      // so anyone could fill the logs. They get a quiet 400 instead.
      if (new URLSearchParams(req.originalUrl.slice(path.length).replace(/#.*$/, "")).has("_data")) {
        return refuse(res, 400, "Bad request: this site does not answer ?_data requests.");
      }
      let body: Buffer | null = null;
      if (req.method !== "GET" && req.method !== "HEAD") {
        body = await readBody(req, res, bodyLimitFor(path, req.get("content-type")));
        if (!body) return;
        if (body.length > 0 && !(await isReadableForm(req.get("content-type"), body))) {
          return refuse(res, 400, "Bad request: send a web form (application/x-www-form-urlencoded or multipart/form-data with a valid boundary).");
        }
      }
      const response = await handle(toRemixRequest(req, res, body), getLoadContext(req, res));
      res.statusMessage = response.statusText;
      res.status(response.status);
      // A route's own Cache-Control (an image's private caching) replaces the page default.
      for (const [key, value] of response.headers.entries()) key === "cache-control" ? res.set(key, value) : res.append(key, value);
      if (response.body) {
        await writeReadableStreamToWritable(response.body, res);
      } else {
        res.end();
      }
    } catch (error) {
      next(error);
    }
  };
}

function toRemixRequest(req: express.Request, res: express.Response, body: Buffer | null): Request {
  // req.hostname follows the "trust proxy" setting; the port comes from the forwarded host or Host.
  const portOf = (value: string | undefined) => Number.parseInt(value?.split(":")[1] ?? "", 10);
  const forwardedPort = portOf(req.get("X-Forwarded-Host"));
  const hostPort = portOf(req.get("host"));
  const port = Number.isSafeInteger(forwardedPort) ? forwardedPort : Number.isSafeInteger(hostPort) ? hostPort : null;
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    if (!values) continue;
    if (Array.isArray(values)) for (const value of values) headers.append(key, value);
    else headers.set(key, values);
  }
  // Loaders and actions stop when the reader goes away before the answer is written.
  let controller: AbortController | null = new AbortController();
  const signal = controller.signal;
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  return new Request(url.href, { method: req.method, headers, signal, body: body === null ? undefined : new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.length) });
}
