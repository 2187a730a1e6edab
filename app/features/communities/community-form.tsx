import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useNavigation } from "@remix-run/react";
import { Button } from "#app/ui/button.tsx";
import { FormAlert, InputField, SelectField, TextAreaField, TextField } from "#app/ui/field.tsx";
import { CommunityFormSchema } from "./schemas.ts";

export interface CommunityFormDefaults {
  name?: string;
  slug?: string;
  purpose?: string;
  timeZone: string;
  startsAt?: string;
  endsAt?: string;
  voteBudget?: number | null;
  hideVoteCounts?: boolean;
  randomIdeaOrder?: boolean;
}

/** The form that creates and edits a community; the same schema checks it in the action. */
export function CommunityFormFields({
  defaults,
  timeZones,
  lastResult,
  submitLabel,
  slugEditable,
}: {
  defaults: CommunityFormDefaults;
  timeZones: string[];
  lastResult?: SubmissionResult<string[]>;
  submitLabel: string;
  slugEditable: boolean;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { ...defaults, voteBudget: defaults.voteBudget ? String(defaults.voteBudget) : undefined },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CommunityFormSchema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-6 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
      <input type="hidden" name="intent" value="save" />
      <FormAlert id={form.errorId} errors={form.errors} />
      <TextField label="Name" field={fields.name} />
      {slugEditable ? (
        <TextField label="Web address" field={fields.slug} hint="Lower-case letters, digits and hyphens. Left empty, it is made from the name." />
      ) : null}
      <TextAreaField
        label="Purpose (the research brief)"
        field={fields.purpose}
        rows={8}
        hint="Markdown. Invited customers read this before they join, so say what you want to learn and why."
      />
      <fieldset className="space-y-4">
        <legend className="text-sm font-semibold text-slate-800">The time box</legend>
        <SelectField label="Time zone" field={fields.timeZone} options={timeZones.map((zone) => ({ value: zone, label: zone.replaceAll("_", " ") }))} hint="Dates are shown to members in this zone." />
        <div className="grid gap-4 sm:grid-cols-2">
          <InputField label="Opens" type="datetime-local" field={fields.startsAt} />
          <InputField label="Closes" type="datetime-local" field={fields.endsAt} />
        </div>
      </fieldset>
      <InputField
        label="Vote budget per member (optional)"
        type="number"
        field={fields.voteBudget}
        min={1}
        max={100}
        hint="Set it for dot voting: each member spreads this many votes across ideas. Leave empty for one vote per idea."
      />
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Bias controls for ideas</legend>
        <label className="flex items-start gap-2 text-sm">
          <input {...getInputProps(fields.hideVoteCounts, { type: "checkbox" })} className="mt-1" />
          <span>
            Hide vote counts from participants until the community ends
            <span className="block text-slate-500">Nobody follows the crowd; ideas are listed newest first or shuffled instead of by votes.</span>
          </span>
        </label>
        <label className="flex items-start gap-2 text-sm">
          <input {...getInputProps(fields.randomIdeaOrder, { type: "checkbox" })} className="mt-1" />
          <span>
            Show each participant the ideas in their own random order
            <span className="block text-slate-500">Stable for each person, so the first ideas do not collect votes just for being first.</span>
          </span>
        </label>
      </fieldset>
      <Button disabled={navigation.state === "submitting"}>{submitLabel}</Button>
    </Form>
  );
}
