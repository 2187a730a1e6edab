import { useNavigate } from "@remix-run/react";
import { useEffect, type AnchorHTMLAttributes } from "react";

/**
 * A link that renders as a bare <a>, for links repeated on every row of a long page (names,
 * a post's Quote/Edit/Flag): Remix's <Link> runs several router hooks per link, which on a
 * thread page of fifty posts was a large share of the server's render (docs/decisions/012).
 * With JavaScript it still navigates in place, through one listener for the whole document
 * (useLinkDelegation, mounted once in app/root.tsx); without it, it is an ordinary link.
 */
export function PlainLink({ preventScrollReset, ...props }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; preventScrollReset?: boolean }) {
  return <a {...props} data-link="" data-prevent-scroll-reset={preventScrollReset ? "" : undefined} />;
}

/** Whether a click on a PlainLink is for the router (not a new tab, a download or another site). */
export function routedTarget(event: Pick<MouseEvent, "defaultPrevented" | "button" | "metaKey" | "altKey" | "ctrlKey" | "shiftKey" | "target">, origin: string): { to: string; preventScrollReset: boolean } | null {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return null;
  const anchor = (event.target as Element | null)?.closest?.("a[data-link]") as HTMLAnchorElement | null;
  if (!anchor || (anchor.target && anchor.target !== "_self") || anchor.hasAttribute("download")) return null;
  const url = new URL(anchor.href);
  if (url.origin !== origin) return null;
  return { to: `${url.pathname}${url.search}${url.hash}`, preventScrollReset: anchor.hasAttribute("data-prevent-scroll-reset") };
}

/** Send clicks on every PlainLink of the document through Remix's router, as <Link> would. */
export function useLinkDelegation(): void {
  const navigate = useNavigate();
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      const target = routedTarget(event, window.location.origin);
      if (!target) return;
      event.preventDefault();
      navigate(target.to, { preventScrollReset: target.preventScrollReset });
    };
    document.addEventListener("click", onClick);
    return () => document.removeEventListener("click", onClick);
  }, [navigate]);
}
