/** "3 of 10 votes left": how much of a dot-voting budget a member still has. */
export function VoteBudgetLine({ budget }: { budget: { left: number; budget: number } }) {
  return (
    <p role="status" className="inline-flex items-center gap-2 rounded-full bg-brand-50 px-3 py-1 text-sm font-medium text-brand-800 ring-1 ring-brand-200">
      <span aria-hidden="true">●</span>
      {budget.left} of {budget.budget} votes left
    </p>
  );
}
