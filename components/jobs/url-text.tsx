import type { ComponentProps } from 'react';
import { cn } from '@/components/ui/utils';

/** How many characters of the path's end always stay visible. */
const tailChars = 22;

/** The URL without its scheme, split into the host and the rest (path, query, fragment). */
export function splitUrl(url: string): { host: string; rest: string } {
  const text = url.replace(/^https?:\/\//i, '');
  const slash = text.search(/[/?#]/);
  return slash === -1 ? { host: text, rest: '' } : { host: text.slice(0, slash), rest: text.slice(slash) };
}

/**
 * A URL as the lists show it: no scheme, the host, then the path cut in the middle when it does
 * not fit, so its end (usually what tells two jobs apart) stays visible. A very long host gives
 * way too, but keeps its start.
 */
/** Where the always-visible end of the path starts: at a `/`, `?` or `&` when one is near the end. */
export function tailStart(rest: string): number {
  const earliest = Math.max(1, rest.length - tailChars - 6);
  for (let i = earliest; i < rest.length - 4; i += 1) if ('/?&#'.includes(rest[i])) return i;
  return rest.length - Math.min(tailChars, Math.ceil(rest.length / 2));
}

export function UrlText({ url, className, ...props }: { url: string } & ComponentProps<'span'>) {
  const { host, rest } = splitUrl(url);
  const tail = rest.length - tailStart(rest);
  return (
    // The tooltip's trigger props (and ref) land on the outer span. The middle of the path gives way
    // first (its shrink weight dwarfs the host's; weights under 1 would leave overflow unshrunk),
    // then the host. The path's end keeps its width up to 65% of the cell; past that it is cut at
    // its start (right-to-left truncation, with LRMs keeping its characters in order), so its end
    // always shows.
    <span {...props} className={cn('flex min-w-0 overflow-hidden text-[13px] whitespace-pre', className)} data-testid="job-url">
      <span className="min-w-0 truncate">{host}</span>
      <span className="min-w-0 shrink-[100000] truncate">{rest.slice(0, rest.length - tail)}</span>
      <span className="max-w-[65%] shrink-0 truncate [direction:rtl]">{`\u200e${rest.slice(rest.length - tail)}\u200e`}</span>
    </span>
  );
}
