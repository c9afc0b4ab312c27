import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookSignatureError } from './errors.js';
import type { RequestOptions, Transport } from './transport.js';
import type { CreateWebhookEndpointRequest, CreatedWebhookEndpoint, UpdateWebhookEndpointRequest, WebhookDelivery, WebhookEndpoint, WebhookEvent } from './types.js';

// Webhook endpoints, and checking that a delivery really comes from Scrapifie.
//
// `Scrapifie-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, keyed with the
// endpoint's secret (or the account secret for a job's own webhookUrl). While a secret is being
// rotated the header carries one v1 per valid secret; any of them verifying is enough.

export type VerifyOptions = {
  /** The raw request body, exactly as received (verify before parsing it). */
  payload: string | Uint8Array;
  /** The Scrapifie-Signature header. */
  header: string | null | undefined;
  /** The signing secret (`whsec_...`), or several while rotating. */
  secret: string | string[];
  /** Refuse a timestamp further than this from now, in seconds (replays). Default 300. */
  toleranceSeconds?: number;
  /** Unix seconds; default the clock. */
  now?: number;
};

export function verifyWebhookSignature({ payload, header, secret, toleranceSeconds = 300, now = Date.now() / 1000 }: VerifyOptions): boolean {
  if (!header) return false;
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [name, value] = part.trim().split('=', 2);
    if (name === 't') timestamp = /^\d+$/.test(value ?? '') ? Number(value) : undefined;
    if (name === 'v1' && value) signatures.push(value);
  }
  if (timestamp === undefined || Math.abs(now - timestamp) > toleranceSeconds || signatures.length === 0) return false;
  const body = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
  return (Array.isArray(secret) ? secret : [secret]).some((key) => {
    const expected = Buffer.from(createHmac('sha256', key).update(`${timestamp}.${body}`).digest('hex'));
    return signatures.some((given) => {
      const candidate = Buffer.from(given);
      return candidate.length === expected.length && timingSafeEqual(candidate, expected);
    });
  });
}

/** Verifies the signature, then parses the event; throws WebhookSignatureError when it does not verify. */
export function constructWebhookEvent(options: VerifyOptions): WebhookEvent {
  if (!verifyWebhookSignature(options)) throw new WebhookSignatureError('The Scrapifie-Signature of this webhook does not verify.');
  const text = typeof options.payload === 'string' ? options.payload : Buffer.from(options.payload).toString('utf8');
  return JSON.parse(text) as WebhookEvent;
}

export class Webhooks {
  constructor(private readonly transport: Transport) {}

  async list(options?: RequestOptions): Promise<WebhookEndpoint[]> {
    return (await this.transport.unwrap(this.transport.api.GET('/api/v1/webhooks', this.transport.options(options)))).data;
  }

  /** The reply carries the endpoint's full signing secret. */
  create(body: CreateWebhookEndpointRequest, options?: RequestOptions): Promise<CreatedWebhookEndpoint> {
    return this.transport.unwrap(this.transport.api.POST('/api/v1/webhooks', { body, ...this.transport.options(options) }));
  }

  get(id: string, options?: RequestOptions): Promise<WebhookEndpoint> {
    return this.transport.unwrap(this.transport.api.GET('/api/v1/webhooks/{id}', { params: { path: { id } }, ...this.transport.options(options) }));
  }

  update(id: string, body: UpdateWebhookEndpointRequest, options?: RequestOptions): Promise<WebhookEndpoint> {
    return this.transport.unwrap(this.transport.api.POST('/api/v1/webhooks/{id}', { params: { path: { id } }, body, ...this.transport.options(options) }));
  }

  delete(id: string, options?: RequestOptions): Promise<WebhookEndpoint> {
    return this.transport.unwrap(this.transport.api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id } }, ...this.transport.options(options) }));
  }

  /** An endpoint's full signing secret. */
  async secret(id: string, options?: RequestOptions): Promise<string> {
    return (await this.transport.unwrap(this.transport.api.GET('/api/v1/webhooks/{id}/secret', { params: { path: { id } }, ...this.transport.options(options) }))).secret;
  }

  /** The account's secret, which signs deliveries to jobs' and batches' own webhookUrl. */
  async accountSecret(options?: RequestOptions): Promise<string> {
    return (await this.transport.unwrap(this.transport.api.GET('/api/v1/webhooks/secret', this.transport.options(options)))).secret;
  }

  /** One more attempt of a delivery, now. */
  redeliver(deliveryId: string, options?: RequestOptions): Promise<WebhookDelivery> {
    return this.transport.unwrap(
      this.transport.api.POST('/api/v1/webhooks/deliveries/{id}/redeliver', { params: { path: { id: deliveryId } }, ...this.transport.options(options) }),
    );
  }
}
