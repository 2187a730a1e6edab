import type { ActionFunctionArgs } from "@remix-run/node";

/**
 * A page whose action reads a vote form and answers as Cohort's vote does, writing nothing:
 * what any action through Remix's data request costs on this machine, so the benchmark can
 * show the vote's budget beside the least an action costs (bench/run.ts).
 */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  return { voted: form.get("intent") === "vote", votes: null, left: 9 };
}

export default function Vote() {
  return <main>Vote</main>;
}
