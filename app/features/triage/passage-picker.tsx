import { useEffect, useRef, useState } from "react";
import { buttonClass } from "#app/ui/button.tsx";
import { passageOf, sentencesOf } from "./passages.ts";

/** The toggle's id, so the triage page's `s` shortcut can press it. */
export const PASSAGE_PICKER_TOGGLE = "select-passage";

/**
 * The keyboard way to highlight part of a post (selecting text needs a mouse or a screen
 * reader's own selection mode): "Select passage" lists the post's sentences as checkboxes,
 * and what is ticked becomes the highlight. It reads the post as the page shows it, so it
 * needs JavaScript and appears only once the page has it; typing the quote works without.
 */
export function PassagePicker({ bodyId, onChoose }: { bodyId: string; onChoose: (passage: string) => void }) {
  const [hydrated, setHydrated] = useState(false);
  const [sentences, setSentences] = useState<string[] | null>(null);
  const [chosen, setChosen] = useState<ReadonlySet<number>>(new Set());
  const listRef = useRef<HTMLFieldSetElement>(null);
  useEffect(() => setHydrated(true), []);
  // Opening moves focus to the first sentence, where the keyboard user wants to be.
  useEffect(() => {
    if (sentences) listRef.current?.querySelector("input")?.focus();
  }, [sentences]);
  if (!hydrated) return null;

  const toggle = () => {
    if (sentences) return setSentences(null);
    setSentences(sentencesOf(document.getElementById(bodyId)?.innerText ?? ""));
    setChosen(new Set());
  };
  const choose = (index: number, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(index);
    else next.delete(index);
    setChosen(next);
    onChoose(passageOf(sentences ?? [], next));
  };

  return (
    <div className="space-y-2">
      <button type="button" id={PASSAGE_PICKER_TOGGLE} aria-expanded={sentences !== null} aria-controls="passage-sentences" onClick={toggle} className={buttonClass("secondary", "px-3 py-1 text-xs")}>
        {sentences ? "Done selecting" : "Select passage (s)"}
      </button>
      {sentences ? (
        <fieldset ref={listRef} id="passage-sentences" className="max-h-64 space-y-1 overflow-y-auto rounded-md p-3 ring-1 ring-slate-200">
          <legend className="float-left mb-1 w-full text-sm font-medium">Keep these sentences as the highlight</legend>
          {sentences.length === 0 ? <p className="clear-left text-sm text-slate-600">This post has no text to choose from: saving keeps the whole post.</p> : null}
          <ul className="clear-left space-y-1">
            {sentences.map((sentence, index) => (
              <li key={index}>
                <label className="flex items-start gap-2 rounded px-1 py-0.5 text-sm hover:bg-slate-50 has-[:checked]:bg-brand-50">
                  <input type="checkbox" checked={chosen.has(index)} onChange={(event) => choose(index, event.target.checked)} className="mt-1 shrink-0" />
                  <span>{sentence}</span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      ) : null}
    </div>
  );
}
