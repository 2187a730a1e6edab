import { useLocation } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";

/**
 * A `<details>` menu: it opens and closes without JavaScript (the summary is a button to
 * the browser and to the keyboard), and with JavaScript it also closes on Escape (focus
 * goes back to its toggle), on a click or tap outside it, and when the page changes, and
 * what it opens is scrolled into view.
 */
export function Disclosure({ summary, label, className, summaryClassName, children }: {
  summary: ReactNode;
  /** What a screen reader announces for the toggle. */
  label: string;
  className?: string;
  summaryClassName?: string;
  children: ReactNode;
}) {
  const ref = useDismissableDetails();
  return (
    <details ref={ref} className={className}>
      <summary className={summaryClassName} aria-label={label}>
        {summary}
      </summary>
      {children}
    </details>
  );
}

function useDismissableDetails() {
  const ref = useRef<HTMLDetailsElement>(null);
  const location = useLocation();

  // A link inside the menu (or Sign out) leads to a new page: the menu should not stay open over it.
  useEffect(() => {
    if (ref.current) ref.current.open = false;
  }, [location.key]);

  useEffect(() => {
    const details = ref.current;
    if (!details) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || !details.open) return;
      const focusWasInside = details.contains(document.activeElement) || document.activeElement === document.body;
      details.open = false;
      if (focusWasInside) details.querySelector("summary")?.focus();
    };
    const onPointerDown = (event: PointerEvent) => {
      if (details.open && event.target instanceof Node && !details.contains(event.target)) details.open = false;
    };
    // What opens is brought into view: in a table that scrolls sideways on a phone, a row's
    // confirmation would otherwise open past the screen's edge.
    const onToggle = () => {
      if (details.open) details.lastElementChild?.scrollIntoView({ block: "nearest", inline: "nearest" });
    };
    document.addEventListener("keydown", onKeyDown);
    document.addEventListener("pointerdown", onPointerDown);
    details.addEventListener("toggle", onToggle);
    return () => {
      document.removeEventListener("keydown", onKeyDown);
      document.removeEventListener("pointerdown", onPointerDown);
      details.removeEventListener("toggle", onToggle);
    };
  }, []);

  return ref;
}
