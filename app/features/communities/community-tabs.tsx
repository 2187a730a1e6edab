import { Link } from "@remix-run/react";

/** The two halves of a community: its discussions (with the brief) and its ideas. */
export function CommunityTabs({ slug, current }: { slug: string; current: "discussions" | "ideas" }) {
  const tabs = [
    { id: "discussions", label: "Discussions", to: `/c/${slug}` },
    { id: "ideas", label: "Ideas", to: `/c/${slug}/ideas` },
  ] as const;
  return (
    <nav aria-label="Community sections" className="flex gap-4 overflow-x-auto border-b border-slate-200">
      {tabs.map((tab) => (
        <Link
          key={tab.id}
          to={tab.to}
          aria-current={tab.id === current ? "page" : undefined}
          className={`-mb-px border-b-2 px-1 pb-2 text-sm font-semibold no-underline hover:no-underline ${tab.id === current ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
