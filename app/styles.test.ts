import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";

/**
 * Tailwind writes no CSS for a colour class whose colour the theme lacks, and says nothing:
 * `ring-brand-300` without `--color-brand-300` left a thick near-black ring. This check
 * reads every colour class in app/ and fails on one whose colour is not in Tailwind's
 * palette or our @theme (app/styles.css).
 */

/** Utilities that take a colour: `bg-red-500`, `border-t-slate-200`, `ring-offset-brand-50`… */
const COLOUR_UTILITY = /(?<![\w-])(?:bg|text|border(?:-[xytrblse])?|ring-offset|ring|outline|fill|stroke|divide|decoration|placeholder|accent|caret|shadow|inset-shadow|inset-ring|from|via|to)-([a-z]+)(?:-(\d{2,3}))?(?:\/\d+)?(?![\w-])/g;

/** Colours that take no shade. */
const PLAIN_COLOURS = new Set(["white", "black", "transparent", "current", "inherit"]);

/** The `--color-*` names a stylesheet defines: `slate-50`, `brand-300`, `white`… */
function definedColours(css: string): Set<string> {
  return new Set(Array.from(css.matchAll(/--color-([a-z]+(?:-\d{2,3})?)\s*:/g), (match) => match[1]!));
}

/**
 * Colour classes in these sources that the theme does not define. A word that is not a
 * colour family (`text-sm`, `border-dashed`, `to-do`) is not a colour class; a family with a
 * missing shade (`bg-brand-300`), a family with no shade (`bg-brand`) or an unknown family
 * with a shade (`text-primary-600`) is.
 */
export function undefinedColourClasses(sources: { file: string; text: string }[], themeCss: string): string[] {
  const colours = definedColours(themeCss);
  const families = new Set(Array.from(colours, (colour) => colour.replace(/-\d+$/, "")));
  const faults = new Set<string>();
  for (const { file, text } of sources) {
    for (const match of text.matchAll(COLOUR_UTILITY)) {
      const [whole, family, shade] = match;
      if (shade === undefined) {
        if (families.has(family!) && !PLAIN_COLOURS.has(family!) && !colours.has(family!)) faults.add(`${file}: ${whole}`);
      } else if (families.has(family!) || /\d/.test(shade)) {
        if (!colours.has(`${family}-${shade}`)) faults.add(`${file}: ${whole}`);
      }
    }
  }
  return [...faults].sort();
}

function sourcesUnder(directory: string): { file: string; text: string }[] {
  const files = readdirSync(directory, { recursive: true, encoding: "utf8" }).filter((file) => /\.(tsx?|css)$/.test(file) && !file.includes(".test."));
  return files.map((file) => ({ file: join(directory, file), text: readFileSync(join(directory, file), "utf8") }));
}

const THEME = readFileSync("node_modules/tailwindcss/theme.css", "utf8") + readFileSync("app/styles.css", "utf8");

describe("the theme", () => {
  test("defines every colour a class in app/ names", () => {
    const sources = sourcesUnder("app");
    expect(sources.length, "files read").toBeGreaterThan(50);
    expect(undefinedColourClasses(sources, THEME)).toEqual([]);
  });

  test("the check finds a planted undefined colour, and leaves sizes and defined colours alone", () => {
    const planted = {
      file: "app/ui/planted.tsx",
      text: `<div className="ring-2 ring-brand-300 text-sm border-dashed bg-brand-250 hover:text-primary-600 focus:bg-brand/50 text-slate-500 bg-white/80 border-t-brand-200" />`,
    };
    expect(undefinedColourClasses([planted], THEME)).toEqual([
      "app/ui/planted.tsx: bg-brand-250",
      "app/ui/planted.tsx: bg-brand/50",
      "app/ui/planted.tsx: text-primary-600",
    ]);
    // Without the shades we added, the classes the review found fail again.
    const oldTheme = THEME.replace(/--color-brand-(300|400|800):[^;]+;/g, "");
    expect(undefinedColourClasses([{ file: "x.tsx", text: "ring-brand-300 border-brand-400 text-brand-800" }], oldTheme)).toEqual([
      "x.tsx: border-brand-400",
      "x.tsx: ring-brand-300",
      "x.tsx: text-brand-800",
    ]);
  });
});
