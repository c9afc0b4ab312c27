import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliError, exitCodes } from './errors';

// Where the CLI finds the API and its key: flags, then SCRAPIFIE_API_URL / SCRAPIFIE_API_KEY,
// then the config file `scrapifie login` writes ($SCRAPIFIE_CONFIG, or
// ~/.config/scrapifie/config.json), readable by its owner only since it holds a secret.

export type CliConfig = { apiUrl?: string; apiKey?: string };
export type Connection = { apiUrl: string; apiKey: string };

export const defaultApiUrl = 'http://localhost:3000';

export function configPath(): string {
  if (process.env.SCRAPIFIE_CONFIG) return path.resolve(process.env.SCRAPIFIE_CONFIG);
  const base = process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'scrapifie', 'config.json');
}

export function loadConfig(file = configPath()): CliConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`Cannot read the config file ${file}: ${(error as Error).message}`, exitCodes.usage);
  }
  try {
    const parsed = JSON.parse(text) as CliConfig;
    return { apiUrl: stringOrUndefined(parsed.apiUrl), apiKey: stringOrUndefined(parsed.apiKey) };
  } catch {
    throw new CliError(`The config file ${file} is not valid JSON. Run \`scrapifie login\` again.`, exitCodes.usage);
  }
}

/** Writes the file with mode 0600 (its directory 0700), replacing it in one rename. */
export function saveConfig(config: CliConfig, file = configPath()): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  // The mode above is reduced by the umask, never widened; set it exactly.
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

export function resolveApiUrl(flag?: string): string {
  return normalizeApiUrl(flag ?? (process.env.SCRAPIFIE_API_URL || undefined) ?? loadConfig().apiUrl ?? defaultApiUrl);
}

export function resolveConnection({ apiUrl }: { apiUrl?: string } = {}): Connection {
  const apiKey = process.env.SCRAPIFIE_API_KEY || loadConfig().apiKey;
  if (!apiKey) {
    throw new CliError('Not logged in. Run `scrapifie login`, or set SCRAPIFIE_API_KEY.', exitCodes.auth);
  }
  return { apiUrl: resolveApiUrl(apiUrl), apiKey };
}

export function normalizeApiUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`Invalid API URL "${value}": expected something like ${defaultApiUrl}`, exitCodes.usage);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`Invalid API URL "${value}": it must start with http:// or https://`, exitCodes.usage);
  }
  return url.toString().replace(/\/+$/, '');
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
