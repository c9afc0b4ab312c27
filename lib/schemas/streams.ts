import { z } from 'zod';
import { engines, jobStatuses } from '@/lib/jobs';
import { tag } from './jobs';

// Query strings of the live streams (GET /api/v1/jobs/{id}/stream, /batches/{id}/stream, /jobs/stream).

export const jobStreamQuerySchema = z.object({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .meta({ description: 'Send only log entries after this sequence number (what `Last-Event-ID` says on a reconnect; the header wins).' }),
});

export const accountStreamQuerySchema = z.object({
  status: z.enum([...jobStatuses, 'active']).optional().meta({ description: 'Only changes that leave a job in this state (`active`: queued or processing).' }),
  engine: z.enum(engines).optional().meta({ description: 'Only jobs of this engine.' }),
  batch: z.uuid('batch must be a batch id').optional().meta({ description: 'Only jobs of this batch.' }),
  tag: z
    .string()
    .transform((value) => value.split(',').map((t) => t.trim()).filter(Boolean))
    .pipe(z.array(tag).max(20))
    .optional()
    .meta({ description: 'Only jobs carrying any of these tags (comma-separated).' }),
});

export type AccountStreamQuery = z.infer<typeof accountStreamQuerySchema>;
