import { describe, expect, it } from "vitest";
import { tidyBio } from "./bio.ts";

describe("bios", () => {
  it("keep line breaks, drop other control characters and extra blank lines", () => {
    expect(tidyBio("  Hello\r\nI run exports.\n\n\n\nBerlin\u0000\u200b  ")).toBe("Hello\nI run exports.\n\nBerlin");
  });
});
