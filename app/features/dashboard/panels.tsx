import type { ReactNode } from "react";

/** One figure with its label and an optional line under it. */
export function Figure({ label, value, hint }: { label: string; value: string | number; hint?: string }) {
  return (
    <div role="group" aria-label={label} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <p className="text-xs uppercase tracking-wide text-slate-500">{label}</p>
      <p className="text-2xl font-bold tabular-nums">{value}</p>
      {hint ? <p className="text-xs text-slate-500">{hint}</p> : null}
    </div>
  );
}

/** A titled panel of a dashboard, with a link to its table as CSV when there is one. */
export function Section({ title, csvHref, children }: { title: string; csvHref?: string; children: ReactNode }) {
  return (
    <section aria-label={title} className="space-y-2 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <div className="flex items-center justify-between gap-2">
        <h2 className="font-semibold">{title}</h2>
        {csvHref ? (
          <a href={csvHref} download className="text-sm">
            CSV
          </a>
        ) : null}
      </div>
      {children}
    </section>
  );
}
