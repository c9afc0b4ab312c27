'use client';

import { useId, useState, type FormEvent } from 'react';
import { sentence, SecretOnceDialog } from '@/components/account/secret-once-dialog';
import { useCreateRequest } from '@/components/account/use-create-request';
import { ApiClientError } from '@/components/api/fetcher';
import { DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { DialogFormFooter } from '@/components/ui/dialog-form-footer';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { createWebhookBodySchema, defaultWebhookEvents, webhookEvents } from '@/lib/schemas/webhooks';
import type { WebhookEndpointResponse } from '@/lib/schemas/webhooks';

export const eventDescriptions: Record<(typeof webhookEvents)[number], string> = {
  'job.started': 'A job started running (opt-in)',
  'job.completed': 'A job completed',
  'job.failed': 'A job failed',
  'job.cancelled': 'A job was cancelled',
  'job.expired': 'A job expired in the queue',
  'batch.completed': 'Every job of a batch ended',
  'crawl.completed': 'Every page of a crawl ended',
  'crawl.cancelled': 'A crawl was cancelled',
  'job.changed': "A tracked page's content changed or was removed",
};

/** Adds an endpoint (URL, description, events), then shows its signing secret to copy. */
export function AddEndpointDialog({ open, onOpenChange, onCreated }: { open: boolean; onOpenChange: (open: boolean) => void; onCreated: () => void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<Set<string>>(new Set(defaultWebhookEvents));
  const { created, error, pending, create, clear } = useCreateRequest<WebhookEndpointResponse>('/api/v1/webhooks', {
    onCreated,
    // The URL's own problem (not http(s), a private address) rather than the generic summary.
    failure: (caught) => {
      const fields = caught instanceof ApiClientError ? (caught.details as { fields?: { message: string }[] } | undefined)?.fields : undefined;
      return sentence(fields?.[0]?.message ?? (caught instanceof ApiClientError ? caught.message : 'Could not add the endpoint. Please try again.'));
    },
  });
  const urlId = useId();
  const descriptionId = useId();

  const reset = () => {
    setUrl('');
    setDescription('');
    setEvents(new Set(defaultWebhookEvents));
    clear();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = { url, description: description || undefined, events: webhookEvents.filter((name) => events.has(name)) };
    void create(createWebhookBodySchema.safeParse(body), 'check the form');
  };

  return (
    <SecretOnceDialog
      open={open}
      onOpenChange={onOpenChange}
      reset={reset}
      testId="add-endpoint-dialog"
      secret={
        created && {
          title: 'Endpoint added',
          description: (
            <>
              Verify the <code>Scrapifie-Signature</code> header of each delivery with this signing secret. You can reveal it again from the Webhooks
              page.
            </>
          ),
          warning: 'Keep the secret on your server only; anyone holding it can forge deliveries.',
          value: created.secret,
          label: 'Signing secret',
          testId: 'endpoint-secret',
        }
      }
    >
      <form onSubmit={submit} className="grid gap-4" noValidate>
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
        <DialogFormFooter pending={pending} submitLabel="Add endpoint" onCancel={() => onOpenChange(false)} />
      </form>
    </SecretOnceDialog>
  );
}
