'use client';

import { DownloadIcon, FileWarningIcon, LoaderCircleIcon } from 'lucide-react';
import { useMemo, useState, type ReactNode } from 'react';
import useSWR from 'swr';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Switch } from '@/components/ui/switch';
import { Label } from '@/components/ui/label';
import { cn } from '@/components/ui/utils';
import { apiFetchText } from '@/components/api/fetcher';
import { formatBytes } from '@/lib/format';
import { isTextual, resultFilename, type ResultFormat } from '@/lib/jobs';
import type { JobJson } from '../api-types';
import { CodeView, type CodeLanguage } from './code-view';
import { CopyButton } from './copy-button';
import { MarkdownView } from './markdown-view';
import { ScreenshotView } from './screenshot-view';

export const previewLimitBytes = 100 * 1024;
export const maxPreviewBytes = 5 * 1024 * 1024;

const formatLabels: Record<string, string> = { html: 'HTML', json: 'JSON', markdown: 'Markdown', text: 'Text', png: 'PNG' };

function languageOf(contentType: string): CodeLanguage {
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (type === 'text/html' || type === 'application/xhtml+xml' || type.endsWith('xml')) return 'markup';
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'text/markdown') return 'markdown';
  return 'text';
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** The Result section (spec section 6) for every state but failed (which shows the error panel). */
export function ResultSection({ job }: { job: JobJson }) {
  return (
    <Card aria-labelledby="result-title" data-testid="result-section">
      <CardHeader>
        <CardTitle id="result-title">Result</CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <ResultBody job={job} />
        {job.status === 'completed' && <ScreenshotView job={job} />}
      </CardContent>
    </Card>
  );
}

function Message({ children, tone = 'muted', icon }: { children: ReactNode; tone?: 'muted' | 'warning'; icon?: ReactNode }) {
  return (
    <div
      data-testid="result-message"
      className={cn(
        'flex items-center gap-3 rounded-lg border border-dashed px-4 py-6 text-sm',
        tone === 'warning' ? 'border-amber-300 bg-amber-50 text-amber-900' : 'text-muted-foreground',
      )}
    >
      {icon}
      <span>{children}</span>
    </div>
  );
}

function ResultBody({ job }: { job: JobJson }) {
  switch (job.status) {
    case 'queued':
      return <Message>Result will appear here when the job completes</Message>;
    case 'processing':
      return (
        <Message icon={<LoaderCircleIcon className="size-4 animate-spin text-blue-500" />}>
          Job is processing...
        </Message>
      );
    case 'cancelled':
      return <Message>Job was cancelled before producing a result</Message>;
    case 'expired':
      return <Message>Job expired before processing could begin</Message>;
    case 'failed':
      return null;
    case 'completed':
      return <CompletedResult job={job} />;
  }
}

function CompletedResult({ job }: { job: JobJson }) {
  const result = job.result;
  const downloadUrl = `/api/v1/jobs/${job.id}/result`;
  const format = (result?.format ?? job.config.format) as ResultFormat;
  const filename = resultFilename(job.id, format, result?.contentType);
  const emptyMessage = 'Job completed but returned no content. The target page may be empty or require different configuration.';

  if (!result) return <Message>{emptyMessage}</Message>;
  // The texts come from the server, which knows the configured retention (spec section 11).
  if (result.purged) {
    return <Message>{job.retention.notices.result ?? 'Result data is no longer available.'}</Message>;
  }
  const binary = !isTextual(result.contentType);
  // A binary body is kept as fetched, whatever format was asked for: name what it really is.
  const formatLabel = binary ? result.contentType.split(';')[0] : (formatLabels[result.format] ?? result.format.toUpperCase());
  const header = (actions: ReactNode) => (
    <ResultHeader format={formatLabel} size={result.size} downloadUrl={downloadUrl} filename={filename}>
      {actions}
    </ResultHeader>
  );
  const notice = <RetentionNotice text={job.retention.notices.result} />;
  if (result.size === 0) return <Message>{emptyMessage}</Message>;
  if (binary) {
    return (
      <div className="flex flex-col gap-3">
        {header(null)}
        {notice}
        <Message icon={<FileWarningIcon className="size-4" />}>Binary content cannot be previewed. Use the download button.</Message>
      </div>
    );
  }
  if (result.size > maxPreviewBytes) {
    return (
      <div className="flex flex-col gap-3">
        {header(null)}
        {notice}
        <Message icon={<FileWarningIcon className="size-4" />}>Result too large to preview ({formatBytes(result.size)}). Use the download button.</Message>
      </div>
    );
  }
  return <TextResult jobId={job.id} contentType={result.contentType} size={result.size} header={header} notice={notice} />;
}

function TextResult({
  jobId,
  contentType,
  size,
  header,
  notice,
}: {
  jobId: string;
  contentType: string;
  size: number;
  header: (actions: ReactNode) => ReactNode;
  notice: ReactNode;
}) {
  const { data, error, isLoading, mutate } = useSWR(`/api/v1/jobs/${jobId}/result`, apiFetchText, {
    revalidateOnFocus: false,
    revalidateIfStale: false,
    shouldRetryOnError: false,
  });
  const [wrap, setWrap] = useState(true);
  const [full, setFull] = useState(false);
  const [raw, setRaw] = useState(false);
  const language = languageOf(contentType);
  const content = useMemo(() => (data === undefined ? undefined : language === 'json' ? prettyJson(data) : data), [data, language]);
  const truncated = content !== undefined && size > previewLimitBytes && !full;
  const shown = content === undefined ? '' : truncated ? content.slice(0, previewLimitBytes) : content;

  const controls = (
    <>
      {language === 'markdown' && (
        <div className="flex items-center gap-2">
          <Switch id="markdown-raw" checked={raw} onCheckedChange={setRaw} />
          <Label htmlFor="markdown-raw" className="text-xs font-normal">
            Raw
          </Label>
        </div>
      )}
      {(language !== 'markdown' || raw) && (
        <div className="flex items-center gap-2">
          <Switch id="word-wrap" checked={wrap} onCheckedChange={setWrap} />
          <Label htmlFor="word-wrap" className="text-xs font-normal">
            Word wrap
          </Label>
        </div>
      )}
      <CopyButton text={data === undefined ? undefined : (content ?? '')} />
    </>
  );

  return (
    <div className="flex flex-col gap-3">
      {header(controls)}
      {notice}
      {error ? (
        <div className="flex items-center gap-3 text-sm text-destructive" role="alert">
          {error instanceof Error ? error.message : 'Could not load the result.'}
          <Button size="xs" variant="outline" onClick={() => void mutate()}>
            Try again
          </Button>
        </div>
      ) : isLoading || content === undefined ? (
        <div className="flex h-40 items-center justify-center rounded-lg border text-sm text-muted-foreground">
          <LoaderCircleIcon className="mr-2 size-4 animate-spin" /> Loading result…
        </div>
      ) : language === 'markdown' && !raw ? (
        <MarkdownView source={shown} />
      ) : (
        <CodeView code={shown} language={language} wrap={wrap} />
      )}
      {truncated && (
        <div className="flex items-center gap-3">
          <Button variant="outline" size="sm" onClick={() => setFull(true)}>
            Show full response
          </Button>
          <span className="text-xs text-muted-foreground">Showing the first {formatBytes(previewLimitBytes)} of {formatBytes(size)}.</span>
        </div>
      )}
    </div>
  );
}

function ResultHeader({
  format,
  size,
  downloadUrl,
  filename,
  children,
}: {
  format: string;
  size: number;
  downloadUrl: string;
  filename: string;
  children: ReactNode;
}) {
  return (
    <div className="flex flex-wrap items-center gap-x-6 gap-y-2 text-sm">
      <span>
        <span className="text-muted-foreground">Format:</span> <span className="font-medium" data-testid="result-format">{format}</span>
      </span>
      <span>
        <span className="text-muted-foreground">Size:</span> <span className="font-medium tabular" data-testid="result-size">{formatBytes(size)}</span>
      </span>
      <div className="ml-auto flex flex-wrap items-center gap-4">
        {children}
        <Button variant="outline" size="sm" asChild>
          <a href={downloadUrl} download={filename} data-testid="download-result">
            <DownloadIcon />
            Download
          </a>
        </Button>
      </div>
    </div>
  );
}

/** "Result data will be deleted in {X} days..." while fewer than 7 remain; the server decides when. */
export function RetentionNotice({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="retention-notice">
      {text}
    </p>
  );
}
