import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createElement as h } from "react";
import { describe, expect, test } from "vitest";
import * as entry from "#app/entry.server.tsx";

/**
 * patches/@remix-run+react+*.patch and patches/react-router-dom+*.patch (applied by
 * `npm install` through patch-package) keep the route tree a build renders with, and the
 * router's data routes made from it, from one request to the next instead of making both on
 * every page: about a tenth of a page's CPU (docs/decisions/012). These tests render pages
 * through Remix's own handler and Cohort's entry.server: each request still gets its own
 * page, however requests interleave, and a new build gets its own tree.
 */

const future = { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_singleFetch: true, v3_lazyRouteDiscovery: true };
const flags = { hasAction: false, hasClientAction: false, hasClientLoader: false, hasErrorBoundary: false, imports: [] };

function buildWith(threadWord: string, assets?: ServerBuild["assets"]): ServerBuild {
  const modules = {
    root: { default: () => h("main", null, h(Outlet)), loader: () => ({ site: "test" }) },
    "routes/thread": {
      default: () => h("p", { id: "leaf" }, `${threadWord} ${(useLoaderData() as { id: string }).id}`),
      loader: ({ params }: { params: Record<string, string> }) => ({ id: params.threadId }),
    },
    "routes/person": {
      default: () => h("p", { id: "leaf" }, `person ${(useLoaderData() as { id: string }).id}`),
      loader: ({ params }: { params: Record<string, string> }) => ({ id: params.userId }),
    },
  };
  const paths = { root: "", "routes/thread": "c/:slug/t/:threadId", "routes/person": "people/:userId" };
  const ids = Object.keys(modules) as (keyof typeof modules)[];
  return {
    mode: "production",
    entry: { module: entry },
    routes: Object.fromEntries(ids.map((id) => [id, { id, path: paths[id], parentId: id === "root" ? undefined : "root", module: modules[id] }])),
    assets: assets ?? {
      entry: { module: "/entry.client.js", imports: [] },
      url: "/manifest.js",
      version: "test",
      routes: Object.fromEntries(ids.map((id) => [id, { id, path: paths[id], parentId: id === "root" ? undefined : "root", module: `/${id}.js`, hasLoader: true, ...flags }])),
    },
    basename: undefined,
    publicPath: "/",
    assetsBuildDirectory: "build/client",
    future,
    isSpaMode: false,
  } as unknown as ServerBuild;
}

const leafOf = (html: string) => /<p id="leaf">([^<]*)<\/p>/.exec(html)?.[1];

async function page(handler: ReturnType<typeof createRequestHandler>, path: string) {
  const response = await handler(new Request(`http://cohort.test${path}`), { cspNonce: "nonce", clientAddress: "127.0.0.1" });
  expect(response.status).toBe(200);
  return leafOf(await response.text());
}

describe("route trees kept from one render to the next", () => {
  test("the patches are installed (npm install runs patch-package)", () => {
    const require = createRequire(import.meta.url);
    expect(readFileSync(require.resolve("@remix-run/react/dist/server.js"), "utf8")).toContain("serverRoutesCache");
    expect(readFileSync(require.resolve("react-router-dom/server.js"), "utf8")).toContain("dataRoutesCache");
  });

  test("each request renders its own route and data, in turn and interleaved", async () => {
    const handler = createRequestHandler(buildWith("thread"));
    expect(await page(handler, "/c/beta/t/t1")).toBe("thread t1");
    expect(await page(handler, "/people/u2")).toBe("person u2");
    expect(await page(handler, "/c/beta/t/t3")).toBe("thread t3");
    const paths = Array.from({ length: 12 }, (_, i) => (i % 2 ? `/people/u${i}` : `/c/beta/t/t${i}`));
    const leaves = await Promise.all(paths.map((path) => page(handler, path)));
    expect(leaves).toEqual(paths.map((path, i) => (i % 2 ? `person u${i}` : `thread t${i}`)));
  });

  test("a new build with the same manifest but other route modules renders its own components", async () => {
    const first = buildWith("thread");
    expect(await page(createRequestHandler(first), "/c/beta/t/t1")).toBe("thread t1");
    // Same manifest object (as a development server may keep), new modules: the kept tree is not used.
    const second = buildWith("discussion", first.assets);
    expect(await page(createRequestHandler(second), "/c/beta/t/t1")).toBe("discussion t1");
    expect(await page(createRequestHandler(first), "/c/beta/t/t1")).toBe("thread t1");
  });
});
