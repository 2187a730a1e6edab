import MarkdownIt from "markdown-it";

/**
 * User Markdown to safe HTML, done once when the text is written and stored beside it.
 * Raw HTML in the input is escaped, never passed through; links may only be http, https or
 * mailto, and carry rel="nofollow ugc noopener".
 */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

markdown.validateLink = (url: string) => /^(https?:|mailto:)/i.test(url.trim()) || /^[^:]*$/.test(url.trim()) && !url.trim().startsWith("//");

const defaultLinkOpen =
  markdown.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet("rel", "nofollow ugc noopener");
  return defaultLinkOpen(tokens, idx, options, env, self);
};
// Images could track readers or be used for layout tricks; show their alt text as a link.
markdown.renderer.rules.image = (tokens, idx) => {
  const token = tokens[idx]!;
  const src = token.attrGet("src") ?? "";
  const alt = markdown.utils.escapeHtml(token.content || src);
  return /^https?:/i.test(src) ? `<a href="${markdown.utils.escapeHtml(src)}" rel="nofollow ugc noopener">${alt}</a>` : alt;
};

export function renderMarkdown(source: string): string {
  return markdown.render(source);
}

type Token = ReturnType<typeof markdown.parse>[number];

/** The text a reader sees in one token's inline children: no markers, images as "[image: alt]". */
function inlineText(children: Token[] | null): string {
  let text = "";
  for (const child of children ?? []) {
    if (child.type === "text" || child.type === "code_inline") text += child.content;
    else if (child.type === "softbreak") text += "\n";
    else if (child.type === "hardbreak") text += "\n";
    else if (child.type === "image") text += `[image: ${child.content || "no description"}]`;
  }
  return text;
}

/**
 * User Markdown as the plain text a reader sees once it is rendered: every marker gone
 * (emphasis, headings, quotes, links keep their words), images as "[image: alt]", list
 * items on their own lines, paragraphs apart by a blank line. The one plain-text form for
 * every output where HTML does not fit: excerpts, CSV cells, exports, notifications.
 */
export function markdownToText(source: string): string {
  const blocks: string[] = [];
  let prefix = "";
  for (const token of markdown.parse(source, {})) {
    if (token.type === "list_item_open") prefix = token.markup === "." || token.markup === ")" ? `${token.info}${token.markup} ` : "• ";
    else if (token.type === "inline") {
      blocks.push(prefix + inlineText(token.children));
      prefix = "";
    } else if (token.type === "fence" || token.type === "code_block") blocks.push(token.content.replace(/\n$/, ""));
  }
  return blocks.join("\n\n").trim();
}

/** A short one-line excerpt of user Markdown, cut at a word near `max` characters. */
export function markdownExcerpt(source: string, max = 200): string {
  const text = markdownToText(source).replace(/\s+/g, " ").trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

/**
 * A fragment of Markdown (a search snippet, cut anywhere) without its markers: images as
 * "[image: alt]", links as their words, emphasis, code, heading and quote markers dropped.
 * Other characters (the search's match marks) pass through.
 */
export function stripMarkdownMarkers(fragment: string): string {
  return fragment
    .replace(/!\[([^\]]*)\]\([^)]*\)?/g, (_m, alt: string) => `[image: ${alt || "no description"}]`)
    .replace(/\[([^\]]*)\]\([^)]*\)?/g, "$1")
    .replace(/\]\([^)\s]*\)?/g, "")
    .replace(/(\*\*|__|~~|\*|`+)/g, "")
    .replace(/(^|\n)\s{0,3}(#{1,6}|>+|[-+]|\d+[.)])\s+/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}
