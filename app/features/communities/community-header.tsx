import { Link } from "@remix-run/react";
import { PHASE_TONE, timeBoxLine, type TimeBoxText } from "./time-box.tsx";

export interface CommunityHeaderData {
  slug: string;
  name: string;
  box: TimeBoxText;
  /** The consent version this member must agree to before writing, or null. */
  consentToAgree?: number | null;
}

/**
 * The one header every page of a community carries: its name (the page's title on the
 * discussions page, a link back elsewhere) and where it stands in its time box, so a member
 * never has to go back to the brief to learn whether, and until when, they can take part.
 */
export function CommunityHeader({ header, title = false, back }: { header: CommunityHeaderData; title?: boolean; back?: { to: string; label: string } }) {
  const line = timeBoxLine(header.box);
  return (
    <header className="min-w-0 space-y-1">
      {title ? (
        <h1 className="break-words text-3xl font-bold tracking-tight">{header.name}</h1>
      ) : (
        <Link to={back?.to ?? `/c/${header.slug}`} className="break-words text-sm font-semibold">
          ← {back?.label ?? header.name}
        </Link>
      )}
      <p data-testid="time-box" className="text-sm text-slate-700">
        <span className={`inline-block rounded-full px-2.5 py-0.5 font-semibold ${PHASE_TONE[header.box.phase]}`}>{line.text}</span>
        {/* The discussions page shows the full dates in its time box card just below. */}
        {line.at && !title ? <span className="text-slate-500"> ({line.at})</span> : null}
      </p>
      {header.consentToAgree ? (
        <p role="status" data-testid="consent-pending" className="mt-2 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          The consent for this community has changed. <Link to={`/c/${header.slug}/consent`} className="font-semibold">Read version {header.consentToAgree} and agree</Link> before you take part
          again; until then you can read but not write.
        </p>
      ) : null}
    </header>
  );
}
