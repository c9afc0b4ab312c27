'use client';

import { SearchIcon, XIcon } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { Input } from '@/components/ui/input';
import { cn } from '@/components/ui/utils';
import { minSearchLength } from './list-params';

const debounceMs = 300;

/**
 * Search by URL substring or job-ID prefix (spec section 9): applied 300 ms after the last
 * keystroke, from 3 characters; fewer characters clear the search. The applied term comes from
 * the URL, so back/forward and "Clear search" update the box. The name and tag filters use the
 * same box with their own label, minimum length and `normalize` (undefined: not applicable yet).
 */
export function SearchInput({
  applied,
  onSearch,
  label = 'Search by URL or Job ID',
  clearLabel = 'Clear search',
  placeholder = 'Search by URL or Job ID...',
  minLength = minSearchLength,
  normalize = (value) => value,
  invalidHint,
  compact = false,
  className,
}: {
  applied: string | undefined;
  onSearch: (term: string | undefined) => void;
  label?: string;
  clearLabel?: string;
  placeholder?: string;
  minLength?: number;
  normalize?: (value: string) => string | undefined;
  /** Shown while the box holds a value that `normalize` rejects. */
  invalidHint?: string;
  /** A narrow box without the search icon; its hints show below it instead of inside. */
  compact?: boolean;
  className?: string;
}) {
  const [term, setTerm] = useState(applied ?? '');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const lastApplied = useRef(applied);

  // The URL changed from outside the box (history, a "Clear" link): show what is applied.
  useEffect(() => {
    if (applied !== lastApplied.current) {
      lastApplied.current = applied;
      clearTimeout(timer.current);
      setTerm(applied ?? '');
    }
  }, [applied]);

  useEffect(() => () => clearTimeout(timer.current), []);

  const apply = (value: string) => {
    const trimmed = value.trim();
    const next = trimmed.length >= minLength ? normalize(trimmed) : undefined;
    if (trimmed.length >= minLength && next === undefined) return;
    if (next === lastApplied.current) return;
    lastApplied.current = next;
    onSearch(next);
  };

  const onChange = (value: string) => {
    setTerm(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => apply(value), debounceMs);
  };

  const trimmed = term.trim();
  const tooShort = trimmed.length > 0 && trimmed.length < minLength;
  const invalid = trimmed.length >= minLength && normalize(trimmed) === undefined;
  return (
    <div className={cn('relative w-full', className)}>
      {!compact && <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground" />}
      <Input
        type="search"
        value={term}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            clearTimeout(timer.current);
            apply(term);
          }
        }}
        placeholder={placeholder}
        aria-label={label}
        aria-invalid={invalid || undefined}
        className={cn('h-8 [&::-webkit-search-cancel-button]:appearance-none', compact ? 'pr-8 pl-2.5' : 'pr-28 pl-8')}
      />
      {compact && invalid && invalidHint && (
        <span role="alert" className="absolute top-full left-0.5 mt-0.5 text-[11px] whitespace-nowrap text-destructive">
          {invalidHint}
        </span>
      )}
      <div className="absolute inset-y-0 right-1 flex items-center gap-1">
        {tooShort && <span className="text-[11px] whitespace-nowrap text-muted-foreground">min. {minLength} characters</span>}
        {!compact && invalid && invalidHint && <span className="text-[11px] whitespace-nowrap text-destructive">{invalidHint}</span>}
        {term && (
          <button
            type="button"
            aria-label={clearLabel}
            onClick={() => {
              clearTimeout(timer.current);
              setTerm('');
              apply('');
            }}
            className="inline-flex size-6 items-center justify-center rounded text-muted-foreground hover:bg-accent hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none"
          >
            <XIcon className="size-3.5" />
          </button>
        )}
      </div>
    </div>
  );
}
