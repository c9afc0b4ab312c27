// Data retention (spec section 11): how long each kind of job data is kept, and the texts the job
// detail page shows about it. Pure: the web app and the worker share it.

export type RetentionSettings = { logsDays: number; resultsDays: number; screenshotsDays: number; eventsDays: number };

/** Advance notices start when fewer than this many days remain (logs get none). */
export const retentionNoticeDays = { result: 7, screenshot: 3 } as const;

const dayMs = 86_400_000;

export const retentionMessages = {
  logsPurged: (s: RetentionSettings) => `Logs are no longer available for jobs older than ${s.logsDays} days`,
  resultPurged: (s: RetentionSettings) =>
    `Result data is no longer available for jobs older than ${s.resultsDays} days. Download results promptly after job completion.`,
  screenshotPurged: (s: RetentionSettings) =>
    `Screenshots are retained for ${s.screenshotsDays} days. This screenshot is no longer available.`,
  resultNotice: (days: number) => `Result data will be deleted in ${days} ${days === 1 ? 'day' : 'days'}. Download now to preserve it.`,
  screenshotNotice: (days: number) => `Screenshot will be deleted in ${days} ${days === 1 ? 'day' : 'days'}. Download now to preserve it.`,
};

type Stored = { createdAt: Date; purgedAt: Date | null } | null;

/**
 * A job's retention state: when each kind of data expires, whether it is already purged, and the
 * notice to show for it (the purged message, an advance notice, or null). Results and screenshots
 * age from when they were stored, logs from when the job was created.
 */
export function describeRetention({
  settings,
  jobCreatedAt,
  logsPurgedAt,
  result,
  screenshot,
  now = Date.now(),
}: {
  settings: RetentionSettings;
  jobCreatedAt: Date;
  logsPurgedAt: Date | null;
  result: Stored;
  screenshot: Stored;
  now?: number;
}) {
  const expiry = (stored: Stored, days: number) => (stored ? new Date(stored.createdAt.getTime() + days * dayMs) : null);
  const resultExpiresAt = expiry(result, settings.resultsDays);
  const screenshotExpiresAt = expiry(screenshot, settings.screenshotsDays);
  const daysLeft = (at: Date) => Math.max(1, Math.ceil((at.getTime() - now) / dayMs));
  const notice = (stored: Stored, at: Date | null, within: number, purged: string, soon: (days: number) => string) => {
    if (!stored || !at) return null;
    if (stored.purgedAt) return purged;
    return at.getTime() - now < within * dayMs ? soon(daysLeft(at)) : null;
  };
  return {
    days: { logsDays: settings.logsDays, resultsDays: settings.resultsDays, screenshotsDays: settings.screenshotsDays },
    resultExpiresAt: resultExpiresAt?.toISOString() ?? null,
    screenshotExpiresAt: screenshotExpiresAt?.toISOString() ?? null,
    logsExpireAt: new Date(jobCreatedAt.getTime() + settings.logsDays * dayMs).toISOString(),
    resultPurged: result?.purgedAt != null,
    screenshotPurged: screenshot?.purgedAt != null,
    logsPurged: logsPurgedAt !== null,
    notices: {
      result: notice(result, resultExpiresAt, retentionNoticeDays.result, retentionMessages.resultPurged(settings), retentionMessages.resultNotice),
      screenshot: notice(
        screenshot,
        screenshotExpiresAt,
        retentionNoticeDays.screenshot,
        retentionMessages.screenshotPurged(settings),
        retentionMessages.screenshotNotice,
      ),
      logs: logsPurgedAt ? retentionMessages.logsPurged(settings) : null,
    },
  };
}

export type RetentionJson = ReturnType<typeof describeRetention>;
