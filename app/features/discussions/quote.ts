/** "> " before every line, attributed: how a reply quotes a passage of another post (server and browser alike). */
export function quoteMarkdown(author: string, passage: string): string {
  const lines = passage.trim().split(/\r?\n/).map((line) => `> ${line}`.trimEnd());
  return `> **${author.replace(/[*_`[\]\\]/g, "\\$&")}** wrote:\n>\n${lines.join("\n")}\n\n`;
}
