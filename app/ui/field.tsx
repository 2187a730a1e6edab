import { getInputProps, getSelectProps, getTextareaProps, type FieldMetadata } from "@conform-to/react";
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
    <FieldShell id={field.id} label={label} hint={hint} hintId={hintId} errorId={field.errorId} errors={field.errors}>
      <input
        {...inputProps}
        key={inputProps.key}
        autoComplete={autoComplete}
        autoFocus={autoFocus}
        readOnly={readOnly}
        className={`${CONTROL_CLASS} placeholder:text-slate-400 read-only:bg-slate-100`}
      />
    </FieldShell>
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

const CONTROL_CLASS =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-slate-900 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-600 aria-[invalid=true]:ring-red-500";

function FieldShell({ id, label, hint, hintId, errorId, errors, children }: {
  id: string;
  label: string;
  hint?: ReactNode;
  hintId?: string;
  errorId: string;
  errors?: string[];
  children: ReactNode;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children}
      {hint ? (
        <p id={hintId} className="text-sm text-slate-500">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={errorId} className="text-sm text-red-700">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled multi-line input (Markdown bodies, briefs). */
export function TextAreaField({ label, field, hint, rows = 8 }: { label: string; field: FieldMetadata<string | undefined>; hint?: ReactNode; rows?: number }) {
  const hintId = hint ? `${field.id}-hint` : undefined;
  const props = getTextareaProps(field, { ariaDescribedBy: hintId });
  return (
    <FieldShell id={field.id} label={label} hint={hint} hintId={hintId} errorId={field.errorId} errors={field.errors}>
      <textarea {...props} key={props.key} rows={rows} className={`${CONTROL_CLASS} font-mono text-sm`} />
    </FieldShell>
  );
}

/** A labelled input of another HTML type (datetime-local, number). */
export function InputField({ label, field, type, hint, min, max }: {
  label: string;
  field: FieldMetadata<unknown>;
  type: "datetime-local" | "number";
  hint?: ReactNode;
  min?: number;
  max?: number;
}) {
  const hintId = hint ? `${field.id}-hint` : undefined;
  const props = getInputProps(field, { type, ariaDescribedBy: hintId });
  return (
    <FieldShell id={field.id} label={label} hint={hint} hintId={hintId} errorId={field.errorId} errors={field.errors}>
      <input {...props} key={props.key} min={min} max={max} className={CONTROL_CLASS} />
    </FieldShell>
  );
}

/** A labelled select. */
export function SelectField({ label, field, options, hint }: {
  label: string;
  field: FieldMetadata<string | undefined>;
  options: { value: string; label: string }[];
  hint?: ReactNode;
}) {
  const hintId = hint ? `${field.id}-hint` : undefined;
  const props = getSelectProps(field, { ariaDescribedBy: hintId });
  return (
    <FieldShell id={field.id} label={label} hint={hint} hintId={hintId} errorId={field.errorId} errors={field.errors}>
      <select {...props} key={props.key} className={CONTROL_CLASS}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}
