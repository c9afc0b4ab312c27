import type { DeliveryWithAttempts } from '@/db/queries/webhooks';
import type { WebhookEndpoint } from '@/db/schema';
import type { WebhookDeliveryResponse, WebhookEndpointResponse } from '@/lib/schemas/webhooks';
import { maskSecret } from './signature';

// The API's JSON for endpoints and deliveries. Pure: rows in, plain objects out.

export function serializeEndpoint(endpoint: WebhookEndpoint, { revealSecret = false } = {}): WebhookEndpointResponse {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.events,
    enabled: endpoint.disabledAt === null,
    secret: revealSecret ? endpoint.secret : maskSecret(endpoint.secret),
    createdAt: endpoint.createdAt.toISOString(),
    disabledAt: endpoint.disabledAt?.toISOString() ?? null,
  };
}

export function serializeDelivery(delivery: DeliveryWithAttempts): WebhookDeliveryResponse {
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    event: delivery.event,
    jobId: delivery.jobId,
    batchId: delivery.batchId,
    endpointId: delivery.endpointId,
    url: delivery.url,
    status: delivery.status,
    attempts: delivery.attemptList.map((attempt) => ({
      attempt: attempt.attempt,
      startedAt: attempt.startedAt.toISOString(),
      responseStatus: attempt.responseStatus,
      responseTimeMs: attempt.responseTimeMs,
      error: attempt.error,
      trigger: attempt.trigger,
    })),
    createdAt: delivery.createdAt.toISOString(),
    lastAttemptAt: delivery.lastAttemptAt?.toISOString() ?? null,
  };
}
