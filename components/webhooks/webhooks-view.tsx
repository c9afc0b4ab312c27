'use client';

import { PlusIcon, SendIcon, Trash2Icon, WebhookIcon } from 'lucide-react';
import { useState } from 'react';
import useSWR from 'swr';
import { toast } from 'sonner';
import { useCanChange } from '@/components/account/account-banner';
import { ApiClientError, apiFetch, fetcher, postJson } from '@/components/api/fetcher';
import { useApiAction } from '@/components/api/use-api-action';
import { useFetchOnMount } from '@/components/api/use-polling';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState } from '@/components/ui/empty-state';
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
      replace(await postJson<WebhookEndpointResponse>(`/api/v1/webhooks/${endpoint.id}`, { enabled }));
      toast.success(enabled ? 'Endpoint enabled' : 'Endpoint disabled');
    } catch (error) {
      replace(endpoint);
      toast.error(error instanceof ApiClientError ? error.message : 'Could not change the endpoint. Please try again.');
    }
  };

  const sendTest = async (endpoint: WebhookEndpointResponse) => {
    try {
      await postJson(`/api/v1/webhooks/${endpoint.id}/test`, {});
      toast.success('Test event sent', { description: 'A job.completed event with made-up data, attempted once.' });
    } catch (error) {
      toast.error(error instanceof ApiClientError ? error.message : 'Could not send the test event. Please try again.');
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
        <EmptyState icon={<WebhookIcon />} message="No endpoints yet. Add one to hear about every job and batch of your account.">
          {addButton}
        </EmptyState>
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
                  <Button variant="ghost" size="xs" onClick={() => void sendTest(endpoint)} disabled={!canChange}>
                    <SendIcon />
                    Send test event
                  </Button>
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
  const { pending, run } = useApiAction('Could not delete the endpoint. Please try again.');
  const remove = () =>
    run(async () => {
      if (!endpoint) return;
      const deleted = await apiFetch<WebhookEndpointResponse>(`/api/v1/webhooks/${endpoint.id}`, { method: 'DELETE' });
      toast.success('Endpoint deleted');
      onDeleted(deleted);
      onOpenChange(false);
    });
  return (
    <ConfirmDialog
      open={endpoint !== null}
      onOpenChange={onOpenChange}
      testId="delete-endpoint-dialog"
      title="Delete this endpoint?"
      description={<>No more events are sent to {endpoint?.url}. Deliveries already made stay listed on their jobs. This cannot be undone.</>}
      confirmLabel="Delete endpoint"
      pending={pending}
      onConfirm={() => void remove()}
    />
  );
}
