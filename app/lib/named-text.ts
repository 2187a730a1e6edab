/**
 * Text that names people, stored by id rather than by name (docs/decisions/025).
 *
 * A notification ("Lena replied to …"), an audit entry ("Highlighted Lena's reply") or an
 * email names people. Written with their name at the time, the text would keep naming them
 * after a rename or an erasure. So such text is stored with a reference in place of each
 * person — `{user:<id>}`, `{invitation:<id>}` (the invitee's address) or
 * `{nomination:<id>}` (the nominee's name) — and the current name is put in when the text
 * is read. A literal brace in the rest of the text is doubled, so text a member typed (a
 * thread title) can never pass for a reference.
 *
 * `NamedText` is a branded string: only `named` makes one (and `storedNamedText` for what
 * comes back from the database), so the compiler finds any caller that forgot to escape.
 */
export type NamedText = string & { readonly __namedText: true };

export type PersonRef = { user: string } | { invitation: string } | { nomination: string };

/** An already-made NamedText to embed in another one as it is. */
export interface Embedded {
  namedText: NamedText;
}

type Part = string | number | PersonRef | Embedded;

/** The name an erased account shows everywhere; nobody can choose it (app/features/auth/names.ts). */
export const ERASED_NAME = "Former member";

/** Where an erased person's address was: it can never receive mail or match a sign-in. */
export const erasedAddress = (userId: string) => `erased-${userId}@erased.invalid`;
export const isErasedAddress = (email: string) => email.endsWith("@erased.invalid");

const escape = (text: string) => text.replace(/[{}]/g, (brace) => brace + brace);

function refToken(ref: PersonRef): string {
  const [kind, id] = Object.entries(ref)[0] as [string, string];
  return `{${kind}:${id}}`;
}

/** Build a NamedText: people as references, every other value escaped. */
export function named(strings: TemplateStringsArray, ...values: Part[]): NamedText {
  let out = escape(strings[0]!);
  values.forEach((value, i) => {
    if (typeof value === "string" || typeof value === "number") out += escape(String(value));
    else if ("namedText" in value) out += value.namedText;
    else out += refToken(value);
    out += escape(strings[i + 1]!);
  });
  return out as NamedText;
}

/** NamedTexts one after another. */
export const joinNamed = (parts: readonly NamedText[], separator = "") => parts.join(plainNamedText(separator)) as NamedText;

/** Plain text as a NamedText (no people in it). */
export const plainNamedText = (text: string) => escape(text) as NamedText;

/** Text read back from a column that only ever holds NamedText. */
export const storedNamedText = (text: string) => text as NamedText;

export const embed = (namedText: NamedText): Embedded => ({ namedText });

const TOKEN = /\{\{|\}\}|\{(user|invitation|nomination):([A-Za-z0-9_-]{1,64})\}/g;

export type RefKind = "user" | "invitation" | "nomination";

/** The people a text refers to, by kind. */
export function referencesIn(texts: readonly string[]): Record<RefKind, string[]> {
  const found: Record<RefKind, Set<string>> = { user: new Set(), invitation: new Set(), nomination: new Set() };
  for (const text of texts) {
    for (const match of text.matchAll(TOKEN)) if (match[1]) found[match[1] as RefKind].add(match[2]!);
  }
  return { user: [...found.user], invitation: [...found.invitation], nomination: [...found.nomination] };
}

/** The references in some texts as one list ("user:<id>", …), for recording whom a message names. */
export function referenceList(texts: readonly string[]): string[] {
  const refs = referencesIn(texts);
  return (Object.keys(refs) as RefKind[]).flatMap((kind) => refs[kind].map((id) => `${kind}:${id}`));
}

/** Put names in place of references; an unknown reference reads as `unknown`. */
export function renderNamedText(text: string, names: ReadonlyMap<string, string>, unknown: string): string {
  return text.replace(TOKEN, (token, kind: string | undefined, id: string | undefined) => {
    if (!kind) return token[0]!;
    return names.get(`${kind}:${id}`) ?? unknown;
  });
}
