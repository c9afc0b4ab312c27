// Small display formatters shared by the API, the worker's log messages and the dashboard.

/** "45s", "1m 30s", "2h 5m": how long something waited. */
export function formatWait(ms: number): string {
  const totalSeconds = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return seconds ? `${minutes}m ${seconds}s` : `${minutes}m`;
  return `${seconds}s`;
}

/** "0.3s", "14.7s" (spec section 3); "--" when the job never ran. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '--';
  return `${(ms / 1000).toFixed(1)}s`;
}

/** "42.3 KB", "1.2 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** "1 page", "3,000 pages": a count with its noun, singular for one. */
export function countOf(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : `${noun}s`}`;
}
