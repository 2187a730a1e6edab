import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

/**
 * The import graph between feature folders (app/features/<folder>), read from the source.
 *
 * Every import counts, type-only ones included: `import type` disappears from the build, but
 * it still says one feature needs to know another's concept, and a cycle of concepts is what
 * makes the folders impossible to read (or move) one at a time. Tests (`*.test.ts`) do not
 * count: a test arranges data through whichever features it needs, and nothing imports it.
 */

export interface Edge {
  from: string;
  to: string;
  /** One file and specifier that makes this edge, to say where to look. */
  file: string;
  specifier: string;
}

const FEATURES = "app/features";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Every module specifier a file names: static imports and re-exports, `import()` and `import("…")` types. */
export function specifiersOf(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, fileName.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      found.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The feature folder a specifier points into, or null when it points elsewhere (app/lib, db, a package). */
function featureOf(root: string, file: string, specifier: string): string | null {
  let target: string;
  if (specifier.startsWith("#app/")) target = join(root, "app", specifier.slice("#app/".length));
  else if (specifier.startsWith(".")) target = resolve(dirname(file), specifier);
  else return null;
  const inside = relative(join(root, FEATURES), target);
  if (inside.startsWith("..") || inside === "") return null;
  return inside.split(sep)[0] ?? null;
}

export function featureEdges(root: string): Edge[] {
  const edges = new Map<string, Edge>();
  for (const file of sourceFiles(join(root, FEATURES))) {
    const from = relative(join(root, FEATURES), file).split(sep)[0]!;
    for (const specifier of specifiersOf(file, readFileSync(file, "utf8"))) {
      const to = featureOf(root, file, specifier);
      if (to === null || to === from) continue;
      const key = `${from}→${to}`;
      if (!edges.has(key)) edges.set(key, { from, to, file: relative(root, file), specifier });
    }
  }
  return [...edges.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

/**
 * The cycles between folders, as the edges that make each: the strongly connected groups of
 * folders (Tarjan), then within them the shortest cycle through each edge.
 */
export function featureCycles(edges: Edge[]): Edge[][] {
  const out = new Map<string, Edge[]>();
  for (const edge of edges) out.set(edge.from, [...(out.get(edge.from) ?? []), edge]);
  const nodes = [...new Set(edges.flatMap((e) => [e.from, e.to]))].sort();

  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const connect = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const { to } of out.get(node) ?? []) {
      if (!index.has(to)) {
        connect(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const node of nodes) if (!index.has(node)) connect(node);

  // Within each group, the shortest cycle through each of its edges, once each: every edge
  // that has to go (or be turned round) shows in at least one of them.
  const cycles = new Map<string, Edge[]>();
  for (const group of groups) {
    const inGroup = new Set(group);
    for (const first of edges.filter((e) => inGroup.has(e.from) && inGroup.has(e.to))) {
      const path = shortestPath(out, inGroup, first.to, first.from);
      if (!path) continue;
      const cycle = [first, ...path];
      // The same cycle found from another of its edges reads the same from its smallest folder.
      const names = cycle.map((e) => e.from);
      const turn = names.indexOf([...names].sort()[0]!);
      const key = [...names.slice(turn), ...names.slice(0, turn)].join(" ");
      if (!cycles.has(key)) cycles.set(key, [...cycle.slice(turn), ...cycle.slice(0, turn)]);
    }
  }
  return [...cycles.values()].sort((a, b) => a.length - b.length);
}

/** The fewest edges from one folder to another without leaving the group (none when already there). */
function shortestPath(out: Map<string, Edge[]>, inGroup: Set<string>, from: string, to: string): Edge[] | null {
  if (from === to) return [];
  const via = new Map<string, Edge>();
  const queue = [from];
  while (queue.length && !via.has(to)) {
    const node = queue.shift()!;
    for (const edge of out.get(node) ?? []) {
      if (!inGroup.has(edge.to) || via.has(edge.to) || edge.to === from) continue;
      via.set(edge.to, edge);
      queue.push(edge.to);
    }
  }
  if (!via.has(to)) return null;
  const path: Edge[] = [];
  for (let node = to; node !== from; node = via.get(node)!.from) path.unshift(via.get(node)!);
  return path;
}

export const describeCycle = (cycle: Edge[]) =>
  [cycle.map((e) => e.from).join(" → ") + ` → ${cycle[0]!.from}`, ...cycle.map((e) => `  ${e.from} → ${e.to}: ${e.file} imports "${e.specifier}"`)].join("\n");

if (import.meta.url === `file://${process.argv[1]}`) {
  const cycles = featureCycles(featureEdges(process.cwd()));
  console.log(cycles.length ? cycles.map(describeCycle).join("\n\n") : "No cycles between feature folders.");
  process.exitCode = cycles.length ? 1 : 0;
}
