import type { Phase } from "./phase.ts";
import { PHASE_LABEL } from "./phase.ts";

/** The dates as the server worked them out, in the community's zone and relative to now. */
export interface TimeBoxText {
  phase: Phase;
  opens: string;
  closes: string;
  opensRelative: string;
  closesRelative: string;
  /** The day it closes(d), in its zone: "3 March 2026". */
  closedOn: string;
  timeZone: string;
}

/** The colours of each phase, for its badge and the time box line. */
export const PHASE_TONE: Record<Phase, string> = {
  draft: "bg-slate-100 text-slate-700",
  upcoming: "bg-amber-100 text-amber-800",
  active: "bg-green-100 text-green-800",
  closed: "bg-slate-200 text-slate-700",
  archived: "bg-slate-200 text-slate-600",
};

export function PhaseBadge({ phase }: { phase: Phase }) {
  return <span className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-semibold ${PHASE_TONE[phase]}`}>{PHASE_LABEL[phase]}</span>;
}

/** One line that says where the community stands in its time box. */
export function timeBoxSummary(box: TimeBoxText): string {
  switch (box.phase) {
    case "draft":
      return `Draft: would open ${box.opensRelative}`;
    case "upcoming":
      return `Opens ${box.opensRelative}`;
    case "active":
      return `Open now, closes ${box.closesRelative}`;
    case "closed":
      return `Closed ${box.closesRelative}`;
    case "archived":
      return "Archived";
  }
}

export function TimeBox({ box }: { box: TimeBoxText }) {
  return (
    <div className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <dl className="grid gap-4 sm:grid-cols-2">
        <div>
          <dt className="text-sm font-medium text-slate-600">Opens</dt>
          <dd className="mt-1 font-semibold">{box.opens}</dd>
          <dd className="text-sm text-slate-600">{box.opensRelative}</dd>
        </div>
        <div>
          <dt className="text-sm font-medium text-slate-600">Closes</dt>
          <dd className="mt-1 font-semibold">{box.closes}</dd>
          <dd className="text-sm text-slate-600">{box.closesRelative}</dd>
        </div>
      </dl>
      {/* After the list, not in it: a <dl> holds only its terms and descriptions. */}
      <p className="mt-4 text-xs text-slate-600">Times are in {box.timeZone.replaceAll("_", " ")}.</p>
    </div>
  );
}

/** The banner that upcoming, closed and archived communities carry. */
export function PhaseBanner({ box, closedOn }: { box: TimeBoxText; closedOn: string }) {
  const text =
    box.phase === "upcoming"
      ? `This community opens ${box.opensRelative}, on ${box.opens}. You can read the brief now and take part from then.`
      : box.phase === "closed"
        ? `This community closed on ${closedOn}; it is read only.`
        : box.phase === "archived"
          ? "This community is archived; it is read only."
          : box.phase === "draft"
            ? "This is a draft. Only staff can see it until it is published."
            : null;
  if (!text) return null;
  return (
    <div role="status" className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      {text}
    </div>
  );
}

/**
 * The time box in one line for the community header: the phase and the next boundary
 * ("Open · closes in 8 days", "Opens in 3 days", "Closed on 3 March 2026"), and the
 * absolute moment that boundary falls on in the community's zone, when there is one ahead.
 */
export function timeBoxLine(box: TimeBoxText): { text: string; at: string | null } {
  switch (box.phase) {
    case "draft":
      return { text: `Draft · would open ${box.opensRelative}`, at: box.opens };
    case "upcoming":
      return { text: `Opens ${box.opensRelative}`, at: box.opens };
    case "active":
      return { text: `Open · closes ${box.closesRelative}`, at: box.closes };
    case "closed":
      return { text: `Closed on ${box.closedOn}`, at: null };
    case "archived":
      return { text: `Archived · closed on ${box.closedOn}`, at: null };
  }
}
