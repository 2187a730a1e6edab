/** What sets a thread apart, as small labels: a research prompt, masked, scheduled, pinned, locked. */
export function ThreadBadges({ thread }: { thread: { kind: string; masked: boolean; pinned: boolean; locked: boolean; scheduledFor: string | null } }) {
  const badges: [string, string, string?][] = [];
  if (thread.kind === "prompt") badges.push(["Research prompt", "bg-brand-600 text-white"]);
  if (thread.masked) badges.push(["Masked", "bg-brand-100 text-brand-800", "You see others' answers after posting your own"]);
  if (thread.scheduledFor) badges.push([`Appears ${thread.scheduledFor}`, "bg-amber-100 text-amber-800", "Participants do not see it yet"]);
  if (thread.pinned) badges.push(["Pinned", "bg-slate-200 text-slate-700"]);
  if (thread.locked) badges.push(["Locked", "bg-slate-700 text-white", "No new replies"]);
  if (!badges.length) return null;
  return (
    <span className="inline-flex flex-wrap gap-1.5">
      {badges.map(([label, style, title]) => (
        <span key={label} title={title} className={`rounded-full px-2 py-0.5 text-xs font-semibold ${style}`}>
          {label}
        </span>
      ))}
    </span>
  );
}
