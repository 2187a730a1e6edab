import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// Every route action answers refusals through app/lib/form-action.server.ts (docs/decisions/026).
// A copy of that catch in a route drifts (Retry-After dropped, a 404 shown as a form error):
// this keeps the one path one.
const ROUTES = join(import.meta.dirname, ".");
const HELPERS = /\b(act|actOn|withSubmission|actForScript)\(/;

const routeFiles = readdirSync(ROUTES).filter((name) => /\.tsx?$/.test(name) && !name.includes(".test."));

/** The text of `export async function action(...) { ... }`, up to its closing brace at the start of a line. */
function actionOf(source: string): string | null {
  const start = source.search(/^export (async )?function action\b/m);
  if (start < 0) return null;
  const end = source.indexOf("\n}", start);
  return source.slice(start, end < 0 ? undefined : end + 2);
}

describe("one action path", () => {
  it("finds the routes", () => {
    expect(routeFiles.length).toBeGreaterThan(30);
    expect(routeFiles.filter((name) => actionOf(readFileSync(join(ROUTES, name), "utf8"))).length).toBeGreaterThan(25);
  });

  it.each(routeFiles)("%s answers no Refusal itself", (name) => {
    const source = readFileSync(join(ROUTES, name), "utf8");
    expect(source).not.toMatch(/instanceof\s+Refusal/);
    const action = actionOf(source);
    if (!action) return;
    expect(action, "an action runs its work through act, actOn, withSubmission or actForScript").toMatch(HELPERS);
    expect(action, "an action has no try/catch of its own").not.toMatch(/\btry\s*\{|\bcatch\s*\(|\.catch\(/);
  });

  it("would catch a route that copies the catch", () => {
    const copied = `export async function action() {\n  try {\n    await work();\n  } catch (error) {\n    if (!(error instanceof Refusal)) throw error;\n  }\n}\n`;
    expect(actionOf(copied)).not.toMatch(HELPERS);
    expect(actionOf(copied)).toMatch(/\btry\s*\{/);
    expect(copied).toMatch(/instanceof\s+Refusal/);
  });
});
