import { FileQuestionIcon, LockIcon, Trash2Icon } from 'lucide-react';
import Link from 'next/link';
import { Button } from '@/components/ui/button';

const messages = {
  'not-found': 'Job not found. It may have been deleted or the ID is incorrect.',
  forbidden: 'You do not have permission to view this job.',
  error: 'Unable to load job details. The job may not exist or you may not have access.',
  // The job vanished while the page was open (spec 001).
  gone: 'This job no longer exists.',
  // Its owner deleted it (the API answers 410 for its URL from then on).
  deleted: 'This job was deleted.',
} as const;

/** The detail page's error states of spec section 12, each with a way back to the list. */
export function JobGone({ reason }: { reason: keyof typeof messages }) {
  const Icon = reason === 'forbidden' ? LockIcon : reason === 'deleted' ? Trash2Icon : FileQuestionIcon;
  return (
    <div role="alert" data-testid="job-unavailable" data-reason={reason} className="flex flex-col items-center gap-4 rounded-xl border bg-card px-6 py-16 text-center">
      <div className="flex size-11 items-center justify-center rounded-full bg-muted text-muted-foreground">
        <Icon className="size-5" />
      </div>
      <p className="max-w-md text-sm">{messages[reason]}</p>
      <Button variant="outline" size="sm" asChild>
        <Link href="/dashboard/jobs">Back to Jobs</Link>
      </Button>
    </div>
  );
}
