import { z } from 'zod';
import { ApiError } from '@/lib/api-errors';

// Path ids that are not UUIDs name nothing: 404, as for jobs, rather than a database error.

const uuid = z.uuid();

export function ownedEndpointId(id: string): string {
  if (!uuid.safeParse(id).success) throw new ApiError('not_found', `No webhook endpoint with id ${id}`);
  return id;
}

export function ownedDeliveryId(id: string): string {
  if (!uuid.safeParse(id).success) throw new ApiError('not_found', `No webhook delivery with id ${id}`);
  return id;
}
