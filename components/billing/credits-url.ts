/** The credits page's SWR key: GET /api/v1/credits for one page of the ledger, in the viewer's timezone. */
export function creditsApiUrl({ page, size, tz }: { page: number; size: number; tz: number }): string {
  return `/api/v1/credits?page=${page}&size=${size}&tz=${tz}`;
}
