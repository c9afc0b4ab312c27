import type { JobConfig } from '@/lib/schemas/jobs';
import type { LogLevel, ResultFormat } from '@/lib/jobs';
import type { EgressPolicy } from '@/workers/egress/policy';

export type EngineRequest = JobConfig & { url: string };

export type EngineLog = (level: LogLevel, message: string, metadata?: Record<string, unknown>) => void;

export type EngineContext = {
  /** Aborted on cancel and on shutdown; every await inside an engine honours it. */
  signal: AbortSignal;
  log: EngineLog;
  egress: EgressPolicy;
  /** Results larger than this fail with CONTENT_TOO_LARGE. */
  maxContentBytes: number;
};

/** A PNG of the page (Browser and Stealth, when the job asks for one). */
export type Screenshot = { png: Buffer; width: number; height: number };

export type EngineResult = {
  format: ResultFormat;
  contentType: string;
  content: Buffer;
  statusCode: number;
  finalUrl: string;
  /** The page's HTML before conversion (the HTTP body, or the rendered DOM for browser engines), when it is HTML. */
  html?: string;
  screenshot?: Screenshot;
};

export type Engine = (request: EngineRequest, context: EngineContext) => Promise<EngineResult>;
