/** A labelled select for a GET filter form; an optional first option means "no filter". */
export function FilterSelect({ label, name, value, options, all }: { label: string; name: string; value: string | undefined; options: [string, string][]; all?: string }) {
  const id = `filter-${name}`;
  return (
    <div className="min-w-0 max-w-full space-y-1">
      <label htmlFor={id} className="block font-medium">
        {label}
      </label>
      <select id={id} name={name} defaultValue={value ?? ""} className="rounded-md border-0 py-1.5 pl-2 pr-8 text-sm ring-1 ring-inset ring-slate-300">
        {all ? <option value="">{all}</option> : null}
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}
