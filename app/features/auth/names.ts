/**
 * The rules for a display name, with no I/O: used by the forms (sign-up, the invitation,
 * the account page, an admin's edit) and by the use cases that save them. The name belongs
 * to the account, which auth creates; a profile's bio has its own rules (profiles/bio.ts).
 *
 * A name is what other members trust a post by, so it must not pass for the system or for
 * staff: "Former member" (what an erased account shows) and the labels staff go by are
 * refused however they are dressed up (case, spacing, punctuation, look-alike letters from
 * other scripts, digits for letters, invisible characters).
 */
import { ERASED_NAME } from "#app/lib/named-text.ts";

export const NAME_MIN = 2;
export const NAME_MAX = 60;

/** Names nobody may take: the erasure placeholder and what staff and the system are called. */
export const RESERVED_NAMES: readonly string[] = [
  ERASED_NAME,
  "Moderator",
  "Moderators",
  "Admin",
  "Administrator",
  "Admins",
  "Cohort",
  "Cohort team",
  "Product team",
  "Product reviewer",
  "Staff",
  "Support",
  "System",
  "Discussion leader",
];

/** Trimmed, NFC, with every run of spaces (of any kind) made one space. */
export function tidyName(name: string): string {
  return name.normalize("NFC").replace(/\s+/gu, " ").trim();
}

// Letters from other scripts and digits that read as Latin letters in a name.
const LOOK_ALIKES: Record<string, string> = {
  а: "a", е: "e", о: "o", р: "p", с: "c", у: "y", х: "x", і: "i", ј: "j", ѕ: "s", һ: "h", ԁ: "d", ԛ: "q", ԝ: "w", м: "m", т: "t", к: "k", в: "b", н: "h",
  α: "a", ο: "o", ρ: "p", ε: "e", ι: "i", κ: "k", ν: "v", τ: "t", υ: "u", χ: "x", μ: "m",
  "0": "o", "1": "i", l: "i", "|": "i", "!": "i", "3": "e", "4": "a", "@": "a", "5": "s", $: "s", "7": "t", "8": "b",
};

/**
 * What a name looks like, for comparing: compatibility forms folded (NFKC: full-width and
 * styled letters), accents and invisible characters dropped, lower case, look-alikes mapped
 * to Latin, and everything but letters and digits removed. "M0D-ERATOR", "ｍｏｄｅｒａｔｏｒ"
 * and "Мoderator" (Cyrillic М) all read "moderator".
 */
export function nameSkeleton(name: string): string {
  const folded = name.normalize("NFKC").toLowerCase().normalize("NFKD").replace(/[\p{M}\p{Cf}]/gu, "");
  const mapped = Array.from(folded, (ch) => LOOK_ALIKES[ch] ?? ch).join("");
  return mapped.replace(/[^\p{L}\p{N}]/gu, "");
}

const RESERVED = new Set(RESERVED_NAMES.map(nameSkeleton));

/** Why this name cannot be used, or null when it can. Checks the tidied name. */
export function displayNameProblem(raw: string): string | null {
  const name = tidyName(raw);
  if (name.length === 0) return "Enter the name others will see";
  if (/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u2028\u2029]/u.test(name)) return "Use letters, digits, spaces and punctuation only";
  if (Array.from(name).length < NAME_MIN) return `Use at least ${NAME_MIN} characters`;
  if (Array.from(name).length > NAME_MAX) return `Use at most ${NAME_MAX} characters`;
  if (!/[\p{L}\p{N}]/u.test(name)) return "Use at least one letter or digit";
  if (RESERVED.has(nameSkeleton(name))) return `“${name}” is reserved: it would pass for staff or the system. Choose your own name.`;
  return null;
}
