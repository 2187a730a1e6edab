import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { can } from "#app/features/auth/policy.ts";
import { getCurrentUser } from "#app/features/auth/request.server.ts";
import { unreadCount } from "#app/features/notifications/notifications.server.ts";
import { moderatesEveryCommunity, openFlagCount } from "#app/features/discussions/moderation.server.ts";
import { getDb } from "#app/lib/db.server.ts";
import { ErrorPage } from "#app/ui/error-page.tsx";
import { useNonce } from "#app/ui/nonce.tsx";
import { useLinkDelegation } from "#app/ui/plain-link.tsx";
import { SiteHeader } from "#app/ui/site-header.tsx";
import styles from "./styles.css?url";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request, context);
  if (!user) return { user: null };
  const [unread, openFlags] = await Promise.all([
    unreadCount(getDb(), user.id),
    // Moderators and admins see how many flags wait for them.
    moderatesEveryCommunity(user) ? openFlagCount(getDb(), user) : null,
  ]);
  return {
    user: {
      displayName: user.displayName,
      email: user.email,
      role: user.role,
      canAdminister: can(user, "admin.manage"),
      unread,
      openFlags,
      canTriage: can(user, "triage.work"),
      canSeeSuggestions: can(user, "suggestion.view"),
      canNominate: can(user, "nomination.create"),
      // Leaders of a community reach their list from the thread page; this link needs no query.
      canFollowUp: can(user, "follow-up.list", { leadsSomeCommunity: false }),
    },
  };
}

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { title: "Cohort" },
  { name: "description", content: "Time-boxed research communities that turn customer feedback into product decisions." },
];

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const data = useRouteLoaderData<typeof loader>("root");
  return (
    <html lang="en" className="h-full">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="flex min-h-full flex-col font-sans">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-50 focus:rounded focus:bg-white focus:px-4 focus:py-2 focus:shadow"
        >
          Skip to content
        </a>
        <SiteHeader user={data?.user ?? null} />
        <div className="flex-1">{children}</div>
        <footer className="border-t border-slate-200 bg-white py-6 text-center text-xs text-slate-500">
          Cohort: research communities with a start, an end and an answer.
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  useLinkDelegation();
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const message = typeof error.data === "string" && error.data.length < 300 ? error.data : undefined;
    return <ErrorPage status={error.status} message={message} />;
  }
  return <ErrorPage status={500} />;
}
