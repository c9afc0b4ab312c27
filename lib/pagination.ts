// The envelope of every paginated list reply (jobs, batches, the admin lists, the credit ledger):
// one place computes totalPages, so an empty list is still "page 1 of 1" everywhere.

export type PageQuery = { page: number; size: number };

export function paginatedReply<T>(data: T[], { page, size }: PageQuery, total: number) {
  return { data, page, size, total, totalPages: Math.max(1, Math.ceil(total / size)) };
}
