'use client';

import { ChevronLeftIcon, ChevronRightIcon } from 'lucide-react';
import { useRef } from 'react';
import { Button } from '@/components/ui/button';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { pageSizes } from '@/lib/schemas/jobs';
import type { PageSize } from './list-params';

/**
 * "Page X of Y" with Previous/Next and the page size (spec section 3). With focus anywhere in
 * the bar, the Left and Right arrow keys turn the page. A button that turns to the first or last
 * page is about to be disabled: focus moves to the bar first, so it never falls to <body> and the
 * arrow keys keep working.
 */
export function Pagination({
  page,
  totalPages,
  size,
  onPage,
  onSize,
}: {
  page: number;
  totalPages: number;
  size: PageSize;
  onPage: (page: number) => void;
  onSize: (size: PageSize) => void;
}) {
  const hasPrevious = page > 1;
  const hasNext = page < totalPages;
  const bar = useRef<HTMLElement>(null);
  const previous = useRef<HTMLButtonElement>(null);
  const next = useRef<HTMLButtonElement>(null);
  const turn = (to: number) => {
    const focused = document.activeElement;
    if ((focused === next.current && to >= totalPages) || (focused === previous.current && to <= 1)) bar.current?.focus();
    onPage(to);
  };
  return (
    <nav
      ref={bar}
      aria-label="Pagination"
      tabIndex={0}
      onKeyDown={(event) => {
        if ((event.target as HTMLElement).closest('[role="combobox"], [role="listbox"]')) return;
        if (event.key === 'ArrowLeft' && hasPrevious) {
          event.preventDefault();
          turn(page - 1);
        } else if (event.key === 'ArrowRight' && hasNext) {
          event.preventDefault();
          turn(page + 1);
        }
      }}
      className="flex flex-wrap items-center justify-between gap-3 rounded-md outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
    >
      <div className="flex items-center gap-2 text-sm text-muted-foreground">
        <span>Rows per page</span>
        <Select value={String(size)} onValueChange={(value) => onSize(Number(value) as PageSize)}>
          <SelectTrigger size="sm" aria-label="Rows per page" className="w-[72px]">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {pageSizes.map((option) => (
              <SelectItem key={option} value={String(option)}>
                {option}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      <div className="flex items-center gap-2">
        <Button ref={previous} variant="outline" size="sm" onClick={() => turn(page - 1)} disabled={!hasPrevious}>
          <ChevronLeftIcon />
          Previous
        </Button>
        <span className="min-w-28 text-center text-sm tabular" aria-live="polite" data-testid="page-indicator">
          Page {page.toLocaleString('en-US')} of {totalPages.toLocaleString('en-US')}
        </span>
        <Button ref={next} variant="outline" size="sm" onClick={() => turn(page + 1)} disabled={!hasNext}>
          Next
          <ChevronRightIcon />
        </Button>
      </div>
    </nav>
  );
}
