/** The reason an action was refused (its `{ error }`), where the form is; nothing otherwise. */
export function ActionError({ data }: { data: unknown }) {
  if (!data || typeof data !== "object" || !("error" in data) || typeof data.error !== "string") return null;
  return (
    <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
      {data.error}
    </p>
  );
}
