/**
 * Tag colours: distinct, named for people who cannot tell them apart, and drawn with
 * classes (the CSP allows no inline styles). A tag stores the colour's key.
 */
export const TAG_PALETTE = {
  blue: { name: "Blue", dot: "bg-blue-600" },
  green: { name: "Green", dot: "bg-emerald-600" },
  amber: { name: "Amber", dot: "bg-amber-500" },
  red: { name: "Red", dot: "bg-red-600" },
  violet: { name: "Violet", dot: "bg-violet-600" },
  pink: { name: "Pink", dot: "bg-pink-600" },
  cyan: { name: "Cyan", dot: "bg-cyan-600" },
  grey: { name: "Grey", dot: "bg-slate-500" },
} as const;

export type TagColor = keyof typeof TAG_PALETTE;
export const TAG_COLORS = Object.keys(TAG_PALETTE) as [TagColor, ...TagColor[]];

/** A tag as a small label: a colour dot and its name (the name carries the meaning, not the colour). */
export function TagChip({ tag }: { tag: { name: string; color: string } }) {
  const dot = TAG_PALETTE[tag.color as TagColor]?.dot ?? TAG_PALETTE.grey.dot;
  return (
    <span className="inline-flex items-center gap-1 rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-800">
      <span aria-hidden="true" className={`inline-block h-2 w-2 rounded-full ${dot}`} />
      {tag.name}
    </span>
  );
}
