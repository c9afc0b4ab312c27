import { pageSizes } from '@/lib/schemas/jobs';

// The batches list's page and size live in the URL (?page=&size=), defaults left out.

type PageSize = (typeof pageSizes)[number];
export type BatchListParams = { page: number; size: PageSize };

export function parseBatchListParams(source: URLSearchParams | Record<string, string | string[] | undefined>): BatchListParams {
  const read = (name: string) => {
    if (source instanceof URLSearchParams) return source.get(name) ?? undefined;
    const value = source[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const page = Number(read('page'));
  const size = Number(read('size'));
  return {
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    size: (pageSizes as readonly number[]).includes(size) ? (size as PageSize) : 25,
  };
}

export const batchesApiUrl = ({ page, size }: BatchListParams) => `/api/v1/batches?page=${page}&size=${size}`;
