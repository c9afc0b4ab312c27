import { z } from 'zod';
import type { ZodOpenApiMediaTypeObject, ZodOpenApiResponseObject } from 'zod-openapi';
import { jobIdSchema } from '@/lib/schemas/jobs';

// Small builders the path modules share, so each operation reads as its route does.

type Examples = Record<string, unknown>;

/** A JSON response or request content with named examples. */
export function json(schema: z.ZodType, examples: Examples = {}): { 'application/json': ZodOpenApiMediaTypeObject } {
  const named = Object.entries(examples);
  return {
    'application/json': {
      schema,
      ...(named.length ? { examples: Object.fromEntries(named.map(([name, value]) => [name, { value }])) } : {}),
    },
  };
}

export function jsonResponse(description: string, schema: z.ZodType, examples?: Examples): ZodOpenApiResponseObject {
  return { description, content: json(schema, examples) };
}

export const locationHeader = {
  Location: { description: 'The path of the created resource.', schema: { type: 'string' as const } },
};

export const jobPathParams = z.object({
  id: jobIdSchema.meta({ description: 'The job id (a UUID).', example: '3f0c1c8e-5b7a-4a57-9a47-1c2d3e4f5a6b' }),
});

export const keyPathParams = z.object({
  id: z.uuid().meta({ description: 'The API key id (a UUID).', example: '9b2f7d0e-1a4c-4e8b-8f6d-2c3b4a5d6e7f' }),
});
