/**
 * "> " before every line, attributed: how a reply quotes a passage of another post (server
 * and browser alike). The author is a link to their profile, so the quote names them by id:
 * a rename or an erasure rewrites it (eraseAccount), however many posts quoted them.
 */
export function quoteMarkdown(author: { id: string; name: string }, passage: string): string {
  const lines = passage.trim().split(/\r?\n/).map((line) => `> ${line}`.trimEnd());
  return `> **${profileLinkMarkdown(author)}** wrote:\n>\n${lines.join("\n")}\n\n`;
}

/** A Markdown link to a person's profile, their name escaped. */
export function profileLinkMarkdown(person: { id: string; name: string }): string {
  return `[${person.name.replace(/[*_`[\]\\<>]/g, "\\$&")}](/people/${person.id})`;
}

/** Every Markdown link to this person's profile, whatever name it shows. */
export function profileLinksTo(userId: string): RegExp {
  return new RegExp(`\\[(?:\\\\.|[^\\]\\\\])*\\]\\(/people/${userId.replace(/[^A-Za-z0-9_-]/g, "")}\\)`, "g");
}
