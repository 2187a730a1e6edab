import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, test } from "vitest";
import { LinkedText } from "./linked-text.tsx";

const hrefs = (text: string) => Array.from(renderToStaticMarkup(createElement(LinkedText, { text })).matchAll(/href="([^"]*)"/g), (match) => match[1]);

describe("LinkedText", () => {
  test("a link ends before the punctuation that follows it in a sentence", () => {
    // The outbox showed "/account," as the link, which led to a 404.
    expect(hrefs("Change it on https://cohort.example/account, or ignore this email.")).toEqual(["https://cohort.example/account"]);
    expect(hrefs("Open https://cohort.example/invitations/abc. It expires (see https://cohort.example/help).")).toEqual([
      "https://cohort.example/invitations/abc",
      "https://cohort.example/help",
    ]);
    expect(hrefs("Reset: https://cohort.example/reset-password/xyz?from=mail!")).toEqual(["https://cohort.example/reset-password/xyz?from=mail"]);
  });

  test("only http and https become links, and the rest stays text", () => {
    expect(hrefs("javascript:alert(1) and ftp://example.com/file and www.example.com")).toEqual([]);
    expect(renderToStaticMarkup(createElement(LinkedText, { text: "<b>not bold</b> https://example.com" }))).toContain("&lt;b&gt;not bold&lt;/b&gt;");
  });
});
