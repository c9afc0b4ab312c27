'use client';

import { DownloadIcon, ZoomInIcon } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogTitle } from '@/components/ui/dialog';
import { formatBytes } from '@/lib/format';
import type { JobJson } from '../api-types';

export type ScreenshotMeta = { width: number; height: number; size: number };

const retentionDays = 14;

/** The screenshot a Browser or Stealth job took, when it asked for one (spec section 6). */
export function jobScreenshot(job: JobJson): ScreenshotMeta | null {
  return (job as JobJson & { screenshot?: ScreenshotMeta | null }).screenshot ?? null;
}

function daysLeft(finishedAt: string | null): number | null {
  if (!finishedAt) return null;
  return Math.ceil(retentionDays - (Date.now() - Date.parse(finishedAt)) / 86_400_000);
}

export function ScreenshotView({ job }: { job: JobJson }) {
  const [zoomed, setZoomed] = useState(false);
  const shot = jobScreenshot(job);
  const left = daysLeft(job.finishedAt);
  if (!shot) {
    // The purge leaves no screenshot behind; say why one that was asked for is missing.
    if (job.config.screenshot && left !== null && left <= 0) {
      return <p className="text-sm text-muted-foreground">Screenshots are retained for 14 days. This screenshot is no longer available.</p>;
    }
    return null;
  }
  const src = `/api/v1/jobs/${job.id}/screenshot`;
  return (
    <div className="flex flex-col gap-3 border-t pt-4" data-testid="screenshot">
      <div className="flex flex-wrap items-center gap-x-6 gap-y-2 text-sm">
        <span className="font-medium">Screenshot</span>
        <span>
          <span className="text-muted-foreground">Size:</span> <span className="font-medium tabular">{formatBytes(shot.size)}</span>
        </span>
        <Button variant="outline" size="sm" asChild className="ml-auto">
          <a href={src} download={`scrapifie-${job.id.slice(0, 8)}-screenshot.png`}>
            <DownloadIcon />
            Download
          </a>
        </Button>
      </div>
      {left !== null && left > 0 && left < 3 && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Screenshot will be deleted in {left} {left === 1 ? 'day' : 'days'}. Download now to preserve it.
        </p>
      )}
      <button
        type="button"
        onClick={() => setZoomed(true)}
        className="group relative block overflow-hidden rounded-lg border bg-muted/30 focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none"
        aria-label="Open the screenshot at full resolution"
      >
        <img src={src} alt={`Screenshot of ${job.url}`} width={shot.width} height={shot.height} className="h-auto w-full" />
        <span className="absolute top-2 right-2 rounded-md bg-black/60 p-1.5 text-white opacity-0 transition-opacity group-hover:opacity-100">
          <ZoomInIcon className="size-4" />
        </span>
      </button>
      <p className="text-xs text-muted-foreground tabular">
        {shot.width} x {shot.height} pixels
      </p>
      <Dialog open={zoomed} onOpenChange={setZoomed}>
        <DialogContent className="max-h-[92vh] max-w-[95vw] overflow-auto p-2 sm:max-w-[95vw]">
          <DialogTitle className="sr-only">Screenshot at full resolution</DialogTitle>
          <img src={src} alt={`Screenshot of ${job.url}`} width={shot.width} height={shot.height} className="max-w-none" />
        </DialogContent>
      </Dialog>
    </div>
  );
}
