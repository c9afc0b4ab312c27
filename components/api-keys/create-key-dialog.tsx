'use client';

import { useId, useState, type FormEvent } from 'react';
import { SecretOnceDialog } from '@/components/account/secret-once-dialog';
import { useCreateRequest } from '@/components/account/use-create-request';
import { ApiClientError } from '@/components/api/fetcher';
import { DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { DialogFormFooter } from '@/components/ui/dialog-form-footer';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { RadioGroup, RadioGroupItem } from '@/components/ui/radio-group';
import { createApiKeyBodySchema } from '@/lib/schemas/accounts';
import type { CreatedApiKeyJson } from '../jobs/api-types';

type Kind = 'live' | 'test';

const kinds: { value: Kind; label: string; hint: string }[] = [
  { value: 'live', label: 'Live', hint: 'Jobs run for real and are charged to your credits.' },
  { value: 'test', label: 'Test', hint: 'Jobs cost nothing and are labelled Test.' },
];

/**
 * Creates a key in two steps: name and kind, then the secret, shown this once (the server keeps
 * only its hash). Clicking outside does not close the second step, so it is not lost by accident.
 */
export function CreateKeyDialog({ open, onOpenChange, onCreated }: { open: boolean; onOpenChange: (open: boolean) => void; onCreated: () => void }) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Kind>('live');
  const { created, error, pending, create, clear } = useCreateRequest<CreatedApiKeyJson>('/api/v1/keys', {
    onCreated,
    failure: (caught) => (caught instanceof ApiClientError ? caught.message : 'Could not create the key. Please try again.'),
  });
  const nameId = useId();

  const reset = () => {
    setName('');
    setKind('live');
    clear();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void create(createApiKeyBodySchema.safeParse({ name, kind }), 'check the name');
  };

  return (
    <SecretOnceDialog
      open={open}
      onOpenChange={onOpenChange}
      reset={reset}
      testId="create-key-dialog"
      secret={
        created && {
          title: 'Copy your new API key',
          description: (
            <>
              &ldquo;{created.name}&rdquo; is ready{created.kind === 'test' ? ' (a test key)' : ''}. Send it in the Authorization header of your API
              requests, as a bearer token.
            </>
          ),
          warning: (
            <span>
              <span className="font-medium">You won&apos;t see this key again.</span> Copy it now and store it somewhere safe; if it is lost, revoke it and
              create a new one.
            </span>
          ),
          alert: true,
          value: created.secret,
          label: 'API key secret',
          testId: 'key-secret',
        }
      }
    >
      <form onSubmit={submit} className="grid gap-4" noValidate>
        <DialogHeader>
          <DialogTitle>Create API key</DialogTitle>
          <DialogDescription>Keys authenticate API requests. Give each application its own key, so one can be revoked alone.</DialogDescription>
        </DialogHeader>
        <div className="grid gap-2">
          <Label htmlFor={nameId}>Name</Label>
          <Input
            id={nameId}
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="e.g. Production server"
            maxLength={64}
            autoFocus
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${nameId}-error` : undefined}
          />
          {error && (
            <p id={`${nameId}-error`} role="alert" className="text-sm text-destructive">
              {error}
            </p>
          )}
        </div>
        <fieldset className="grid gap-2">
          <legend className="mb-2 text-sm font-medium">Type</legend>
          <RadioGroup value={kind} onValueChange={(value) => setKind(value as Kind)} className="grid gap-2 sm:grid-cols-2">
            {kinds.map((option) => (
              <Label
                key={option.value}
                className="flex cursor-pointer items-start gap-3 rounded-lg border p-3 font-normal has-[[data-state=checked]]:border-primary has-[[data-state=checked]]:bg-primary/5"
              >
                <RadioGroupItem value={option.value} aria-label={option.label} className="mt-0.5" />
                <span className="grid gap-1">
                  <span className="font-medium">{option.label}</span>
                  <span className="text-xs leading-snug text-muted-foreground">{option.hint}</span>
                </span>
              </Label>
            ))}
          </RadioGroup>
        </fieldset>
        <DialogFormFooter pending={pending} submitLabel="Create key" onCancel={() => onOpenChange(false)} />
      </form>
    </SecretOnceDialog>
  );
}
