/** The rules for a profile's bio, with no I/O: used by the account page's form and the use case that saves it. */
export const BIO_MAX = 500;

/** A bio as stored: trimmed, line breaks kept (at most one blank line in a row), other control characters dropped. */
export function tidyBio(raw: string): string {
  return raw
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .replace(/(?!\n)[\p{Cc}\p{Cf}]/gu, "")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
