'use client';

import { AlertTriangleIcon, LoaderCircleIcon } from 'lucide-react';
import { useId, useState, type FormEvent } from 'react';
import { ApiClientError, apiFetch } from '@/components/api/fetcher';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { RadioGroup, RadioGroupItem } from '@/components/ui/radio-group';
import { createApiKeyBodySchema } from '@/lib/schemas/accounts';
import type { CreatedApiKeyJson } from '../jobs/api-types';
import { CopyButton } from '../jobs/detail/copy-button';

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
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [created, setCreated] = useState<CreatedApiKeyJson | null>(null);
  const nameId = useId();

  const reset = () => {
    setName('');
    setKind('live');
    setError(null);
    setCreated(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = createApiKeyBodySchema.safeParse({ name, kind });
    if (!parsed.success) {
      const message = parsed.error.issues[0]?.message ?? 'check the name';
      setError(message[0].toUpperCase() + message.slice(1));
      return;
    }
    setPending(true);
    setError(null);
    try {
      const key = await apiFetch<CreatedApiKeyJson>('/api/v1/keys', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(parsed.data),
      });
      setCreated(key);
      onCreated();
    } catch (caught) {
      setError(caught instanceof ApiClientError ? caught.message : 'Could not create the key. Please try again.');
    } finally {
      setPending(false);
    }
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        onOpenChange(next);
        if (!next) reset();
      }}
    >
      <DialogContent data-testid="create-key-dialog" className="sm:max-w-lg" onInteractOutside={(event) => created && event.preventDefault()}>
        {created ? (
          <>
            <DialogHeader>
              <DialogTitle>Copy your new API key</DialogTitle>
              <DialogDescription>
                &ldquo;{created.name}&rdquo; is ready{created.kind === 'test' ? ' (a test key)' : ''}. Send it in the Authorization header of your API requests,
                as a bearer token.
              </DialogDescription>
            </DialogHeader>
            <p role="alert" className="flex gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
              <AlertTriangleIcon className="mt-0.5 size-4 shrink-0" />
              <span>
                <span className="font-medium">You won&apos;t see this key again.</span> Copy it now and store it somewhere safe; if it is lost, revoke it
                and create a new one.
              </span>
            </p>
            <div className="flex items-center gap-2">
              <Input
                readOnly
                value={created.secret}
                aria-label="API key secret"
                data-testid="key-secret"
                onFocus={(event) => event.currentTarget.select()}
                className="font-mono text-xs"
              />
              <CopyButton text={created.secret} />
            </div>
            <DialogFooter>
              <Button
                onClick={() => {
                  onOpenChange(false);
                  reset();
                }}
              >
                Done
              </Button>
            </DialogFooter>
          </>
        ) : (
          <form onSubmit={(event) => void submit(event)} className="grid gap-4" noValidate>
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
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={pending}>
                {pending && <LoaderCircleIcon className="animate-spin" />}
                Create key
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
