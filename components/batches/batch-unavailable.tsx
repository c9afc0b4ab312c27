import { FileQuestionIcon, LockIcon } from 'lucide-react';
import Link from 'next/link';
import { Button } from '@/components/ui/button';

const messages = {
  'not-found': 'Batch not found. It may have been deleted or the ID is incorrect.',
  forbidden: 'You do not have permission to view this batch.',
  error: 'Unable to load the batch. Please try again.',
} as const;

/** A batch page that cannot show its batch, with a way back to the list. */
export function BatchUnavailable({ reason }: { reason: keyof typeof messages }) {
  const Icon = reason === 'forbidden' ? LockIcon : FileQuestionIcon;
  return (
    <div role="alert" data-testid="batch-unavailable" data-reason={reason} className="flex flex-col items-center gap-4 rounded-xl border bg-card px-6 py-16 text-center">
      <div className="flex size-11 items-center justify-center rounded-full bg-muted text-muted-foreground">
        <Icon className="size-5" />
      </div>
      <p className="max-w-md text-sm">{messages[reason]}</p>
      <Button variant="outline" size="sm" asChild>
        <Link href="/dashboard/batches">Back to Batches</Link>
      </Button>
    </div>
  );
}
