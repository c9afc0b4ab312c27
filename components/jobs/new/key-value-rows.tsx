'use client';

import { PlusIcon, XIcon } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import type { FieldErrors, KeyValueRow } from './form-values';

/** Editable name/value rows (headers, cookies); each row shows its own error. */
export function KeyValueRows({
  field,
  label,
  rows,
  errors,
  disabled,
  namePlaceholder,
  valuePlaceholder,
  onChange,
  newId,
}: {
  field: 'headers' | 'cookies';
  label: string;
  rows: KeyValueRow[];
  errors: FieldErrors;
  disabled?: boolean;
  namePlaceholder: string;
  valuePlaceholder: string;
  onChange: (rows: KeyValueRow[]) => void;
  newId: () => string;
}) {
  const noun = field === 'headers' ? 'header' : 'cookie';
  const update = (id: string, patch: Partial<KeyValueRow>) => onChange(rows.map((row) => (row.id === id ? { ...row, ...patch } : row)));
  return (
    <div className="flex flex-col gap-2" role="group" aria-label={label} data-testid={`${field}-rows`}>
      {rows.map((row, index) => {
        const error = errors[`${field}:${row.id}`];
        const errorId = `${field}-${row.id}-error`;
        return (
          <div key={row.id} className="flex flex-col gap-1">
            <div className="flex items-center gap-2">
              <Input
                value={row.name}
                // The saved value belongs to the original name: a renamed row needs a value of its own.
                onChange={(event) => update(row.id, { name: event.target.value, saved: false })}
                placeholder={namePlaceholder}
                aria-label={`${label} ${index + 1} name`}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? errorId : undefined}
                disabled={disabled}
                className="h-8 w-2/5 font-mono text-xs"
              />
              <Input
                value={row.value}
                onChange={(event) => update(row.id, { value: event.target.value, saved: false })}
                placeholder={row.saved ? 'Saved value kept (type to replace)' : valuePlaceholder}
                data-saved={row.saved ? '' : undefined}
                aria-label={`${label} ${index + 1} value`}
                disabled={disabled}
                className="h-8 flex-1 font-mono text-xs"
              />
              <Button
                type="button"
                variant="ghost"
                size="icon-sm"
                aria-label={`Remove ${noun} ${index + 1}`}
                onClick={() => onChange(rows.filter((candidate) => candidate.id !== row.id))}
                disabled={disabled}
              >
                <XIcon />
              </Button>
            </div>
            {error && (
              <p id={errorId} className="text-xs text-destructive" data-testid="field-error">
                {error}
              </p>
            )}
          </div>
        );
      })}
      <div>
        <Button type="button" variant="outline" size="xs" onClick={() => onChange([...rows, { id: newId(), name: '', value: '' }])} disabled={disabled}>
          <PlusIcon />
          Add {noun}
        </Button>
      </div>
    </div>
  );
}
