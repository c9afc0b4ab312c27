'use client';

import { useState } from 'react';
import type { PageSize } from './list-params';

/**
 * Page and page size held by the component (not the URL); a new size starts again at page 1.
 * `pagination` is what <Pagination> takes besides the total.
 */
export function usePages() {
  const [page, setPage] = useState(1);
  const [size, setSizeState] = useState<PageSize>(25);
  const setSize = (next: PageSize) => {
    setSizeState(next);
    setPage(1);
  };
  return { page, size, setPage, pagination: { page, size, onPage: setPage, onSize: setSize } };
}
