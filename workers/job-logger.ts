import type { Db } from '@/db/client';
import { appendLogs, type NewLogEntry } from '@/db/queries/logs';
import type { LogLevel } from '@/lib/jobs';
import { log as serverLog } from '@/lib/log';

/**
 * Buffers a job's log entries and writes them in batches (one INSERT per flush, not per line),
 * every `flushMs` while the job runs; the last batch is written inside the job's terminal
 * transaction. Flushes are chained so entries land in the order they were logged.
 */
export class JobLogger {
  private buffer: NewLogEntry[] = [];
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly jobId: string,
    private readonly flushMs: number,
  ) {}

  readonly log = (level: LogLevel, message: string, metadata?: Record<string, unknown>): void => {
    this.buffer.push({ timestamp: new Date(), level, message, metadata });
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.flushMs);
  };

  info = (message: string, metadata?: Record<string, unknown>) => this.log('INFO', message, metadata);
  warn = (message: string, metadata?: Record<string, unknown>) => this.log('WARN', message, metadata);
  error = (message: string, metadata?: Record<string, unknown>) => this.log('ERROR', message, metadata);
  debug = (message: string, metadata?: Record<string, unknown>) => this.log('DEBUG', message, metadata);

  flush(): Promise<void> {
    const entries = this.take();
    if (entries.length === 0) return this.chain;
    this.chain = this.chain
      .then(() => appendLogs(this.db, this.jobId, entries))
      .catch((error) => serverLog.error('could not write job logs', { jobId: this.jobId, err: error }));
    return this.chain;
  }

  /**
   * Waits for batches in flight, then hands over what is left (for a terminal transaction).
   * The buffer is taken before waiting: otherwise the flush timer could fire during the wait and
   * write the last entries after the terminal ones.
   */
  async drain(): Promise<NewLogEntry[]> {
    const entries = this.take();
    await this.chain;
    return [...entries, ...this.take()];
  }

  private take(): NewLogEntry[] {
    clearTimeout(this.timer);
    this.timer = undefined;
    const entries = this.buffer;
    this.buffer = [];
    return entries;
  }
}
