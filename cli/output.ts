import pc from 'picocolors';

// Everything the CLI writes goes through here: data to stdout, progress and errors to stderr.
// Colour only when the stream is a terminal (or FORCE_COLOR), never with NO_COLOR or --no-color,
// so piped output is plain text a script can parse.

type Colors = ReturnType<typeof pc.createColors>;

let colorFlag: boolean | undefined;
let stdoutColors: Colors = pc.createColors(false);
let stderrColors: Colors = pc.createColors(false);

function colorWanted(stream: NodeJS.WriteStream): boolean {
  if (colorFlag === false) return false;
  const env = process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

/** Called once the global flags are parsed (`--no-color` sets `color: false`). */
export function configureOutput({ color }: { color?: boolean }): void {
  colorFlag = color;
  stdoutColors = pc.createColors(colorWanted(process.stdout));
  stderrColors = pc.createColors(colorWanted(process.stderr));
}

/** Colours for text written to stdout. */
export function paint(): Colors {
  return stdoutColors;
}

export function print(text = ''): void {
  process.stdout.write(`${text}\n`);
}

export function printJson(value: unknown): void {
  print(JSON.stringify(value, null, 2));
}

/** Progress and notes: stderr, so stdout stays the command's data. */
export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}

export function printError(message: string, details: string[] = []): void {
  const c = stderrColors;
  process.stderr.write(`${c.red(c.bold('Error:'))} ${message}\n`);
  for (const line of details) process.stderr.write(`  ${c.dim('-')} ${line}\n`);
}

export function isInteractive(): boolean {
  return Boolean(process.stdout.isTTY);
}

// ---- tables and blocks ----

const ansi = /\x1b\[[0-9;]*m/g;

export function visibleLength(text: string): number {
  return text.replace(ansi, '').length;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const gap = ' '.repeat(Math.max(0, width - visibleLength(text)));
  return align === 'right' ? gap + text : text + gap;
}

function truncate(text: string, width: number): string {
  const plain = text.replace(ansi, '');
  if (plain.length <= width) return text;
  return `${plain.slice(0, Math.max(0, width - 1))}…`;
}

export type Column = { header: string; align?: 'left' | 'right'; /** Cut to fit a terminal's width. */ shrink?: boolean };

/**
 * Aligned columns under an upper-case header, two spaces apart. On a terminal the `shrink`
 * column is cut to fit its width; in a pipe nothing is cut.
 */
export function table(columns: Column[], rows: string[][]): string {
  const widths = columns.map((column, i) => Math.max(column.header.length, ...rows.map((row) => visibleLength(row[i] ?? ''))));
  const available = process.stdout.isTTY ? process.stdout.columns : undefined;
  const shrinkIndex = columns.findIndex((column) => column.shrink);
  if (available && shrinkIndex >= 0) {
    const total = widths.reduce((sum, width) => sum + width, 0) + 2 * (columns.length - 1);
    if (total > available) widths[shrinkIndex] = Math.max(columns[shrinkIndex].header.length, widths[shrinkIndex] - (total - available));
  }
  const c = stdoutColors;
  const line = (cells: string[], header = false) =>
    cells
      .map((cell, i) => {
        const text = columns[i].shrink ? truncate(cell, widths[i]) : cell;
        // The last column is not padded: no trailing spaces.
        const padded = i === cells.length - 1 && columns[i].align !== 'right' ? text : pad(text, widths[i], columns[i].align ?? 'left');
        return header ? c.bold(padded) : padded;
      })
      .join('  ');
  return [line(columns.map((column) => column.header.toUpperCase()), true), ...rows.map((row) => line(row))].join('\n');
}

/** `Label:  value` lines with the values aligned; pairs with an undefined value are left out. */
export function keyValues(pairs: [string, string | undefined][]): string {
  const shown = pairs.filter((pair): pair is [string, string] => pair[1] !== undefined);
  const width = Math.max(...shown.map(([label]) => label.length + 1));
  const c = stdoutColors;
  return shown.map(([label, value]) => `${c.dim(`${label}:`.padEnd(width))}  ${value}`).join('\n');
}

// ---- values ----

export function colorStatus(status: string): string {
  const c = stdoutColors;
  switch (status) {
    case 'completed':
      return c.green(status);
    case 'failed':
      return c.red(status);
    case 'processing':
      return c.cyan(status);
    case 'queued':
      return c.blue(status);
    default:
      return c.yellow(status);
  }
}

export function colorLevel(level: string): string {
  const c = stdoutColors;
  const text = level.padEnd(5);
  if (level === 'ERROR') return c.red(text);
  if (level === 'WARN') return c.yellow(text);
  if (level === 'DEBUG') return c.dim(text);
  return c.green(text);
}

/** A local time as `2026-03-01 10:30:00` (set TZ to choose the zone). */
export function formatTime(iso: string | null): string {
  if (!iso) return '-';
  const date = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

export function plural(count: number, word: string): string {
  return `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
}
