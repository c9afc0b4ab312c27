'use client';

import { Field } from '@/components/jobs/new/form-parts';
import { Input } from '@/components/ui/input';
import { Switch } from '@/components/ui/switch';
import { Textarea } from '@/components/ui/textarea';

// The inputs of a crawl's options, shared by the New crawl form and a schedule's crawl target.

/** The non-empty lines of a one-per-line box (path globs, hosts). */
export const lines = (text: string) => text.split('\n').map((line) => line.trim()).filter(Boolean);

/** A number input's value for the body: left out when empty, so the API's default (or "required") applies. */
export const numberOrUnset = (text: string) => (text.trim() === '' ? undefined : Number(text));

type FieldProps = { id: string; name: string; label: string; hint: string; value: string; onChange: (value: string) => void; error?: string };

/** A whole-number field, its error (the API's, for `name`) under it. */
export function NumberField({ id, name, label, hint, value, onChange, error }: FieldProps) {
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      <Input
        id={id}
        name={name}
        type="number"
        inputMode="numeric"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className="w-40"
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-note`}
      />
    </Field>
  );
}

/** A one-per-line list (path globs, hosts) in a monospace box. */
export function LinesField({ id, name, label, hint, value, onChange, error, rows = 3 }: FieldProps & { rows?: number }) {
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      <Textarea
        id={id}
        name={name}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        rows={rows}
        className="font-mono text-[13px]"
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-note`}
      />
    </Field>
  );
}

/** An on/off option with its explanation under the label. */
export function SwitchRow({ id, label, hint, checked, onChange }: { id: string; label: string; hint: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <div className="flex items-start gap-3">
      <Switch id={id} checked={checked} onCheckedChange={onChange} aria-describedby={`${id}-note`} className="mt-0.5" />
      <div className="flex flex-col gap-1">
        <label htmlFor={id} className="text-sm leading-none font-medium">
          {label}
        </label>
        <p id={`${id}-note`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      </div>
    </div>
  );
}
