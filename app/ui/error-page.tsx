import { Link } from "@remix-run/react";

const TITLES: Record<number, string> = {
  400: "That request did not make sense",
  403: "You do not have access to this page",
  404: "We could not find that page",
  405: "That is not something this page does",
  429: "Slow down a little",
  500: "Something went wrong on our side",
};

/** What a person sees when a page fails: the status and a way on, never a stack trace. */
export function ErrorPage({ status, message }: { status: number; message?: string }) {
  const title = TITLES[status] ?? (status >= 500 ? TITLES[500]! : "That did not work");
  return (
    <main id="main" className="mx-auto max-w-xl px-4 py-16 text-center">
      <p className="text-sm font-semibold text-brand-700">Error {status}</p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight">{title}</h1>
      {message ? <p className="mt-4 text-slate-600">{message}</p> : null}
      <p className="mt-8">
        <Link to="/" className="font-semibold">
          Go to the home page
        </Link>
      </p>
    </main>
  );
}
