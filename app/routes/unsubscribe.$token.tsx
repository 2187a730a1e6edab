import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { unsubscribe } from "#app/features/notifications/email.server.ts";
import { getDb } from "#app/lib/db.server.ts";
import { act } from "#app/lib/form-action.server.ts";
import { Button } from "#app/ui/button.tsx";

// Opening the link changes nothing (mail scanners open links); the button does.
export async function loader(_: LoaderFunctionArgs) {
  return null;
}

export async function action({ params }: ActionFunctionArgs) {
  return act(async () => ({ done: await unsubscribe(getDb(), params.token ?? "") }));
}

export const meta: MetaFunction = () => [{ title: "Unsubscribe · Cohort" }];

export default function UnsubscribePage() {
  const result = useActionData<typeof action>();
  return (
    <main id="main" className="mx-auto max-w-lg space-y-4 px-4 py-16 text-center">
      <h1 className="text-2xl font-bold tracking-tight">Stop email from Cohort</h1>
      {result === undefined ? (
        <>
          <p className="text-slate-600">You will still see notifications in the app. You can turn individual kinds of email back on in your account.</p>
          <Form method="post">
            <Button>Stop all email</Button>
          </Form>
        </>
      ) : "done" in result && result.done ? (
        <p role="status" className="text-slate-700">
          Done: Cohort will not email you any more. <Link to="/account">Change your email settings</Link>.
        </p>
      ) : (
        <p role="alert" className="text-slate-700">
          This link is not one we know. <Link to="/account">Change your email settings</Link> after signing in.
        </p>
      )}
    </main>
  );
}
