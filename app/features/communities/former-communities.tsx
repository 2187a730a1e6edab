import { Link } from "@remix-run/react";
import { timeBoxLine, type TimeBoxText } from "./time-box.tsx";

export interface FormerCommunity {
  slug: string;
  name: string;
  readout: boolean;
  box: TimeBoxText;
}

/** The word after leaving, at the top of the home page. */
export function LeftNotice({ communities, left, anonymised = false }: { communities: FormerCommunity[]; left: string | null; anonymised?: boolean }) {
  const justLeft = communities.find((c) => c.slug === left);
  if (!justLeft) return null;
  return (
    <p role="status" className="mt-6 rounded-md border border-green-200 bg-green-50 px-4 py-3 text-sm text-green-800">
      You left {justLeft.name}. {anonymised ? "What you wrote, voted and answered there now shows as “Former member”" : "What you wrote stays"}; you will still hear what became of your feedback, and its readout opens below when it closes.
    </p>
  );
}

/** On the home page: the communities someone left, with their readout once it opens. */
export function FormerCommunities({ communities }: { communities: FormerCommunity[] }) {
  return (
    <>
      {communities.length ? (
        <section aria-labelledby="group-left" className="mt-8">
          <h2 id="group-left" className="text-sm font-semibold uppercase tracking-wide text-slate-500">
            Communities you left
          </h2>
          <ul className="mt-3 divide-y divide-slate-100 rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
            {communities.map((c) => (
              <li key={c.slug} className="flex flex-wrap items-baseline justify-between gap-2 px-5 py-3 text-sm">
                <span className="font-medium">{c.name}</span>
                {c.readout ? (
                  <Link to={`/c/${c.slug}/readout`}>See what its feedback became →</Link>
                ) : (
                  <span className="text-slate-500">{timeBoxLine(c.box).text}; its readout opens when it closes</span>
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
