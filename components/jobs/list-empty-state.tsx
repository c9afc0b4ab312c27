'use client';

import { BookOpenIcon, InboxIcon, SearchXIcon } from 'lucide-react';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import type { ListParams } from './list-params';

export type EmptyAction = 'clear-all' | 'clear-date' | 'clear-search';

/** The empty states of spec section 12, picked by which filters are active. */
export function ListEmptyState({ params, onAction }: { params: ListParams; onAction: (action: EmptyAction) => void }) {
  const other = Boolean(params.status || params.engine || params.key || params.name || params.tag || params.priority || params.batch);
  const date = Boolean(params.from || params.to);
  const search = Boolean(params.q);

  if (!other && !date && !search) {
    return (
      <EmptyState icon={<InboxIcon />} message="No scraping jobs yet. Submit your first API request to see jobs appear here.">
        <Button asChild>
          <Link href="/docs">
            <BookOpenIcon />
            View API Documentation
          </Link>
        </Button>
      </EmptyState>
    );
  }
  if (date && !other && !search) {
    return (
      <EmptyState icon={<SearchXIcon />} message="No jobs found in the selected date range.">
        <LinkButton onClick={() => onAction('clear-date')}>Clear date filter</LinkButton>
      </EmptyState>
    );
  }
  if (search && !other && !date) {
    return (
      <EmptyState icon={<SearchXIcon />} message={`No jobs found matching '${params.q}'.`}>
        <LinkButton onClick={() => onAction('clear-search')}>Clear search</LinkButton>
      </EmptyState>
    );
  }
  return (
    <EmptyState icon={<SearchXIcon />} message="No jobs match your current filters.">
      <LinkButton onClick={() => onAction('clear-all')}>Clear all filters</LinkButton>
    </EmptyState>
  );
}

function LinkButton({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  return (
    <Button variant="link" size="sm" onClick={onClick}>
      {children}
    </Button>
  );
}
