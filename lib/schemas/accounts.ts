import { z } from 'zod';
import { pageFields, tzOffsetField } from '@/lib/schemas/jobs';

export const apiKeyKinds = ['live', 'test'] as const;

/** POST /api/v1/keys */
export const createApiKeyBodySchema = z.object({
  name: z
    .string({ error: 'name is required' })
    .trim()
    .min(1, 'name is required')
    .max(64, 'name must be at most 64 characters'),
  kind: z.enum(apiKeyKinds, 'kind must be live or test').default('live'),
});

export const apiKeyIdSchema = z.uuid('key id must be a UUID');

/** GET /api/v1/credits: a page of the ledger, and the timezone of the balance chart's days. */
export const creditsQuerySchema = z.object({ ...pageFields, tz: tzOffsetField });
