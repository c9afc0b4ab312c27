'use client';

import { PageError } from '@/components/shell/page-error';

// A page whose layout failed (the dashboard's reads the signed-in account): the same notice, without the shell.
export default function RootError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto max-w-3xl p-6">
      <PageError {...props} />
    </main>
  );
}
