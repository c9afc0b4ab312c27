import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { createApiKeyBodySchema, creditsQuerySchema } from '@/lib/schemas/accounts';
import { jobDefaultsBodySchema } from '@/lib/schemas/jobs';
import { accountSchema, apiKeyListSchema, apiKeySchema, createdApiKeySchema, creditsSchema, jobDefaultsSchema } from '@/lib/schemas/responses';
import { errorResponses } from '../errors';
import { accountExample } from '../examples';
import { jsonBody, jsonResponse, keyPathParams, locationResponse } from '../operations';

// The account, its API keys, credits and saved job defaults: app/api/v1/{account,keys,credits,preferences}.

const keyExample = {
  id: '9b2f7d0e-1a4c-4e8b-8f6d-2c3b4a5d6e7f',
  name: 'Production key',
  kind: 'live',
  prefix: 'sk_live_AbCd',
  revoked: false,
  status: 'active',
  createdAt: '2026-02-01T09:00:00.000Z',
  lastUsedAt: '2026-03-01T10:30:00.000Z',
  revokedAt: null,
} as const;

const sessionOnly = 'Only from the signed-in dashboard: with an API key the reply is 403.';

export const accountPaths: ZodOpenApiPathsObject = {
  '/api/v1/account': {
    get: {
      operationId: 'getAccount',
      tags: ['Account'],
      summary: 'The account and its balance',
      responses: {
        '200': jsonResponse('The account.', accountSchema, { account: accountExample }),
        ...errorResponses([]),
      },
    },
    delete: {
      operationId: 'deleteAccount',
      tags: ['Account'],
      summary: 'Request deletion of the account',
      description: `Queues the deletion: the account is deleted once its active jobs finish. ${sessionOnly}`,
      responses: {
        '202': jsonResponse('The account, with `deletionRequestedAt` set.', accountSchema, {
          queued: { ...accountExample, deletionRequestedAt: '2026-03-01T11:00:00.000Z' },
        }),
        ...errorResponses(['forbidden']),
      },
    },
  },
  '/api/v1/credits': {
    get: {
      operationId: 'getCredits',
      tags: ['Account'],
      summary: 'Credits: balance, prices and ledger',
      requestParams: { query: creditsQuerySchema },
      responses: {
        '200': jsonResponse('Balance, today\'s prices, a page of the ledger and 30 days of balance.', creditsSchema),
        ...errorResponses(['validation_error']),
      },
    },
  },
  '/api/v1/keys': {
    get: {
      operationId: 'listApiKeys',
      tags: ['API keys'],
      summary: 'List API keys',
      description: 'Active keys first, revoked last. Secrets are never listed.',
      responses: {
        '200': jsonResponse('The keys.', apiKeyListSchema, { keys: { data: [keyExample] } }),
        ...errorResponses([]),
      },
    },
    post: {
      operationId: 'createApiKey',
      tags: ['API keys'],
      summary: 'Create an API key',
      description: `The reply is the only time the secret is shown; it is stored only as a hash, so this call takes no \`Idempotency-Key\`. ${sessionOnly}`,
      requestBody: jsonBody(createApiKeyBodySchema, { live: { name: 'CI' }, test: { name: 'Staging', kind: 'test' } }),
      responses: {
        '201': locationResponse(
          'The key with its `secret`.',
          createdApiKeySchema,
          { created: { ...keyExample, name: 'CI', lastUsedAt: null, secret: 'sk_live_AbCdEfGhIjKlMnOpQrStUvWxYz012345' } },
          { rateLimited: false },
        ),
        ...errorResponses(['validation_error', 'forbidden', 'payload_too_large']),
      },
    },
  },
  '/api/v1/keys/{id}': {
    get: {
      operationId: 'getApiKey',
      tags: ['API keys'],
      summary: 'Get an API key',
      requestParams: { path: keyPathParams },
      responses: {
        '200': jsonResponse('The key (never its secret).', apiKeySchema, { key: keyExample }),
        ...errorResponses(['not_found']),
      },
    },
    delete: {
      operationId: 'revokeApiKey',
      tags: ['API keys'],
      summary: 'Revoke an API key',
      description: "Requests with the key are refused from now on; its jobs stay viewable. Revoking a revoked key changes nothing.",
      requestParams: { path: keyPathParams },
      responses: {
        '200': jsonResponse('The revoked key.', apiKeySchema, {
          revoked: { ...keyExample, revoked: true, status: 'revoked', revokedAt: '2026-03-01T12:00:00.000Z' },
        }),
        ...errorResponses(['not_found']),
      },
    },
  },
  '/api/v1/preferences/job-defaults': {
    get: {
      operationId: 'getJobDefaults',
      tags: ['Account'],
      summary: "The create-job form's saved defaults",
      responses: {
        '200': jsonResponse('The saved defaults, or nulls.', jobDefaultsSchema, { none: { defaults: null, updatedAt: null } }),
        ...errorResponses([]),
      },
    },
    put: {
      operationId: 'saveJobDefaults',
      tags: ['Account'],
      summary: "Save the create-job form's defaults",
      description: 'Every option of a job request except its URL, validated like a submission.',
      requestBody: jsonBody(jobDefaultsBodySchema, { markdown: { engine: 'browser', format: 'markdown' } }),
      responses: {
        '200': jsonResponse('The saved defaults.', jobDefaultsSchema),
        ...errorResponses(['validation_error', 'payload_too_large']),
      },
    },
    delete: {
      operationId: 'clearJobDefaults',
      tags: ['Account'],
      summary: 'Forget the saved defaults',
      responses: {
        '200': jsonResponse('Nulls.', jobDefaultsSchema, { none: { defaults: null, updatedAt: null } }),
        ...errorResponses([]),
      },
    },
  },
};
