import { getInputProps, type FieldMetadata } from "@conform-to/react";
import type { ReactNode } from "react";

/** A labelled input whose errors are announced and tied to it (aria-describedby). */
export function TextField({
  label,
  field,
  type = "text",
  hint,
  autoComplete,
  autoFocus,
  readOnly,
}: {
  label: string;
  field: FieldMetadata<string | undefined>;
  type?: "text" | "email" | "password";
  hint?: ReactNode;
  autoComplete?: string;
  autoFocus?: boolean;
  readOnly?: boolean;
}) {
  const hintId = hint ? `${field.id}-hint` : undefined;
  const inputProps = getInputProps(field, { type, ariaDescribedBy: hintId });
  return (
    <div className="space-y-1">
      <label htmlFor={field.id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input
        {...inputProps}
        key={inputProps.key}
        autoComplete={autoComplete}
        autoFocus={autoFocus}
        readOnly={readOnly}
        className="block w-full rounded-md border-0 bg-white px-3 py-2 text-slate-900 ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-brand-600 aria-[invalid=true]:ring-red-500 read-only:bg-slate-100"
      />
      {hint ? (
        <p id={hintId} className="text-sm text-slate-500">
          {hint}
        </p>
      ) : null}
      {field.errors?.length ? (
        <p id={field.errorId} className="text-sm text-red-700">
          {field.errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/** A form-level message (wrong password, too many attempts), announced to screen readers. */
export function FormAlert({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <div id={id} role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
      {errors.join(" ")}
    </div>
  );
}
