import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { PAGES, READERS, demoIds, pathFor } from "./pages.ts";
import { signInAs, userIdByEmail } from "./support.ts";

/**
 * Every page in e2e/pages.ts, for every kind of reader, through axe-core: no critical and no
 * serious violation of WCAG 2.x A and AA or of axe's best practices. A new page is a row
 * in PAGES and is checked here and on a phone (phones.spec.ts) without more work.
 *
 * Speed: one signed-in browser per reader and slice of the page list, one page navigated from
 * path to path, one request per path (a redirect or a refusal means this reader may not open
 * it, which is the access matrix's business), so the sweep fits in a few minutes on two cores.
 * A fault names the page, the rule and the element, and every fault of the slice is listed
 * at once. `label-content-name-mismatch` (WCAG 2.5.3: a control's accessible name contains
 * its visible label, so a speech user can say what they see) is experimental in axe and off
 * by default; we turn it on.
 */

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];
const SERIOUS = new Set(["critical", "serious"]);
/**
 * Slices of PAGES per reader: each slice is one test with its own browser, about seven pages:
 * 20–50 s on two shared cores, a third of its time limit, which leaves room for a machine
 * that runs other suites beside it.
 */
const SLICES = 6;

async function seriousFaults(page: Page, where: string, scope?: string): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(TAGS).options({
    // Only violations are read: collecting every passing node doubled axe's time on long pages.
    resultTypes: ["violations"],
    rules: { "label-content-name-mismatch": { enabled: true } },
  });
  if (scope) builder = builder.include(scope);
  const results = await builder.analyze();
  return results.violations
    .filter((violation) => SERIOUS.has(violation.impact ?? ""))
    .flatMap((violation) =>
      violation.nodes.map((node) => `${where}: ${violation.id} (${violation.impact}) at ${node.target.join(" ")}: ${node.failureSummary?.replace(/\s+/g, " ")}`),
    );
}

for (const reader of READERS) {
  for (let slice = 0; slice < SLICES; slice++) {
    const rows = PAGES.filter((_, index) => index % SLICES === slice);
    test(`axe finds no serious fault for the ${reader.name} on ${rows.map(([route]) => route.replace(/\.tsx$/, "")).join(", ")}`, async ({ browser }) => {
      test.setTimeout(180_000);
      const ids = await demoIds();
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      if (reader.email) await signInAs(context, await userIdByEmail(reader.email));
      const page = await context.newPage();
      const faults: string[] = [];
      const scanned: string[] = [];
      for (const [, ...templates] of rows) {
        for (const template of templates) {
          const path = pathFor(template, ids);
          const response = await page.goto(path);
          if (!response || response.status() !== 200 || response.request().redirectedFrom()) continue;
          const started = Date.now();
          faults.push(...(await seriousFaults(page, template)));
          scanned.push(`${template} (${Date.now() - started} ms)`);
        }
      }
      // The account menu is closed on every page above; open, its panel is checked once.
      if (reader.email && slice === 0) {
        await page.goto("/");
        await page.locator("header details.lg\\:block > summary").click();
        faults.push(...(await seriousFaults(page, "the open account menu", "header")));
        scanned.push("the open account menu");
      }
      await context.close();
      test.info().annotations.push({ type: "scanned", description: scanned.join(", ") || "nothing this reader may open" });
      expect(faults, `serious or critical axe violations:\n${faults.join("\n")}`).toEqual([]);
    });
  }
}
