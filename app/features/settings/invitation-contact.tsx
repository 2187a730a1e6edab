/**
 * How a visitor without an invitation gets one, in the admin's words: shown where someone
 * who was not invited would otherwise stop (the landing page, sign-up, an empty home).
 */
export function InvitationContact({ html, className = "" }: { html: string | null; className?: string }) {
  if (!html) return null;
  return (
    <section aria-labelledby="invitation-contact-heading" className={`rounded-lg border border-brand-200 bg-brand-50 px-5 py-4 ${className}`}>
      <h2 id="invitation-contact-heading" className="text-base font-semibold text-slate-900">
        No invitation yet?
      </h2>
      <div className="prose-cohort mt-2 text-sm text-slate-700" dangerouslySetInnerHTML={{ __html: html }} />
    </section>
  );
}
