import { Form, Link } from "@remix-run/react";
import type { SessionUser } from "#app/features/auth/session.server.ts";

const ROLE_LABEL: Record<SessionUser["role"], string | null> = {
  member: null,
  moderator: "Moderator",
  product: "Product",
  admin: "Admin",
};

type HeaderUser = Pick<SessionUser, "displayName" | "email" | "role"> & {
  unread: number;
  canAdminister: boolean;
  openFlags: number | null;
  canTriage: boolean;
  canSeeSuggestions: boolean;
};

const navLink = "rounded-md px-2 py-1.5 text-sm font-medium text-slate-700 no-underline hover:bg-slate-100 hover:no-underline";

export function SiteHeader({ user }: { user: HeaderUser | null }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-5xl items-center justify-between gap-4 px-4 py-3">
        <Link to="/" className="flex items-center gap-2 text-lg font-bold text-slate-900 no-underline hover:no-underline">
          <span aria-hidden="true" className="inline-block h-6 w-6 rounded-md bg-brand-600" />
          Cohort
        </Link>
        {user ? (
          <div className="flex items-center gap-1 sm:gap-2">
            <Form method="get" action="/search" role="search" className="hidden md:block">
              <label htmlFor="header-search" className="sr-only">
                Search
              </label>
              <input id="header-search" type="search" name="q" placeholder="Search" className="w-40 rounded-md border-0 px-2 py-1 text-sm ring-1 ring-inset ring-slate-300 focus:w-56" />
            </Form>
            <Link to="/search" className={`${navLink} md:hidden`}>
              Search
            </Link>
            {user.canTriage ? (
              <Link to="/triage" className={navLink}>
                Triage
              </Link>
            ) : null}
            {user.canSeeSuggestions ? (
              <Link to="/suggestions" className={navLink}>
                Suggestions
              </Link>
            ) : null}
            {user.openFlags !== null ? (
              <Link to="/moderation" className={navLink}>
                Moderation
                {user.openFlags ? (
                  <span className="ml-1 rounded-full bg-amber-100 px-1.5 text-xs font-bold text-amber-800">
                    {user.openFlags}
                    <span className="sr-only"> flagged</span>
                  </span>
                ) : null}
              </Link>
            ) : null}
            <Link
              to="/notifications"
              className="relative flex items-center rounded-md px-2 py-1.5 text-sm font-medium text-slate-700 no-underline hover:bg-slate-100 hover:no-underline"
              aria-label={user.unread ? `Notifications, ${user.unread} unread` : "Notifications"}
            >
              <svg aria-hidden="true" viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
                <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
                <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
              </svg>
              {user.unread ? (
                <span aria-hidden="true" className="absolute -right-1 -top-1 min-w-5 rounded-full bg-red-600 px-1 text-center text-xs font-bold text-white">
                  {user.unread > 99 ? "99+" : user.unread}
                </span>
              ) : null}
            </Link>
            <UserMenu user={user} />
          </div>
        ) : (
          <SignedOutLinks />
        )}
      </div>
    </header>
  );
}

function SignedOutLinks() {
  return (
    <nav aria-label="Account" className="flex items-center gap-2 text-sm">
      <Link to="/login" className="rounded-md px-3 py-2 font-medium text-slate-700 no-underline hover:bg-slate-100 hover:no-underline">
        Sign in
      </Link>
      <Link to="/signup" className="rounded-md bg-brand-600 px-3 py-2 font-semibold text-white no-underline hover:bg-brand-700 hover:no-underline">
        Sign up
      </Link>
    </nav>
  );
}

/** A disclosure, so the menu opens with the keyboard and works without JavaScript. */
function UserMenu({ user }: { user: HeaderUser }) {
  const role = ROLE_LABEL[user.role];
  return (
    <details className="group relative">
      <summary
        className="flex list-none items-center gap-2 rounded-md px-2 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100"
        aria-label={`Account menu for ${user.displayName}`}
      >
        <span aria-hidden="true" className="flex h-8 w-8 items-center justify-center rounded-full bg-brand-100 font-semibold text-brand-700">
          {user.displayName.slice(0, 1).toUpperCase()}
        </span>
        <span className="hidden sm:inline">{user.displayName}</span>
        {role ? <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{role}</span> : null}
        <span aria-hidden="true" className="text-slate-400 group-open:rotate-180">▾</span>
      </summary>
      <div className="absolute right-0 z-10 mt-2 w-64 rounded-md border border-slate-200 bg-white p-2 shadow-lg">
        <p className="px-2 py-1 text-sm text-slate-600">
          Signed in as <span className="font-medium text-slate-900">{user.email}</span>
        </p>
        <Link to="/account" className="block rounded px-2 py-2 text-sm text-slate-800 no-underline hover:bg-slate-100 hover:no-underline">
          Your account
        </Link>
        {user.canAdminister ? (
          <>
            <Link to="/admin/people" className="block rounded px-2 py-2 text-sm text-slate-800 no-underline hover:bg-slate-100 hover:no-underline">
              People
            </Link>
            <Link to="/admin/outbox" className="block rounded px-2 py-2 text-sm text-slate-800 no-underline hover:bg-slate-100 hover:no-underline">
              Outbox
            </Link>
            <Link to="/admin/webhooks" className="block rounded px-2 py-2 text-sm text-slate-800 no-underline hover:bg-slate-100 hover:no-underline">
              Webhooks
            </Link>
            <Link to="/audit" className="block rounded px-2 py-2 text-sm text-slate-800 no-underline hover:bg-slate-100 hover:no-underline">
              Audit log
            </Link>
          </>
        ) : null}
        <Form method="post" action="/logout">
          <button type="submit" className="w-full rounded px-2 py-2 text-left text-sm text-slate-800 hover:bg-slate-100">
            Sign out
          </button>
        </Form>
      </div>
    </details>
  );
}
