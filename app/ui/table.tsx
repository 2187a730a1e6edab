import type { ReactNode } from "react";

/**
 * A bordered table that scrolls sideways on a phone; an empty header label is read to screen
 * readers only. The scroll box is `relative` so screen-reader-only text in a cell (positioned
 * absolutely) is clipped with the table instead of widening the page.
 */
export function Table({ headers, children }: { headers: string[]; children: ReactNode }) {
  return (
    <div className="relative mt-3 overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <table className="w-full text-left text-sm">
        <thead className="bg-slate-50 text-slate-600">
          <tr>
            {headers.map((header, index) => (
              <th key={index} className="whitespace-nowrap px-4 py-2 font-medium">
                {header || <span className="sr-only">Actions</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}
