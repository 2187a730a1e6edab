import { ERASED_NAME } from "#app/features/privacy/erased.ts";
import { PlainLink } from "./plain-link.tsx";

/**
 * A person's name, linking to their profile: the one way names are shown. An erased
 * account has no profile, so "Former member" stays plain text (nobody else can take that
 * name: app/features/auth/names.ts). A PlainLink: names repeat on every row. Underlined
 * (quietly): a name sits in a line of text, where colour alone does not mark a link (WCAG 1.4.1).
 */
export function PersonLink({ id, name, className }: { id: string | null | undefined; name: string; className?: string }) {
  if (!id || name === ERASED_NAME) return <span className={className}>{name}</span>;
  return (
    <PlainLink href={`/people/${id}`} className={`underline decoration-slate-300 underline-offset-2 ${className ?? ""}`}>
      {name}
    </PlainLink>
  );
}
