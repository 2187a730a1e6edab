import { describe, expect, it } from "vitest";
import { markdownExcerpt, markdownToText, renderMarkdown, stripMarkdownMarkers } from "./markdown.server.ts";

describe("renderMarkdown", () => {
  it("renders ordinary Markdown", () => {
    expect(renderMarkdown("**Hello** _there_\n\n- one\n- two")).toBe(
      "<p><strong>Hello</strong> <em>there</em></p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n",
    );
  });

  it("escapes raw HTML instead of passing it through", () => {
    const html = renderMarkdown('<script>alert(1)</script><img src=x onerror="alert(2)">');
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;");
  });

  it.each(["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)", "//evil.example"])(
    "refuses a %s link",
    (url) => {
      const html = renderMarkdown(`[click](${url})`);
      expect(html).not.toMatch(/<a /);
    },
  );

  it("keeps http, https and mailto links, marked nofollow ugc noopener", () => {
    const html = renderMarkdown("[a](https://example.com) [b](http://example.com) [c](mailto:x@example.com)");
    expect(html.match(/<a /g)).toHaveLength(3);
    expect(html.match(/rel="nofollow ugc noopener"/g)).toHaveLength(3);
  });

  it("turns images into plain links so nothing loads from elsewhere", () => {
    const html = renderMarkdown("![chart](https://example.com/chart.png)");
    expect(html).not.toContain("<img");
    expect(html).toContain('<a href="https://example.com/chart.png" rel="nofollow ugc noopener">chart</a>');
  });
});

describe("markdown as plain text", () => {
  it("drops every marker and shows images by their alt text", () => {
    const source = "# Pricing\n\nThe renewal was **higher than the quote** and _nobody_ said why. See `invoice 42`:\n\n![screenshot](https://example.com/a.png)\n\n> quoted\n\n- one\n- [two](https://example.com)\n\n1. first";
    expect(markdownToText(source)).toBe(
      "Pricing\n\nThe renewal was higher than the quote and nobody said why. See invoice 42:\n\n[image: screenshot]\n\nquoted\n\n• one\n\n• two\n\n1. first",
    );
  });

  it("cuts an excerpt at a word, on one line", () => {
    const excerpt = markdownExcerpt(`**Bold** start ${"word ".repeat(100)}`, 50);
    expect(excerpt.length).toBeLessThanOrEqual(50);
    expect(excerpt).toMatch(/^Bold start word .*…$/);
    expect(excerpt).not.toContain("\n");
  });

  it("cleans a snippet cut in the middle of Markdown, keeping match marks", () => {
    expect(stripMarkdownMarkers("…was **higher than the \u0002quote\u0003** and ![shot](https://x.example/a.png) [docs](https://x")).toBe(
      "…was higher than the \u0002quote\u0003 and [image: shot] docs",
    );
  });
});
