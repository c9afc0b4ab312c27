import { ApiError } from '@/lib/api-errors';
import { parseEgressAllowList, webhookHostRefusal, type EgressPolicy } from '@/lib/egress';
import { getEnv } from '@/lib/env';

// The web app's side of the one webhook egress rule (lib/egress.ts): a URL the worker's guard
// would refuse is a 400 naming the field when it is given, whether it is an endpoint's or a job's
// or batch's own webhookUrl, with the same EGRESS_ALLOWLIST the workers use.

let cached: { value: string; policy: EgressPolicy } | undefined;

function webPolicy(): EgressPolicy {
  const value = getEnv().EGRESS_ALLOWLIST;
  if (cached?.value !== value) cached = { value, policy: { allow: parseEgressAllowList(value) } };
  return cached.policy;
}

export function assertWebhookUrlAllowed(url: string | null | undefined, field = 'url'): void {
  if (!url) return;
  const reason = webhookHostRefusal(new URL(url).hostname, webPolicy());
  if (!reason) return;
  const message = `${field} must be reachable from the internet; its host is ${reason}`;
  throw new ApiError('validation_error', `Invalid body: ${field}: ${message}`, { fields: [{ field, message }] });
}
