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
