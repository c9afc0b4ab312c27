'use client';

import { AlertTriangleIcon, LoaderCircleIcon } from 'lucide-react';
import { useId, useState, type FormEvent } from 'react';
import { ApiClientError, apiFetch } from '@/components/api/fetcher';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { createWebhookBodySchema, webhookEvents } from '@/lib/schemas/webhooks';
import type { WebhookEndpointResponse } from '@/lib/schemas/webhooks';
import { CopyButton } from '../jobs/detail/copy-button';

export const eventDescriptions: Record<(typeof webhookEvents)[number], string> = {
  'job.completed': 'A job completed',
  'job.failed': 'A job failed',
  'job.cancelled': 'A job was cancelled',
  'job.expired': 'A job expired in the queue',
  'batch.completed': 'Every job of a batch ended',
};

/** Adds an endpoint (URL, description, events), then shows its signing secret to copy. */
export function AddEndpointDialog({ open, onOpenChange, onCreated }: { open: boolean; onOpenChange: (open: boolean) => void; onCreated: () => void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<Set<string>>(new Set(webhookEvents));
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [created, setCreated] = useState<WebhookEndpointResponse | null>(null);
  const urlId = useId();
  const descriptionId = useId();

  const reset = () => {
    setUrl('');
    setDescription('');
    setEvents(new Set(webhookEvents));
    setError(null);
    setCreated(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = createWebhookBodySchema.safeParse({ url, description: description || undefined, events: webhookEvents.filter((name) => events.has(name)) });
    if (!parsed.success) {
      const message = parsed.error.issues[0]?.message ?? 'check the form';
      setError(message[0].toUpperCase() + message.slice(1));
      return;
    }
    setPending(true);
    setError(null);
    try {
      const endpoint = await apiFetch<WebhookEndpointResponse>('/api/v1/webhooks', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(parsed.data),
      });
      setCreated(endpoint);
      onCreated();
    } catch (caught) {
      const fields = caught instanceof ApiClientError ? (caught.details as { fields?: { message: string }[] } | undefined)?.fields : undefined;
      const message = fields?.[0]?.message ?? (caught instanceof ApiClientError ? caught.message : 'Could not add the endpoint. Please try again.');
      setError(message[0].toUpperCase() + message.slice(1));
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
      <DialogContent data-testid="add-endpoint-dialog" className="sm:max-w-lg" onInteractOutside={(event) => created && event.preventDefault()}>
        {created ? (
          <>
            <DialogHeader>
              <DialogTitle>Endpoint added</DialogTitle>
              <DialogDescription>
                Verify the <code>Scrapifie-Signature</code> header of each delivery with this signing secret. You can reveal it again from the
                Webhooks page.
              </DialogDescription>
            </DialogHeader>
            <p className="flex gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
              <AlertTriangleIcon className="mt-0.5 size-4 shrink-0" />
              Keep the secret on your server only; anyone holding it can forge deliveries.
            </p>
            <div className="flex items-center gap-2">
              <Input readOnly value={created.secret} aria-label="Signing secret" data-testid="endpoint-secret" onFocus={(event) => event.currentTarget.select()} className="font-mono text-xs" />
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
              <DialogTitle>Add endpoint</DialogTitle>
              <DialogDescription>Scrapifie POSTs a signed JSON event to this URL for every job and batch of your account.</DialogDescription>
            </DialogHeader>
            <div className="grid gap-2">
              <Label htmlFor={urlId}>Endpoint URL</Label>
              <Input id={urlId} value={url} onChange={(event) => setUrl(event.target.value)} placeholder="https://example.com/hooks/scrapifie" autoFocus />
            </div>
            <div className="grid gap-2">
              <Label htmlFor={descriptionId}>Description (optional)</Label>
              <Input id={descriptionId} value={description} onChange={(event) => setDescription(event.target.value)} maxLength={200} />
            </div>
            <fieldset className="grid gap-2">
              <legend className="mb-1 text-sm font-medium">Events</legend>
              {webhookEvents.map((name) => (
                <label key={name} className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    className="size-4 accent-primary"
                    checked={events.has(name)}
                    onChange={(event) =>
                      setEvents((current) => {
                        const next = new Set(current);
                        if (event.target.checked) next.add(name);
                        else next.delete(name);
                        return next;
                      })
                    }
                  />
                  <code className="font-mono text-xs">{name}</code>
                  <span className="text-muted-foreground">{eventDescriptions[name]}</span>
                </label>
              ))}
            </fieldset>
            {error && (
              <p role="alert" className="text-sm text-destructive">
                {error}
              </p>
            )}
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={pending}>
                {pending && <LoaderCircleIcon className="animate-spin" />}
                Add endpoint
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
