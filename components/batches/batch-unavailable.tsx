import { FileQuestionIcon, LockIcon } from 'lucide-react';
import { UnavailableNotice } from '@/components/ui/unavailable-notice';

const messages = {
  'not-found': 'Batch not found. It may have been deleted or the ID is incorrect.',
  forbidden: 'You do not have permission to view this batch.',
  error: 'Unable to load the batch. Please try again.',
} as const;

/** A batch page that cannot show its batch, with a way back to the list. */
export function BatchUnavailable({ reason }: { reason: keyof typeof messages }) {
  return (
    <UnavailableNotice
      testId="batch-unavailable"
      reason={reason}
      icon={reason === 'forbidden' ? <LockIcon /> : <FileQuestionIcon />}
      message={messages[reason]}
      back={{ href: '/dashboard/batches', label: 'Back to Batches' }}
    />
  );
}
