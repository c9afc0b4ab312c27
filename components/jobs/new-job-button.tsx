'use client';

import { PlusIcon } from 'lucide-react';
import Link from 'next/link';
import { useCanChange } from '@/components/account/account-banner';
import { Button } from '@/components/ui/button';

/** "New job": opens the create form; disabled while the account may not submit (suspended, being deleted). */
export function NewJobButton({ size }: { size?: 'default' | 'sm' }) {
  const canChange = useCanChange();
  if (!canChange) {
    return (
      <Button size={size} disabled title="Your account cannot submit jobs right now">
        <PlusIcon />
        New job
      </Button>
    );
  }
  return (
    <Button size={size} asChild>
      <Link href="/dashboard/jobs/new">
        <PlusIcon />
        New job
      </Link>
    </Button>
  );
}
