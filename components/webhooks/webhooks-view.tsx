'use client';

import { LoaderCircleIcon, PlusIcon, Trash2Icon, WebhookIcon } from 'lucide-react';
import { useState } from 'react';
import useSWR from 'swr';
import { toast } from 'sonner';
import { useCanChange } from '@/components/account/account-banner';
import { ApiClientError, apiFetch, fetcher } from '@/components/api/fetcher';
import { useFetchOnMount } from '@/components/api/use-polling';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Switch } from '@/components/ui/switch';
import type { WebhookEndpointResponse } from '@/lib/schemas/webhooks';
import { AddEndpointDialog } from './add-endpoint-dialog';
import { SecretField } from './secret-field';

type EndpointList = { data: WebhookEndpointResponse[] };

/** /dashboard/webhooks: the account's endpoints (add, enable/disable, delete, secrets) and the per-job signing secret. */
export function WebhooksView() {
  const endpoints = useSWR<EndpointList>('/api/v1/webhooks', fetcher, { revalidateOnMount: useFetchOnMount('/api/v1/webhooks') });
  const canChange = useCanChange();
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<WebhookEndpointResponse | null>(null);
  const list = endpoints.data?.data ?? [];

  // From the list as shown: the server-rendered first paint is SWR fallback data, not in its cache.
  const change = (next: (items: WebhookEndpointResponse[]) => WebhookEndpointResponse[]) =>
    void endpoints.mutate({ data: next(endpoints.data?.data ?? []) }, { revalidate: false });
  const replace = (updated: WebhookEndpointResponse) => change((items) => items.map((item) => (item.id === updated.id ? updated : item)));

  const setEnabled = async (endpoint: WebhookEndpointResponse, enabled: boolean) => {
    replace({ ...endpoint, enabled });
    try {
      replace(
        await apiFetch<WebhookEndpointResponse>(`/api/v1/webhooks/${endpoint.id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ enabled }),
        }),
      );
      toast.success(enabled ? 'Endpoint enabled' : 'Endpoint disabled');
    } catch (error) {
      replace(endpoint);
      toast.error(error instanceof ApiClientError ? error.message : 'Could not change the endpoint. Please try again.');
    }
  };

  const addButton = (
    <Button onClick={() => setAdding(true)} disabled={!canChange}>
      <PlusIcon />
      Add endpoint
    </Button>
  );

  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Webhooks</h1>
          <p className="text-sm text-muted-foreground">Signed POSTs to your server when jobs end and batches finish, retried with backoff.</p>
        </div>
        {list.length > 0 && addButton}
      </div>

      {endpoints.data && list.length === 0 ? (
        <div data-testid="empty-state" className="flex flex-col items-center justify-center gap-4 rounded-xl border border-dashed bg-card px-6 py-16 text-center">
          <div className="flex size-11 items-center justify-center rounded-full bg-muted text-muted-foreground">
            <WebhookIcon className="size-5" />
          </div>
          <p className="max-w-md text-sm">No endpoints yet. Add one to hear about every job and batch of your account.</p>
          {addButton}
        </div>
      ) : (
        <div className="flex flex-col gap-3">
          {list.map((endpoint) => (
            <Card key={endpoint.id} data-testid="endpoint-row" data-endpoint-id={endpoint.id} className={endpoint.enabled ? undefined : 'opacity-75'}>
              <CardContent className="flex flex-col gap-3 pt-5">
                <div className="flex flex-wrap items-center gap-3">
                  <span className="min-w-0 flex-1 truncate font-mono text-sm" title={endpoint.url}>
                    {endpoint.url}
                  </span>
                  {endpoint.enabled ? <Badge variant="outline">Enabled</Badge> : <Badge variant="warning">Disabled</Badge>}
                  <Switch
                    checked={endpoint.enabled}
                    onCheckedChange={(checked) => void setEnabled(endpoint, checked)}
                    disabled={!canChange}
                    aria-label={endpoint.enabled ? 'Disable endpoint' : 'Enable endpoint'}
                  />
                  <Button variant="ghost" size="xs" onClick={() => setDeleting(endpoint)} disabled={!canChange} className="text-destructive hover:bg-red-50 hover:text-destructive">
                    <Trash2Icon />
                    Delete
                  </Button>
                </div>
                {endpoint.description && <p className="text-sm text-muted-foreground">{endpoint.description}</p>}
                <div className="flex flex-wrap gap-1.5" aria-label="Events">
                  {endpoint.events.map((event) => (
                    <Badge key={event} variant="secondary" className="font-mono">
                      {event}
                    </Badge>
                  ))}
                </div>
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <span className="text-muted-foreground">Signing secret</span>
                  <SecretField url={`/api/v1/webhooks/${endpoint.id}/secret`} masked={endpoint.secret} label="Endpoint signing secret" />
                </div>
              </CardContent>
            </Card>
          ))}
        </div>
      )}

      <Card aria-labelledby="account-secret-title">
        <CardHeader>
          <CardTitle id="account-secret-title">Signing secret for job webhook URLs</CardTitle>
        </CardHeader>
        <CardContent className="flex flex-col gap-3 text-sm">
          <p className="text-muted-foreground">
            A job or batch submitted with its own <code className="font-mono">webhookUrl</code> is signed with this account secret. Verify the{' '}
            <code className="font-mono">Scrapifie-Signature</code> header (HMAC-SHA256 over <code className="font-mono">{'<t>.<body>'}</code>) as the API
            docs show.
          </p>
          <SecretField url="/api/v1/webhooks/secret" label="Account signing secret" />
        </CardContent>
      </Card>

      <AddEndpointDialog open={adding} onOpenChange={setAdding} onCreated={() => void endpoints.mutate()} />
      <DeleteEndpointDialog
        endpoint={deleting}
        onOpenChange={(open) => !open && setDeleting(null)}
        onDeleted={(deleted) => change((items) => items.filter((item) => item.id !== deleted.id))}
      />
    </div>
  );
}

function DeleteEndpointDialog({
  endpoint,
  onOpenChange,
  onDeleted,
}: {
  endpoint: WebhookEndpointResponse | null;
  onOpenChange: (open: boolean) => void;
  onDeleted: (endpoint: WebhookEndpointResponse) => void;
}) {
  const [pending, setPending] = useState(false);
  const remove = async () => {
    if (!endpoint) return;
    setPending(true);
    try {
      const deleted = await apiFetch<WebhookEndpointResponse>(`/api/v1/webhooks/${endpoint.id}`, { method: 'DELETE' });
      toast.success('Endpoint deleted');
      onDeleted(deleted);
      onOpenChange(false);
    } catch (error) {
      toast.error(error instanceof ApiClientError ? error.message : 'Could not delete the endpoint. Please try again.');
    } finally {
      setPending(false);
    }
  };
  return (
    <Dialog open={endpoint !== null} onOpenChange={onOpenChange}>
      <DialogContent data-testid="delete-endpoint-dialog">
        <DialogHeader>
          <DialogTitle>Delete this endpoint?</DialogTitle>
          <DialogDescription>
            No more events are sent to {endpoint?.url}. Deliveries already made stay listed on their jobs. This cannot be undone.
          </DialogDescription>
        </DialogHeader>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button variant="destructive" onClick={() => void remove()} disabled={pending}>
            {pending && <LoaderCircleIcon className="animate-spin" />}
            Delete endpoint
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
