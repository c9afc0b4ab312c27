'use client';

import { useEffect, useState } from 'react';

/**
 * The dry run behind a confirmation: while `run` is set (memoised by the caller), asks it once
 * for what the action would do and keeps the answer, or the error's message (`fallback` when it
 * has none). A newer run replaces an older one's late answer.
 */
export function useDryRun<T>(run: (() => Promise<T>) | null, fallback: string) {
  const [preview, setPreview] = useState<T | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  useEffect(() => {
    if (!run) return;
    let current = true;
    setPreview(null);
    setPreviewError(null);
    run().then(
      (result) => current && setPreview(result),
      (error: unknown) => current && setPreviewError(error instanceof Error ? error.message : fallback),
    );
    return () => {
      current = false;
    };
  }, [run, fallback]);
  return { preview, previewError };
}
