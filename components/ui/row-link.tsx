'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import type { ComponentProps } from 'react';

/**
 * A link in a row of a list, prefetched when it is pointed at or focused instead of when it
 * scrolls into view. Next.js prefetches every visible link, so a list of 25 to 100 rows asked
 * the server for every row's page on each load, and again after each filter or page change (the
 * prefetch is keyed to the page it came from), almost all of them pages nobody opens.
 */
export function RowLink({ href, onMouseEnter, onFocus, ...props }: Omit<ComponentProps<typeof Link>, 'href' | 'prefetch'> & { href: string }) {
  const router = useRouter();
  return (
    <Link
      {...props}
      href={href}
      prefetch={false}
      onMouseEnter={(event) => {
        router.prefetch(href);
        onMouseEnter?.(event);
      }}
      onFocus={(event) => {
        router.prefetch(href);
        onFocus?.(event);
      }}
    />
  );
}
