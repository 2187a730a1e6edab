import { describe, expect, it } from "vitest";
import { findChromium } from "./chromium.ts";

describe("finding the Chromium for the browser tests", () => {
  it("takes CHROMIUM_PATH first, and says so", () => {
    expect(findChromium({ CHROMIUM_PATH: process.execPath } as unknown as NodeJS.ProcessEnv)).toEqual({ executablePath: process.execPath, source: "CHROMIUM_PATH" });
  });

  it("refuses a CHROMIUM_PATH with nothing there rather than quietly using another browser", () => {
    expect(() => findChromium({ CHROMIUM_PATH: "/nowhere/chromium" } as unknown as NodeJS.ProcessEnv)).toThrow("CHROMIUM_PATH is /nowhere/chromium, but there is no file there.");
  });
});
