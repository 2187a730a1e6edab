import { CONSENT_PARTS, type ConsentText } from "./schemas.ts";

/** A consent text as a member reads it before agreeing: each part under its heading, in plain text. */
export function ConsentTextView({ consent, heading = "What you agree to" }: { consent: Omit<ConsentText, "publishedAt"> & { publishedOn: string }; heading?: string }) {
  return (
    <section aria-labelledby={`consent-${consent.version}`} data-testid="consent-text" className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
      <h2 id={`consent-${consent.version}`} className="text-lg font-semibold">
        {heading}
      </h2>
      <p className="text-sm text-slate-500">
        Consent, version {consent.version}, published {consent.publishedOn}
      </p>
      <dl className="mt-3 space-y-3">
        {CONSENT_PARTS.filter(([key]) => consent[key]).map(([key, label]) => (
          <div key={key}>
            <dt className="text-sm font-semibold text-slate-800">{label}</dt>
            <dd className="whitespace-pre-line text-slate-700">{consent[key]}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
