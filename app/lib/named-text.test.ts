import { describe, expect, it } from "vitest";
import { embed, named, referenceList, referencesIn, renderNamedText, storedNamedText } from "./named-text.ts";

const names = new Map([
  ["user:u1", "Lena"],
  ["invitation:i1", "new@example.com"],
]);

describe("named text", () => {
  it("stores people as references and renders their current names", () => {
    const text = named`${{ user: "u1" }} replied to "${"Exports"}"`;
    expect(text).toBe('{user:u1} replied to "Exports"');
    expect(renderNamedText(text, names, "Former member")).toBe('Lena replied to "Exports"');
    expect(renderNamedText(text, new Map([["user:u1", "Lena Renamed"]]), "Former member")).toBe('Lena Renamed replied to "Exports"');
  });

  it("never lets typed text pass for a reference", () => {
    // A member titles a thread with someone else's reference: it stays literal text.
    const text = named`${{ user: "u2" }} replied to "${"{user:u1} {{x}}"}"`;
    expect(referencesIn([text]).user).toEqual(["u2"]);
    expect(renderNamedText(text, names, "Former member")).toBe('Former member replied to "{user:u1} {{x}}"');
  });

  it("embeds one named text in another without escaping it twice", () => {
    const inner = named`${{ invitation: "i1" }} accepted`;
    const outer = named`Undid: ${embed(storedNamedText(inner))} {braces}`;
    expect(renderNamedText(outer, names, "?")).toBe("Undid: new@example.com accepted {braces}");
    expect(referenceList([outer])).toEqual(["invitation:i1"]);
  });
});
