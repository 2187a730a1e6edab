import { matchPath, matchRoutes, type AgnosticRouteObject } from "@remix-run/router";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, test } from "vitest";

/**
 * patches/@remix-run+router+*.patch (applied by `npm install` through patch-package) makes
 * Remix's server match a request against route branches ranked once per route tree, and
 * build each pattern's regular expression once, instead of both on every request: on
 * /healthz that work was over a third of a worker's time (docs/decisions/012). These tests
 * show the patch is installed and that matching still gives the answers it gave.
 */

const routes = (): AgnosticRouteObject[] => [
  {
    id: "root",
    path: "",
    children: [
      { id: "routes/_index", index: true },
      { id: "routes/c.$slug._index", path: "c/:slug", index: true },
      { id: "routes/c.$slug.ideas", path: "c/:slug/ideas" },
      { id: "routes/c.$slug.t.$threadId", path: "c/:slug/t/:threadId" },
      { id: "routes/c.$slug.t.$threadId_.poll", path: "c/:slug/t/:threadId/poll" },
      { id: "routes/c.$slug.dashboard[.]csv", path: "c/:slug/dashboard.csv" },
      { id: "routes/communities.new", path: "communities/new" },
      { id: "routes/people.$userId", path: "people/:userId" },
      { id: "routes/healthz", path: "healthz" },
      { id: "routes/$", path: "*" },
    ],
  },
];

const leaf = (tree: AgnosticRouteObject[], path: string) => {
  const matches = matchRoutes(tree, path);
  const last = matches?.at(-1);
  return last ? { id: last.route.id, params: last.params } : null;
};

describe("route matching with the router patch", () => {
  test("the patch is installed (npm install runs patch-package)", () => {
    const source = readFileSync(createRequire(import.meta.url).resolve("@remix-run/router"), "utf8");
    expect(source).toContain("rankedBranchesCache");
    expect(source).toContain("compilePathUncached");
    expect(source).toContain("wholePath");
  });

  test("the most specific route wins, static before dynamic before the splat, the same on every call", () => {
    const tree = routes();
    for (let call = 0; call < 3; call++) {
      expect(leaf(tree, "/")).toEqual({ id: "routes/_index", params: {} });
      expect(leaf(tree, "/communities/new")).toEqual({ id: "routes/communities.new", params: {} });
      expect(leaf(tree, "/c/beta/t/t1")).toEqual({ id: "routes/c.$slug.t.$threadId", params: { slug: "beta", threadId: "t1" } });
      expect(leaf(tree, "/c/beta/t/t2/poll")).toEqual({ id: "routes/c.$slug.t.$threadId_.poll", params: { slug: "beta", threadId: "t2" } });
      expect(leaf(tree, "/c/beta/dashboard.csv")).toEqual({ id: "routes/c.$slug.dashboard[.]csv", params: { slug: "beta" } });
      expect(leaf(tree, "/C/Beta/Ideas/")).toEqual({ id: "routes/c.$slug.ideas", params: { slug: "Beta" } });
      expect(leaf(tree, "/c/b%C3%A9ta/t/x%20y")).toEqual({ id: "routes/c.$slug.t.$threadId", params: { slug: "béta", threadId: "x y" } });
      expect(leaf(tree, "/no/such/page")).toEqual({ id: "routes/$", params: { "*": "no/such/page" } });
    }
  });

  test("each route tree keeps its own ranking: a new tree (a rebuilt app in development) is matched afresh", () => {
    const first = routes();
    expect(leaf(first, "/healthz")?.id).toBe("routes/healthz");
    const second: AgnosticRouteObject[] = [{ id: "root", path: "", children: [{ id: "other", path: "healthz/*" }] }];
    expect(leaf(second, "/healthz/deep")).toEqual({ id: "other", params: { "*": "deep" } });
    expect(leaf(first, "/healthz/deep")?.id).toBe("routes/$");
  });

  test("a cached pattern gives fresh params each time, case-sensitive and open-ended patterns apart", () => {
    const one = matchPath("/people/:userId", "/people/u1");
    const two = matchPath("/people/:userId", "/people/u2");
    expect(one?.params).toEqual({ userId: "u1" });
    expect(two?.params).toEqual({ userId: "u2" });
    expect(matchPath({ path: "/Exact", caseSensitive: true }, "/exact")).toBeNull();
    expect(matchPath({ path: "/Exact", caseSensitive: false }, "/exact")).not.toBeNull();
    expect(matchPath({ path: "/c/:slug", end: false }, "/c/beta/more")?.pathnameBase).toBe("/c/beta");
    expect(matchPath({ path: "/c/:slug", end: true }, "/c/beta/more")).toBeNull();
  });

  test("a branch passed over by its whole-path test is one the route-by-route match refuses: nested, pathless, case-sensitive and odd paths", () => {
    // The expected answers are those of the router without the patch (checked against it
    // over Cohort's built route tree and 88,613 paths when the whole-path test was added).
    const tree: AgnosticRouteObject[] = [
      {
        id: "root",
        path: "",
        children: [
          { id: "layout", children: [{ id: "settings", path: "account/settings" }] },
          { id: "community", path: "c/:slug", children: [{ id: "thread", path: "t/:threadId" }, { id: "community-index", index: true }] },
          { id: "Exact", path: "Exact", caseSensitive: true },
          { id: "files", path: "files/*" },
        ],
      },
    ];
    const all = (path: string) => matchRoutes(tree, path)?.map((m) => [m.route.id, m.pathnameBase, m.params]) ?? null;
    expect(all("/c/beta/t/t1")).toEqual([
      ["root", "/", { slug: "beta", threadId: "t1" }],
      ["community", "/c/beta", { slug: "beta", threadId: "t1" }],
      ["thread", "/c/beta/t/t1", { slug: "beta", threadId: "t1" }],
    ]);
    expect(all("/c/beta/t/t1/")?.at(-1)).toEqual(["thread", "/c/beta/t/t1", { slug: "beta", threadId: "t1" }]);
    expect(all("//c//beta//t//t1//")).toBeNull();
    expect(all("/c/beta//t/t1")).toBeNull();
    expect(all("/c/beta/")?.at(-1)?.[0]).toBe("community-index");
    expect(all("/c/beta/t")).toBeNull();
    expect(all("/account/settings")).toEqual([
      ["root", "/", {}],
      ["layout", "/", {}],
      ["settings", "/account/settings", {}],
    ]);
    expect(all("/ACCOUNT/Settings/")?.at(-1)?.[0]).toBe("settings");
    expect(all("/Exact")?.at(-1)?.[0]).toBe("Exact");
    expect(all("/exact")).toBeNull();
    expect(all("/files")?.at(-1)).toEqual(["files", "/files", { "*": "" }]);
    expect(all("/files/a/b%20c")?.at(-1)).toEqual(["files", "/files", { "*": "a/b c" }]);
    expect(all("/c/b%C3%A9ta/t/x%2Fy")?.at(-1)).toEqual(["thread", "/c/béta/t/x%2Fy", { slug: "béta", threadId: "x/y" }]);
  });
});
