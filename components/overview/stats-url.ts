/** The overview's SWR key: GET /api/v1/stats in the viewer's timezone (shared by the page and its view). */
export function statsApiUrl(tz: number): string {
  return `/api/v1/stats?tz=${tz}`;
}
