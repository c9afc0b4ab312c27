import type { JobListJson } from './api-types';

/** "Showing 26-50 of 130 jobs": where the current page sits in the whole list. */
export function ListSummary({ list }: { list: Pick<JobListJson, 'page' | 'size' | 'total'> & { data: unknown[] } }) {
  const first = list.total > 0 ? (list.page - 1) * list.size + 1 : 0;
  const last = Math.min(list.total, first + list.data.length - 1);
  return (
    <p className="text-sm text-muted-foreground tabular" data-testid="list-summary">
      Showing {first.toLocaleString('en-US')}-{last.toLocaleString('en-US')} of {list.total.toLocaleString('en-US')} {list.total === 1 ? 'job' : 'jobs'}
    </p>
  );
}
