// Which errors mean "the database is not there right now" rather than "this statement is wrong".
// The web app answers those with 503 database_unavailable and Retry-After, the worker waits and
// tries again; anything else stays an internal error. Errors arrive from three clients (postgres.js,
// pg under pg-boss, and Drizzle wrapping either), so the whole cause chain is looked at.

/** Socket-level failures: refused, reset, unreachable, a name that does not resolve. */
const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** postgres.js's own codes for a connection that never opened or went away. */
const clientCodes = new Set(['CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED']);

/**
 * SQLSTATEs of a server that is shutting down, starting up, out of connections, or that gave up
 * on a statement after our timeouts (statement_timeout, lock_timeout): all pass by themselves.
 */
const serverStates = new Set(['57P01', '57P02', '57P03', '53300', '57014', '55P03', '25P03']);

/** pg (under pg-boss) reports a lost or timed-out connection only in its message. */
const pgMessages = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const { code, cause, errors, message } = error as { code?: unknown; cause?: unknown; errors?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (networkCodes.has(code) || clientCodes.has(code) || serverStates.has(code)) return true;
    // Class 08: connection exceptions.
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  if (typeof message === 'string' && pgMessages.test(message)) return true;
  if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}

/** Seconds a client should wait before retrying: a restart takes a few. */
export const databaseRetryAfterSeconds = 2;
