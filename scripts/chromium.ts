/**
 * The Chromium the Playwright suites drive. `findChromium` only looks (the Playwright
 * configs call it); run this file (`npm run test:e2e` and `test:reliability` do, before
 * Playwright) and it also installs one when none is found, in this order:
 *
 *   1. CHROMIUM_PATH, if set (and then nothing else: a wrong path is an error);
 *   2. a Chromium already installed: Debian/Ubuntu's, Google Chrome's, or Playwright's download;
 *   3. Playwright's own download (`npx playwright install chromium`);
 *   4. on Debian or Ubuntu as root, the distribution's package (`apt-get install -y chromium`).
 *
 * It says which it used; when none of these can work it stops with the exact command to run.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

export interface FoundChromium {
  /** The binary to launch; undefined means Playwright's own download, which it finds itself. */
  executablePath: string | undefined;
  /** Where it came from, for the message. */
  source: string;
}

const SYSTEM_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable", "/snap/bin/chromium"];

function playwrightsOwn(): string | undefined {
  try {
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** Look for a Chromium without installing anything; null when there is none. */
export function findChromium(environment: NodeJS.ProcessEnv = process.env): FoundChromium | null {
  const fromEnv = environment.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH is ${fromEnv}, but there is no file there.`);
    return { executablePath: fromEnv, source: "CHROMIUM_PATH" };
  }
  const system = SYSTEM_PATHS.find((path) => existsSync(path));
  if (system) return { executablePath: system, source: "the installed Chromium" };
  const own = playwrightsOwn();
  if (own) return { executablePath: undefined, source: `Playwright's download (${own})` };
  return null;
}

/** The exact commands that would give this machine a Chromium, for the message when all else failed. */
export const INSTALL_HINT =
  "No Chromium for the end-to-end tests, and none could be installed here. Run one of:\n" +
  "  npx playwright install chromium          (needs network access to Playwright's download)\n" +
  "  sudo apt-get install -y chromium         (Debian or Ubuntu)\n" +
  "or point CHROMIUM_PATH at a Chromium or Chrome binary.";

function run(command: string, args: string[]): boolean {
  console.log(`$ ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  return result.status === 0;
}

function isDebianLike(): boolean {
  return existsSync("/etc/debian_version") && spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;
}

/** Find a Chromium, installing one when there is none; null when nothing worked. */
export function ensureChromium(): FoundChromium | null {
  const found = findChromium();
  if (found) return found;

  console.log("No Chromium found; trying Playwright's own download.");
  if (run(process.execPath, ["node_modules/@playwright/test/cli.js", "install", "chromium"])) {
    const own = playwrightsOwn();
    if (own) return { executablePath: undefined, source: `Playwright's download, just installed (${own})` };
  }

  if (isDebianLike() && process.getuid?.() === 0) {
    console.log("Playwright's download did not work; installing the distribution's Chromium package.");
    // Ubuntu names it chromium-browser; a fresh machine may not have the package lists yet.
    const installed = ["chromium", "chromium-browser"].some((name) => run("apt-get", ["install", "-y", name])) ||
      (run("apt-get", ["update"]) && ["chromium", "chromium-browser"].some((name) => run("apt-get", ["install", "-y", name])));
    if (installed) {
      const system = findChromium();
      if (system) return { ...system, source: `${system.source}, just installed with apt-get` };
    }
  }
  return null;
}

// Run as a script: find or install, say which, or stop with the command to run.
if (import.meta.url === `file://${process.argv[1]}`) {
  let found: FoundChromium | null;
  try {
    found = ensureChromium();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  if (!found) {
    console.error(INSTALL_HINT);
    process.exit(1);
  }
  console.log(`Chromium for the browser tests: ${found.source}${found.executablePath ? ` at ${found.executablePath}` : ""}.`);
}
