import { sql } from 'drizzle-orm';

/**
 * The SET list of a job cancelled together with its batch or crawl: terminal, uncharged, released
 * by its worker, with room for the two log entries a cancel writes (seq log_seq - 1 and log_seq).
 */
export const cancelledInBulk = sql.raw(`
        status = 'cancelled',
        finished_at = now(),
        duration_ms = CASE WHEN started_at IS NULL THEN NULL ELSE (extract(epoch FROM now() - started_at) * 1000)::int END,
        credits_charged = 0,
        error_type = NULL,
        error_message = NULL,
        worker_id = NULL,
        lease_expires_at = NULL,
        log_seq = log_seq + 2`);
