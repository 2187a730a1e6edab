import { Form, Link } from "@remix-run/react";
import type { SessionUser } from "#app/features/auth/session.server.ts";
import { Disclosure } from "#app/ui/disclosure.tsx";

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
  canNominate: boolean;
  canFollowUp: boolean;
};

/** A header link; `count` shows as a badge after the label, read as "`count` `countLabel`". */
interface HeaderLink {
  to: string;
  label: string;
  count?: number;
  countLabel?: string;
}

/**
 * The site's sections. One list for both layouts: the bar shows it on a wide screen, the
 * phone menu on a narrow one. A new section is one more line here.
 */
function sectionLinks(user: HeaderUser): HeaderLink[] {
  const links: HeaderLink[] = [];
  if (user.canTriage) links.push({ to: "/triage", label: "Triage" });
  if (user.canSeeSuggestions) links.push({ to: "/suggestions", label: "Suggestions" });
  if (user.canNominate) links.push({ to: "/nominations", label: "Nominate" });
  if (user.canFollowUp) links.push({ to: "/follow-ups", label: "Follow-ups" });
  // Moderators and admins see how many flags wait for them.
  if (user.openFlags !== null) links.push({ to: "/moderation", label: "Moderation", count: user.openFlags, countLabel: "flagged" });
  return links;
}

/** The account menu's links (Sign out follows them), in the account menu or the phone menu. */
function accountLinks(user: HeaderUser): HeaderLink[] {
  const links: HeaderLink[] = [{ to: "/account", label: "Your account" }];
  if (user.canAdminister) links.push({ to: "/admin/people", label: "People" });
  if (user.canAdminister) links.push({ to: "/admin/outbox", label: "Outbox" });
  if (user.canAdminister) links.push({ to: "/admin/webhooks", label: "Webhooks" });
  if (user.canAdminister) links.push({ to: "/audit", label: "Audit log" });
  if (user.canAdminister) links.push({ to: "/admin/settings", label: "Settings" });
  return links;
}

const barLink = "whitespace-nowrap rounded-md px-2 py-1.5 text-sm font-medium text-slate-700 no-underline hover:bg-slate-100 hover:no-underline";
const menuLink = "block rounded px-2 py-2 text-sm text-slate-800 no-underline hover:bg-slate-100 hover:no-underline";
const menuPanel = "rounded-md border border-slate-200 bg-white p-2 shadow-lg";

/**
 * From the `lg` breakpoint up the bar holds search, the sections, the bell and the account
 * menu; below it the bar keeps the bell and one Menu holds the rest, so nothing runs off a
 * phone's screen however many sections a role has.
 */
export function SiteHeader({ user }: { user: HeaderUser | null }) {
  return (
    <header className="relative border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-5xl items-center justify-between gap-4 px-4 py-3">
        <Link to="/" className="flex items-center gap-2 text-lg font-bold text-slate-900 no-underline hover:no-underline">
          <span aria-hidden="true" className="inline-block h-6 w-6 rounded-md bg-brand-600" />
          Cohort
        </Link>
        {user ? (
          <div className="flex items-center gap-1 lg:gap-2">
            <div className="hidden items-center gap-2 lg:flex">
              <SearchForm id="header-search" className="w-40 focus:w-56" />
              <nav aria-label="Sections" className="flex items-center gap-2">
                <LinkList links={sectionLinks(user)} linkClassName={barLink} className="flex items-center gap-2" />
              </nav>
            </div>
            <Bell unread={user.unread} />
            <UserMenu user={user} />
            <PhoneMenu user={user} />
          </div>
        ) : (
          <SignedOutLinks />
        )}
      </div>
    </header>
  );
}

function LinkList({ links, className, linkClassName }: { links: HeaderLink[]; className?: string; linkClassName: string }) {
  return (
    <ul className={className}>
      {links.map((link) => (
        <li key={link.to}>
          <Link to={link.to} className={linkClassName}>
            {link.label}
            {link.count ? (
              <span className="ml-1 rounded-full bg-amber-100 px-1.5 text-xs font-bold text-amber-800">
                {link.count}
                {link.countLabel ? <span className="sr-only"> {link.countLabel}</span> : null}
              </span>
            ) : null}
          </Link>
        </li>
      ))}
    </ul>
  );
}

function SearchForm({ id, className }: { id: string; className: string }) {
  return (
    <Form method="get" action="/search" role="search" aria-label="Site search">
      <label htmlFor={id} className="sr-only">
        Search
      </label>
      <input id={id} type="search" name="q" placeholder="Search" className={`rounded-md border-0 px-2 py-1 text-sm ring-1 ring-inset ring-slate-300 ${className}`} />
    </Form>
  );
}

function Bell({ unread }: { unread: number }) {
  return (
    <Link
      to="/notifications"
      className="relative flex items-center rounded-md px-2 py-1.5 text-sm font-medium text-slate-700 no-underline hover:bg-slate-100 hover:no-underline"
      aria-label={unread ? `Notifications, ${unread} unread` : "Notifications"}
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {unread ? (
        <span aria-hidden="true" className="absolute -right-1 -top-1 min-w-5 rounded-full bg-red-600 px-1 text-center text-xs font-bold text-white">
          {unread > 99 ? "99+" : unread}
        </span>
      ) : null}
    </Link>
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

/** The initial is drawn by CSS, not written as text: a toggle's visible text is then exactly its label's words (WCAG 2.5.3). */
function Avatar({ name }: { name: string }) {
  return (
    <span
      aria-hidden="true"
      data-initial={name.slice(0, 1).toUpperCase()}
      className="flex h-8 w-8 items-center justify-center rounded-full bg-brand-100 font-semibold text-brand-700 before:content-[attr(data-initial)]"
    />
  );
}

function SignedInAs({ user }: { user: HeaderUser }) {
  return (
    <p className="break-words px-2 py-1 text-sm text-slate-600">
      Signed in as <span className="font-medium text-slate-900">{user.email}</span>
    </p>
  );
}

function SignOut() {
  return (
    <Form method="post" action="/logout">
      <button type="submit" className="w-full rounded px-2 py-2 text-left text-sm text-slate-800 hover:bg-slate-100">
        Sign out
      </button>
    </Form>
  );
}

/** The account menu of a wide screen. */
function UserMenu({ user }: { user: HeaderUser }) {
  const role = ROLE_LABEL[user.role];
  return (
    <Disclosure
      className="group relative hidden lg:block"
      summaryClassName="flex list-none items-center gap-2 rounded-md px-2 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100"
      // The name holds what the toggle shows (the name and role, not in parentheses, which count as an aside), so a speech user can say it.
      label={`Account menu for ${user.displayName}${role ? `, ${role}` : ""}`}
      summary={
        <>
          <Avatar name={user.displayName} />
          <span className="whitespace-nowrap">{user.displayName}</span>{" "}
          {role ? <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{role}</span> : null}
          <svg aria-hidden="true" viewBox="0 0 12 12" className="h-3 w-3 fill-slate-500 group-open:rotate-180">
            <path d="M2 4h8l-4 5z" />
          </svg>
        </>
      }
    >
      <div className={`absolute right-0 z-10 mt-2 w-64 ${menuPanel}`}>
        <SignedInAs user={user} />
        <LinkList links={accountLinks(user)} linkClassName={menuLink} />
        <SignOut />
      </div>
    </Disclosure>
  );
}

/** The one menu of a narrow screen: search, the sections, then the account menu's links. */
function PhoneMenu({ user }: { user: HeaderUser }) {
  const role = ROLE_LABEL[user.role];
  const sections = sectionLinks(user);
  return (
    <Disclosure
      className="group lg:hidden"
      summaryClassName="flex list-none items-center gap-2 rounded-md px-2 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100"
      label={`Menu for ${user.displayName}`}
      summary={
        <>
          <svg aria-hidden="true" viewBox="0 0 24 24" className="h-5 w-5 group-open:hidden" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
            <path d="M4 6h16M4 12h16M4 18h16" />
          </svg>
          <svg aria-hidden="true" viewBox="0 0 24 24" className="hidden h-5 w-5 group-open:block" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
            <path d="M6 6l12 12M18 6L6 18" />
          </svg>
          <span>Menu</span>
          <Avatar name={user.displayName} />
        </>
      }
    >
      {/* Below the whole header (positioned against it), as wide as the screen allows. */}
      <div className={`absolute inset-x-2 top-full z-20 mt-1 max-h-[calc(100vh-5rem)] overflow-y-auto sm:left-auto sm:w-80 ${menuPanel}`}>
        <div className="px-2 pb-2 pt-1">
          <SearchForm id="menu-search" className="w-full" />
        </div>
        {sections.length ? (
          <nav aria-label="Sections" className="border-b border-slate-100 pb-2">
            <LinkList links={sections} linkClassName={menuLink} />
          </nav>
        ) : null}
        <div className="pt-2">
          <div className="flex flex-wrap items-center gap-x-2">
            <SignedInAs user={user} />
            {role ? <span className="mx-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{role}</span> : null}
          </div>
          <LinkList links={accountLinks(user)} linkClassName={menuLink} />
          <SignOut />
        </div>
      </div>
    </Disclosure>
  );
}
