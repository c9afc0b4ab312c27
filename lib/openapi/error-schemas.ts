import { z } from 'zod';
import type { ApiErrorCode } from '@/lib/api-errors';
import { errorCodes, fieldErrorSchema } from '@/lib/schemas/responses';

// The error reply of each code as its own schema, with `details` typed as the code sends it
// (lib/server/**: every `new ApiError(code, message, details)`), so a generated client knows that
// a 400 carries `details.fields` and a 402 `details.required`. The document names each one
// (`ValidationError`, `InsufficientCreditsError`, ...) and an operation's response for a status
// is the one schema of that status, or any of them when several codes share it.

const count = z.number().int().min(0);

/** `details` per code; a code not listed here sends none. */
const detailsByCode: Partial<Record<ApiErrorCode, z.ZodType>> = {
  validation_error: z
    .strictObject({ fields: z.array(fieldErrorSchema).min(1).describe('Every invalid field, not only the first.') })
    .meta({ id: 'ValidationErrorDetails' }),
  insufficient_credits: z
    .strictObject({
      required: count.describe('Credits the request needs.'),
      available: z.number().int().describe('Credits the account can spend now: its balance less what unfinished jobs reserve.'),
      balance: z.number().int().describe("The account's balance."),
    })
    .meta({ id: 'InsufficientCreditsErrorDetails' }),
  conflict: z
    .strictObject({
      status: z.string().describe("The state that refused the action: the job's (`completed`, ...), the batch's or the delivery's."),
    })
    .optional()
    .meta({ id: 'ConflictErrorDetails', description: 'Present when a state refused the action; absent when a limit did (no active key, too many endpoints).' }),
  gone: z
    .strictObject({ deletedAt: z.iso.datetime().describe('When the job was deleted.') })
    .optional()
    .meta({ id: 'GoneErrorDetails', description: 'Present for a deleted job; absent when retention removed the data asked for.' }),
  rate_limited: z
    .strictObject({
      retryAfterSeconds: z.number().int().min(1).describe('Seconds to wait; the same as `Retry-After`.'),
      limit: z.number().int().min(1).optional().describe('The bucket size of the limit reached (absent for the hourly export limit).'),
    })
    .meta({ id: 'RateLimitedErrorDetails' }),
};

/** `validation_error` → `ValidationError`. */
export function errorSchemaName(code: ApiErrorCode): string {
  return `${code.replace(/(^|_)([a-z])/g, (_, __, letter: string) => letter.toUpperCase())}${code.endsWith('_error') ? '' : 'Error'}`;
}

function schemaFor(code: ApiErrorCode): z.ZodType {
  const details = detailsByCode[code];
  return z
    .strictObject({
      error: z.strictObject({
        code: z.literal(code),
        message: z.string().describe('A human-readable explanation, safe to show to a user.'),
        ...(details ? { details } : {}),
      }),
    })
    .meta({ id: errorSchemaName(code) });
}

export const errorSchemasByCode = Object.fromEntries(errorCodes.map((code) => [code, schemaFor(code)])) as Record<ApiErrorCode, z.ZodType>;

/** The reply schema of one status: the code's own schema, or any of the codes that share the status. */
export function errorSchemaFor(codes: ApiErrorCode[]): z.ZodType {
  const schemas = codes.map((code) => errorSchemasByCode[code]);
  return schemas.length === 1 ? schemas[0] : z.union(schemas as [z.ZodType, z.ZodType, ...z.ZodType[]]);
}
