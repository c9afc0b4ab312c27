'use client';

import { SearchIcon, XIcon } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { Input } from '@/components/ui/input';
import { minSearchLength } from './list-params';

const debounceMs = 300;

/**
 * Search by URL substring or job-ID prefix (spec section 9): applied 300 ms after the last
 * keystroke, from 3 characters; fewer characters clear the search. The applied term comes from
 * the URL, so back/forward and "Clear search" update the box.
 */
export function SearchInput({ applied, onSearch }: { applied: string | undefined; onSearch: (term: string | undefined) => void }) {
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
    const next = trimmed.length >= minSearchLength ? trimmed : undefined;
    if (next === lastApplied.current) return;
    lastApplied.current = next;
    onSearch(next);
  };

  const onChange = (value: string) => {
    setTerm(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => apply(value), debounceMs);
  };

  const tooShort = term.trim().length > 0 && term.trim().length < minSearchLength;
  return (
    <div className="relative w-full">
      <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground" />
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
        placeholder="Search by URL or Job ID..."
        aria-label="Search by URL or Job ID"
        className="h-8 pr-28 pl-8 [&::-webkit-search-cancel-button]:appearance-none"
      />
      <div className="absolute inset-y-0 right-1 flex items-center gap-1">
        {tooShort && <span className="text-[11px] whitespace-nowrap text-muted-foreground">min. {minSearchLength} characters</span>}
        {term && (
          <button
            type="button"
            aria-label="Clear search"
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
