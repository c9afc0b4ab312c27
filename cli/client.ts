import { ApiError, ConnectionError, Scrapifie, UnexpectedResponseError, WaitTimeoutError } from '@/packages/sdk/src/index';
import { resolveConnection, type Connection } from './config';
import { ApiRequestError, CliError, NetworkError, NotScrapifieError, UnsupportedError, exitCodes } from './errors';
import { cliVersion } from './version';

// The CLI's one client is the SDK (packages/sdk): every command talks to the API through it, and
// its errors become the CLI's, each with its exit code (cli/errors.ts).

export function sdkFor(connection: Connection, { pollIntervalMs }: { pollIntervalMs?: number } = {}): Scrapifie {
  return new Scrapifie({ apiKey: connection.apiKey, baseUrl: connection.apiUrl, userAgent: `scrapifie-cli/${cliVersion}`, pollIntervalMs });
}

export function connectedClient(options: { apiUrl?: string; pollIntervalMs?: number }): Scrapifie {
  return sdkFor(resolveConnection({ apiUrl: options.apiUrl }), options);
}

/**
 * The CliError for an SDK error: the API's refusal (exit code by status), a server without the
 * endpoint (`feature` names what the user asked for), a server that is not Scrapifie, an
 * unreachable one. Anything else is returned as it is.
 */
export function cliErrorFrom(error: unknown, feature: string): unknown {
  if (error instanceof CliError) return error;
  if (error instanceof ApiError) return new ApiRequestError(error.status, { code: error.code, message: error.message, details: error.details }, error.retryAfterSeconds);
  if (error instanceof UnexpectedResponseError) {
    return error.endpointMissing ? new UnsupportedError(feature, error.request, error.status) : new NotScrapifieError(error.message);
  }
  if (error instanceof ConnectionError) return new NetworkError(error.message);
  if (error instanceof WaitTimeoutError) return new CliError(`Gave up waiting: ${error.message}`, exitCodes.failure);
  return error;
}

/** Runs one call, naming `feature` if the server turns out not to have it. */
export async function withFeature<T>(feature: string, call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw cliErrorFrom(error, feature);
  }
}
