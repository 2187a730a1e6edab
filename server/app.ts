import { createRequest } from "@remix-run/node-fetch-server";
import { createRequestHandler, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import type { IncomingMessage, ServerResponse } from "node:http";
import { resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { pathToFileURL } from "node:url";
import { createGzip } from "node:zlib";
import { now } from "#app/lib/clock.ts";
import { hasSessionCookie, isAllowedOrigin, securityHeaders } from "#app/lib/security.ts";
import { cspNonce } from "./csp-nonce.ts";
import { clientOf, parseTrustProxy, type Client } from "./client-address.ts";
import { gzip, isCompressible, shouldCompress } from "./compression.ts";
import { readFormBody, refuseTarget, type Refusal } from "./request-body.ts";
import { wholeOrStream } from "./response-body.ts";
import { loadStaticFiles, staticAnswer } from "./static-files.ts";

export interface AppOptions {
  development: boolean;
  /** TRUST_PROXY: the proxies whose X-Forwarded-* headers are believed; unset trusts nobody. */
  trustProxy?: string;
  /** The public origin, when the Host header is not to be believed. */
  appOrigin?: string;
  /** Gzip text answers here (true unless COMPRESSION=off: a proxy in front does it). */
  compress?: boolean;
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The HTTP layer around Remix, on node:http with @remix-run/node-fetch-server building the
 * Fetch request (docs/decisions/005): for every request, in this order,
 * 1. refusals by the target alone (undecodable path, ?_data) — request-body.ts;
 * 2. security headers with a fresh CSP nonce, on every answer — app/lib/security.ts;
 * 3. the Origin rule for state-changing requests — app/lib/security.ts;
 * 4. static files from memory — static-files.ts;
 * 5. body limits and form checks, the body read into memory — request-body.ts;
 * 6. Remix, with the nonce and the client address (client-address.ts) in the load context;
 *    signed-in answers are never stored, others revalidated; text gzipped — compression.ts.
 */
export async function createRequestListener(options: AppOptions): Promise<Listener> {
  const trust = parseTrustProxy(options.trustProxy);
  const compress = options.compress ?? true;
  let build: ServerBuild | (() => Promise<ServerBuild>);
  let files = new Map<string, never>() as ReturnType<typeof loadStaticFiles>;
  let vite: { middlewares: (req: IncomingMessage, res: ServerResponse, next: () => void) => void } | undefined;
  if (options.development) {
    const server = await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } }));
    vite = server;
    build = () => server.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
  } else {
    files = loadStaticFiles(resolve("build/client"));
    build = (await import(pathToFileURL(resolve("build/server/index.js")).href)) as ServerBuild;
  }
  const remix = createRequestHandler(build, options.development ? "development" : "production");

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const target = req.url ?? "/";
    const client = clientOf(req, trust);
    const nonce = cspNonce();
    const headers: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(securityHeaders({ nonce, https: client.https, development: options.development }))) headers[key.toLowerCase()] = value;

    const refusal = refuseTarget(target);
    if (refusal) return refuse(res, headers, refusal);

    const siteOrigin = options.appOrigin ?? `${client.https ? "https" : "http"}://${req.headers.host ?? ""}`;
    const origin = req.headers.origin;
    if (!isAllowedOrigin(method, origin, siteOrigin)) {
      console.warn(JSON.stringify({ event: "origin.refused", method, path: target.split("?")[0], origin: origin ?? null, at: new Date(now()).toISOString() }));
      req.resume();
      return send(res, 403, { ...headers, "Content-Type": "text/plain; charset=utf-8" }, "Forbidden: this request did not come from this site.");
    }

    const path = target.split("?")[0]!;
    const file = staticAnswer(files, method, path, req.headers as never);
    if (file) return void res.writeHead(file.status, { ...headers, ...file.headers }).end(file.body ?? undefined);

    let body: Buffer | null = null;
    if (method !== "GET" && method !== "HEAD") {
      const read = await readFormBody(req, path);
      if (!Buffer.isBuffer(read)) return refuse(res, headers, read);
      body = read;
    }

    let request: Request;
    try {
      request = toRequest(req, res, client, body);
    } catch {
      return refuse(res, headers, { status: 400, message: "Bad request." });
    }
    const context: AppLoadContext = { cspNonce: nonce, clientAddress: client.address };
    const response = await remix(request, context);
    await write(req, res, response, headers);
  }

  /** Send Remix's answer with our headers; gzip it where that pays. */
  async function write(req: IncomingMessage, res: ServerResponse, response: Response, headers: Record<string, string | string[]>): Promise<void> {
    for (const [key, value] of response.headers) if (key !== "set-cookie") headers[key] = value;
    const cookies = response.headers.getSetCookie();
    if (cookies.length) headers["set-cookie"] = cookies;
    // Pages of a signed-in person are never kept by the browser or a shared cache, unless the
    // route chose private caching for its reader itself (an attachment it already checked).
    const ownPrivateCaching = /\bprivate\b/i.test(response.headers.get("cache-control") ?? "");
    if (hasSessionCookie(req.headers.cookie) && !ownPrivateCaching) headers["cache-control"] = "no-store";
    else headers["cache-control"] ??= "no-cache";
    const method = req.method ?? "GET";
    const gzips = (length: number | null) => compress && shouldCompress(method, req.headers["accept-encoding"], response.status, response.headers, length);
    if (compress && isCompressible(response.headers.get("content-type"))) headers.vary = "Accept-Encoding";
    if (!response.body || method === "HEAD") {
      head(res, response, headers).end();
      await response.body?.cancel();
      return;
    }
    // A whole document (app/entry.server.tsx), or a body that comes in one piece (a JSON
    // answer, most data requests): one write with its length, gzipped at once if it pays.
    const body = response.headers.has("content-length") ? Buffer.from(await response.arrayBuffer()) : await wholeOrStream(response.body);
    if (Buffer.isBuffer(body)) {
      let bytes = body;
      if (gzips(bytes.length)) {
        bytes = await gzip(bytes);
        headers["content-encoding"] = "gzip";
      }
      headers["content-length"] = String(bytes.length);
      head(res, response, headers).end(bytes);
      return;
    }
    // A longer stream (exports): passed on as it comes, gzipped on the way if asked.
    const gzipped = gzips(null);
    if (gzipped) headers["content-encoding"] = "gzip";
    head(res, response, headers);
    try {
      if (gzipped) await pipeline(body, createGzip(), res);
      else await pipeline(body, res);
    } catch {
      // The reader went away; nothing more to send.
    }
  }

  return (req, res) => {
    const run = () =>
      handle(req, res).catch((error: unknown) => {
        console.error(error);
        if (!res.headersSent) send(res, 500, { "Content-Type": "text/plain; charset=utf-8" }, "Something went wrong on our side. Please try again.");
        else res.destroy();
      });
    if (vite) vite.middlewares(req, res, () => void run());
    else void run();
  };
}

/** writeHead with Remix's status text when it has one (a Response built without one has ""). */
function head(res: ServerResponse, response: Response, headers: Record<string, string | string[]>): ServerResponse {
  return response.statusText ? res.writeHead(response.status, response.statusText, headers) : res.writeHead(response.status, headers);
}

function send(res: ServerResponse, status: number, headers: Record<string, string | string[]>, text: string): void {
  const body = Buffer.from(text);
  res.writeHead(status, { ...headers, "Content-Length": String(body.length) }).end(body);
}

function refuse(res: ServerResponse, headers: Record<string, string | string[]>, refusal: Refusal): void {
  send(res, refusal.status, { ...headers, "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" }, refusal.message);
}

/**
 * The Fetch request Remix reads: node-fetch-server's (with its abort signal tied to the
 * connection) for bodiless requests; for others, the body already read and checked.
 * The URL uses the protocol and host decided by client-address.ts.
 */
function toRequest(req: IncomingMessage, res: ServerResponse, client: Client, body: Buffer | null): Request {
  const protocol = client.https ? "https:" : "http:";
  if (body === null) return createRequest(req, res, { protocol, host: client.host });
  const controller = new AbortController();
  let finished = false;
  res.once("finish", () => (finished = true));
  res.once("close", () => {
    if (!finished) controller.abort();
  });
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else headers.set(key, value);
  }
  const url = new URL(`${protocol}//${client.host}${req.url ?? "/"}`);
  return new Request(url.href, { method: req.method, headers, signal: controller.signal, body: new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.length) });
}
