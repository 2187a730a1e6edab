import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { hasSessionCookie, isAllowedOrigin, securityHeaders } from "#app/lib/security.ts";
import { createGuardedRemixHandler, refuseMalformedPath } from "./request-body.ts";

export interface AppOptions {
  development: boolean;
  /** Express's "trust proxy" setting, from TRUST_PROXY; unset trusts nobody. */
  trustProxy?: string;
  /** The public origin, when the Host header is not to be believed. */
  appOrigin?: string;
}

/**
 * The HTTP layer around Remix: security headers with a per-request CSP nonce, the Origin
 * check on every state-changing request, static files, body limits and malformed-request
 * refusals (request-body.ts), and the load context.
 */
export async function createApp(options: AppOptions): Promise<express.Express> {
  const app = express();
  app.disable("x-powered-by");
  if (options.trustProxy) {
    app.set("trust proxy", options.trustProxy === "loopback" ? "loopback" : options.trustProxy.split(",").map((s) => s.trim()));
  }
  app.use(compression());
  app.use(refuseMalformedPath);

  app.use((req, res, next) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    res.set(securityHeaders({ nonce, https: req.secure, development: options.development }));
    next();
  });

  app.use((req, res, next) => {
    const siteOrigin = options.appOrigin ?? `${req.protocol}://${req.get("host")}`;
    if (isAllowedOrigin(req.method, req.get("origin"), siteOrigin)) return next();
    console.warn(
      JSON.stringify({ event: "origin.refused", method: req.method, path: req.path, origin: req.get("origin") ?? null, at: new Date().toISOString() }),
    );
    res.status(403).type("text/plain").send("Forbidden: this request did not come from this site.");
  });

  let build: ServerBuild | (() => Promise<ServerBuild>);
  if (options.development) {
    const vite = await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } }));
    app.use(vite.middlewares);
    build = () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
  } else {
    // Fingerprinted files never change; everything else in public/ may.
    app.use("/assets", express.static(resolve("build/client/assets"), { immutable: true, maxAge: "1y", index: false }));
    // The few top-level files of public/ (favicon): a set lookup, so pages skip a disk stat.
    const client = resolve("build/client");
    const files = new Set(readdirSync(client, { withFileTypes: true }).filter((f) => f.isFile()).map((f) => `/${f.name}`));
    const serveFile = express.static(client, { maxAge: "1h", index: false });
    app.use((req, res, next) => (files.has(req.path) ? serveFile(req, res, next) : next()));
    build = (await import(pathToFileURL(resolve("build/server/index.js")).href)) as ServerBuild;
  }

  app.use((req, res, next) => {
    // Pages of a signed-in person are never kept by the browser or a shared cache.
    res.set("Cache-Control", hasSessionCookie(req.headers.cookie) ? "no-store" : "no-cache");
    next();
  });

  // Paths, body sizes and body types are decided in request-body.ts before Remix reads anything.
  app.all(
    "*",
    createGuardedRemixHandler({
      build,
      mode: options.development ? "development" : "production",
      getLoadContext: (req, res) => ({
        cspNonce: res.locals.cspNonce as string,
        clientAddress: req.ip ?? req.socket.remoteAddress ?? "unknown",
      }),
    }),
  );

  app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    // Express marks what the client got wrong (an undecodable parameter) with a 4xx status.
    const status = (error as { status?: unknown })?.status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      if (!res.headersSent) res.status(status).type("text/plain").send("Bad request.");
      return;
    }
    console.error(error);
    if (!res.headersSent) res.status(500).type("text/plain").send("Something went wrong on our side. Please try again.");
  });
  return app;
}
