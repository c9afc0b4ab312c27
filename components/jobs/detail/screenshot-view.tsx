'use client';

import { DownloadIcon, ZoomInIcon } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogTitle } from '@/components/ui/dialog';
import { formatBytes } from '@/lib/format';
import type { JobJson } from '../api-types';

export type ScreenshotMeta = { width: number; height: number; size: number };

/** The screenshot a Browser or Stealth job took, when it asked for one (spec section 6). */
export function jobScreenshot(job: JobJson): ScreenshotMeta | null {
  return (job as JobJson & { screenshot?: ScreenshotMeta | null }).screenshot ?? null;
}

export function ScreenshotView({ job }: { job: JobJson }) {
  const [zoomed, setZoomed] = useState(false);
  const shot = jobScreenshot(job);
  // The purged message, or the advance notice in the last 3 days (spec section 11), from the server.
  const notice = job.retention.notices.screenshot;
  if (!shot) {
    // The purge leaves no screenshot behind; say why one that was taken is missing.
    if (job.retention.screenshotPurged && notice) {
      return (
        <p className="border-t pt-4 text-sm text-muted-foreground" data-testid="screenshot-purged">
          {notice}
        </p>
      );
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
      {notice && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="screenshot-notice">
          {notice}
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
