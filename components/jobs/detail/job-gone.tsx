import { FileQuestionIcon, LockIcon, Trash2Icon } from 'lucide-react';
import { UnavailableNotice } from '@/components/ui/unavailable-notice';

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
  return (
    <UnavailableNotice
      testId="job-unavailable"
      reason={reason}
      icon={reason === 'forbidden' ? <LockIcon /> : reason === 'deleted' ? <Trash2Icon /> : <FileQuestionIcon />}
      message={messages[reason]}
      back={{ href: '/dashboard/jobs', label: 'Back to Jobs' }}
    />
  );
}
