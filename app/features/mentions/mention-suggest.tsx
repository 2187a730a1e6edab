import { useEffect, useRef, useState } from "react";

interface Person {
  id: string;
  name: string;
}

/** What was typed after the last @ before the caret, on the same line ("@Le" → "Le"), or null. */
export function typedMention(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(Math.max(0, caret - 60), caret);
  const match = /(?:^|[^\w@/])@([\p{L}\p{N}][\p{L}\p{N}'’. -]{0,40})$/u.exec(before) ?? /(?:^|[^\w@/])@()$/u.exec(before);
  if (!match) return null;
  return { start: caret - match[1]!.length - 1, query: match[1]! };
}

/**
 * Typing @ in the textarea offers the community's members (names only) in a list under it:
 * arrow keys move, Enter or Tab chooses, Escape closes. Without JavaScript nothing shows and
 * a typed "@Name" is resolved when the post is saved.
 */
export function MentionSuggest({ slug, textareaId }: { slug: string; textareaId: string }) {
  const [people, setPeople] = useState<Person[]>([]);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const state = useRef({ people, active, open });
  state.current = { people, active, open };
  const listId = `${textareaId}-mentions`;

  useEffect(() => {
    const box = document.getElementById(textareaId) as HTMLTextAreaElement | null;
    if (!box) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let asked = 0;
    box.setAttribute("aria-autocomplete", "list");

    const close = () => {
      setOpen(false);
      box.removeAttribute("aria-activedescendant");
    };
    const choose = (person: Person) => {
      const typed = typedMention(box.value, box.selectionStart);
      if (!typed) return close();
      const insert = `@${person.name} `;
      box.value = box.value.slice(0, typed.start) + insert + box.value.slice(box.selectionStart);
      const caret = typed.start + insert.length;
      box.setSelectionRange(caret, caret);
      close();
      box.focus();
    };
    const onInput = () => {
      const typed = typedMention(box.value, box.selectionStart);
      clearTimeout(timer);
      if (!typed || !typed.query) return close();
      timer = setTimeout(async () => {
        const ask = ++asked;
        const response = await fetch(`/c/${slug}/mentions?q=${encodeURIComponent(typed.query)}`, { headers: { Accept: "application/json" } }).catch(() => null);
        if (!response?.ok || ask !== asked) return;
        // A Remix data route answers with its loader's data.
        const found = ((await response.json().catch(() => null)) as { people?: Person[] } | null)?.people ?? [];
        setPeople(found);
        setActive(0);
        setOpen(found.length > 0);
      }, 150);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      const { people, active, open } = state.current;
      if (!open || !people.length) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const next = (active + (event.key === "ArrowDown" ? 1 : people.length - 1)) % people.length;
        setActive(next);
        box.setAttribute("aria-activedescendant", `${listId}-${next}`);
      } else if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        choose(people[active]!);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    };
    const onBlur = () => setTimeout(close, 150);
    const onChoose = (event: Event) => choose((event as CustomEvent<Person>).detail);
    box.addEventListener("input", onInput);
    box.addEventListener("keydown", onKeyDown);
    box.addEventListener("blur", onBlur);
    box.addEventListener("mention-choose", onChoose);
    return () => {
      clearTimeout(timer);
      box.removeEventListener("input", onInput);
      box.removeEventListener("keydown", onKeyDown);
      box.removeEventListener("blur", onBlur);
      box.removeEventListener("mention-choose", onChoose);
    };
  }, [slug, textareaId, listId]);

  // The textarea names the list only while it is there: a reference to a missing id is invalid ARIA.
  useEffect(() => {
    const box = document.getElementById(textareaId);
    if (open) box?.setAttribute("aria-controls", listId);
    else box?.removeAttribute("aria-controls");
  }, [open, textareaId, listId]);

  if (!open) return null;
  return (
    <ul id={listId} role="listbox" aria-label="People to mention" className="mt-1 max-w-xs overflow-hidden rounded-md bg-white text-sm shadow-lg ring-1 ring-slate-300">
      {people.map((person, index) => (
        <li
          key={person.id}
          id={`${listId}-${index}`}
          role="option"
          aria-selected={index === active}
          className={`cursor-pointer px-3 py-2 ${index === active ? "bg-brand-600 text-white" : "text-slate-800 hover:bg-slate-100"}`}
          onMouseDown={(event) => {
            event.preventDefault();
            document.getElementById(textareaId)?.dispatchEvent(new CustomEvent("mention-choose", { detail: person }));
          }}
        >
          {person.name}
        </li>
      ))}
    </ul>
  );
}
