import AxeBuilder from "@axe-core/playwright";
import { expect, test, type BrowserContext } from "@playwright/test";
import { PAGES, READERS, demoIds, pathFor } from "./pages.ts";
import { signInAs, userIdByEmail } from "./support.ts";

/**
 * Every page in e2e/pages.ts, for every kind of reader, through axe-core: no critical and no
 * serious violation of WCAG 2.x A/AA or axe's best practices. A new page is a row in PAGES
 * and is checked here and on a phone (phones.spec.ts) without more work.
 *
 * One test per reader and route, so each is short and a fault names its page; the reader's
 * signed-in browser is made once per worker. `label-content-name-mismatch` (WCAG 2.5.3: a
 * control's accessible name contains its visible label, so a speech user can say what they
 * see) is experimental in axe and off by default; we turn it on.
 */

const SERIOUS = new Set(["critical", "serious"]);

for (const reader of READERS) {
  test.describe(`the ${reader.name}`, () => {
    let context: BrowserContext;
    let ids: Record<string, string>;
    test.beforeAll(async ({ browser }) => {
      ids = await demoIds();
      context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      if (reader.email) await signInAs(context, await userIdByEmail(reader.email));
    });
    test.afterAll(async () => {
      await context.close();
    });

    for (const [route, ...paths] of PAGES) {
      test(`axe finds no serious fault on ${route}`, async () => {
        const page = await context.newPage();
        const faults: string[] = [];
        const scanned: string[] = [];
        for (const template of paths) {
          const path = pathFor(template, ids);
          // What this reader may not open is the access matrix's business.
          if ((await page.request.get(path, { maxRedirects: 0 })).status() !== 200) continue;
          await page.goto(path);
          const started = Date.now();
          const results = await new AxeBuilder({ page })
            .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"])
            .options({ rules: { "label-content-name-mismatch": { enabled: true } } })
            .analyze();
          scanned.push(`${template} (${Date.now() - started} ms)`);
          for (const violation of results.violations) {
            if (!SERIOUS.has(violation.impact ?? "")) continue;
            for (const node of violation.nodes) {
              faults.push(`${template}: ${violation.id} (${violation.impact}) at ${node.target.join(" ")}: ${node.failureSummary?.replace(/\s+/g, " ")}`);
            }
          }
        }
        test.info().annotations.push({ type: "scanned", description: scanned.join(", ") || "nothing this reader may open" });
        expect(faults).toEqual([]);
        await page.close();
      });
    }
  });
}
