import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./markdown.server.ts";

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
