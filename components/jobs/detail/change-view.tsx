'use client';

import Link from 'next/link';
import { Highlight, themes, type Language } from 'prism-react-renderer';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { cn } from '@/components/ui/utils';
import type { JobJson } from '../api-types';
import { CopyButton } from './copy-button';

// Change tracking on the job page: how this run compares with the previous run of its URL, and
// the diff, each line tinted by what it is (added, removed, hunk) and its text highlighted in the
// language of what was compared (the extracted JSON, or the markdown/HTML content).

type JobChange = NonNullable<JobJson['change']>;

const statusLabels: Record<JobChange['status'], { label: string; tone: string; text: string }> = {
  new: { label: 'New', tone: 'bg-blue-50 text-blue-800 border-blue-200', text: 'First run of this URL in its series: nothing to compare with yet.' },
  same: { label: 'Same', tone: 'bg-muted text-muted-foreground', text: 'Unchanged since the previous run.' },
  changed: { label: 'Changed', tone: 'bg-amber-50 text-amber-900 border-amber-300', text: 'Changed since the previous run.' },
  removed: { label: 'Removed', tone: 'bg-red-50 text-red-800 border-red-200', text: 'The page was not found (HTTP 404 or 410) after a previous run found it.' },
};

const seriesLabel = (series: string) =>
  series === 'account' ? 'Tracked job' : series.startsWith('schedule:') ? 'Schedule' : series.startsWith('crawl:') ? 'Crawl' : series;

function lineTone(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---')) return 'text-muted-foreground';
  if (line.startsWith('+')) return 'bg-green-50 dark:bg-green-950/40';
  if (line.startsWith('-')) return 'bg-red-50 dark:bg-red-950/40';
  if (line.startsWith('@@')) return 'bg-blue-50/70 text-blue-800 dark:bg-blue-950/40';
  return '';
}

function DiffView({ diff, language }: { diff: string; language: Language }) {
  return (
    <Highlight theme={themes.github} code={diff.replace(/\n$/, '')} language={language}>
      {({ tokens, getTokenProps }) => (
        <div className="max-h-[560px] overflow-auto rounded-lg border bg-card font-mono text-[12.5px] leading-5" data-testid="change-diff">
          <div className="table min-w-full py-2">
            {tokens.map((line, i) => {
              const text = line.map((token) => token.content).join('');
              const kind = text.startsWith('+') && !text.startsWith('+++') ? 'added' : text.startsWith('-') && !text.startsWith('---') ? 'removed' : undefined;
              return (
                <div key={i} className={cn('table-row', lineTone(text))} data-line={kind}>
                  <span className="table-cell whitespace-pre-wrap break-all pr-4 pl-3">
                    {line.map((token, key) => {
                      const { style, ...props } = getTokenProps({ token });
                      return <span key={key} {...props} style={kind || text.startsWith('@@') ? undefined : style} />;
                    })}
                    {text === '' ? ' ' : null}
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      )}
    </Highlight>
  );
}

export function ChangeSection({ job }: { job: JobJson }) {
  const change = job.change;
  if (!change) return null;
  const status = statusLabels[change.status];
  const language: Language = change.comparedBy === 'extracted' ? 'json' : job.config.format === 'html' ? 'markup' : 'markdown';
  return (
    <Card aria-labelledby="change-title" data-testid="change-section">
      <CardHeader className="justify-between">
        <CardTitle id="change-title">Changes</CardTitle>
        {change.diff && <CopyButton text={change.diff} />}
      </CardHeader>
      <CardContent className="flex flex-col gap-3 text-sm">
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
          <span className={cn('rounded-full border px-2.5 py-0.5 text-xs font-medium', status.tone)} data-testid="change-status">
            {status.label}
          </span>
          <span className="text-muted-foreground">{status.text}</span>
          <span className="text-muted-foreground">
            {seriesLabel(change.series)} · compared by {change.comparedBy === 'extracted' ? 'extracted data' : 'content'}
          </span>
          {change.previousJobId && (
            <Link href={`/dashboard/jobs/${change.previousJobId}`} className="font-mono text-xs underline-offset-2 hover:underline" data-testid="change-previous">
              Previous run {change.previousJobId.slice(0, 8)}
            </Link>
          )}
        </div>
        {change.diffNote && <p className="rounded-md bg-muted px-3 py-2 text-muted-foreground">{change.diffNote}</p>}
        {change.diff && <DiffView diff={change.diff} language={language} />}
        {change.diffTruncated && <p className="text-xs text-muted-foreground">The diff is cut at 64 KB.</p>}
      </CardContent>
    </Card>
  );
}
