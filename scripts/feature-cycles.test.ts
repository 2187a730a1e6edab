import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeCycle, featureCycles, featureEdges, specifiersOf } from "./feature-cycles.ts";

// Type-only imports count (see feature-cycles.ts): they vanish from the build, but a feature
// that needs another's types depends on its concept, and that is what a cycle tangles.
describe("feature folders", () => {
  it("import each other without cycles", () => {
    const cycles = featureCycles(featureEdges(process.cwd()));
    expect(cycles.map(describeCycle).join("\n\n"), "cycles between feature folders").toBe("");
  });
});

describe("the cycle check", () => {
  const root = mkdtempSync(join(tmpdir(), "cohort-cycles-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  it("reads every kind of specifier: imports, type imports, re-exports, import() calls and types", () => {
    const text = [
      'import { a } from "#app/features/a/a.ts";',
      'import type { B } from "../b/b.ts";',
      'export { c } from "#app/features/c/c.ts";',
      'const d = await import("#app/features/d/d.ts");',
      'type E = import("#app/features/e/e.ts").E;',
    ].join("\n");
    expect(specifiersOf("x.ts", text)).toEqual(["#app/features/a/a.ts", "../b/b.ts", "#app/features/c/c.ts", "#app/features/d/d.ts", "#app/features/e/e.ts"]);
  });

  it("finds a cycle made through a type-only import and a relative path, and ignores tests, lib and imports within a folder", () => {
    write("app/features/posts/posts.server.ts", 'import { x } from "#app/features/people/people.ts";\nimport { y } from "./own.ts";\nimport { z } from "#app/lib/z.ts";\n');
    write("app/features/people/people.ts", 'import type { Post } from "../posts/posts.server.ts";\n');
    write("app/features/people/people.test.ts", 'import { q } from "#app/features/quiet/quiet.ts";\n');
    write("app/features/quiet/quiet.ts", 'import { p } from "#app/features/people/people.ts";\n');
    const edges = featureEdges(root);
    expect(edges.map((e) => `${e.from}→${e.to}`)).toEqual(["people→posts", "posts→people", "quiet→people"]);
    const cycles = featureCycles(edges);
    expect(cycles.map(describeCycle)).toEqual([
      [
        "people → posts → people",
        '  people → posts: app/features/people/people.ts imports "../posts/posts.server.ts"',
        '  posts → people: app/features/posts/posts.server.ts imports "#app/features/people/people.ts"',
      ].join("\n"),
    ]);
  });

  it("reports each cycle in a tangle of folders once, shortest first", () => {
    const edge = (from: string, to: string) => ({ from, to, file: `${from}.ts`, specifier: to });
    const cycles = featureCycles([edge("a", "b"), edge("b", "a"), edge("b", "c"), edge("c", "a"), edge("c", "d")]);
    expect(cycles.map((cycle) => cycle.map((e) => e.from).join(" "))).toEqual(["a b", "a b c"]);
  });
});
