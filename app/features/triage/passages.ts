/**
 * A post cut into the sentences a moderator can keep as a highlight without a mouse: the
 * keyboard way to do what selecting text and pressing h does. Block breaks (paragraphs,
 * list items) end a sentence too, so a list item without a full stop stands alone.
 */
export function sentencesOf(text: string): string[] {
  const segmenter = new Intl.Segmenter("en", { granularity: "sentence" });
  return text
    .split(/\n+/)
    .flatMap((block) => Array.from(segmenter.segment(block), (part) => part.segment.replace(/\s+/g, " ").trim()))
    .filter((sentence) => sentence.length > 0);
}

/**
 * The highlight the chosen sentences make, in the post's order: neighbours join with a space,
 * a gap between them shows as " … " so the quote does not pretend they were one passage.
 */
export function passageOf(sentences: string[], chosen: ReadonlySet<number>): string {
  let passage = "";
  let previous = -1;
  sentences.forEach((sentence, index) => {
    if (!chosen.has(index)) return;
    if (passage) passage += index === previous + 1 ? " " : " … ";
    passage += sentence;
    previous = index;
  });
  return passage;
}
