import { FileQuestionIcon, LockIcon } from 'lucide-react';
import { UnavailableNotice } from '@/components/ui/unavailable-notice';

const messages = {
  'not-found': 'Crawl not found. It may have been deleted or the ID is incorrect.',
  forbidden: 'You do not have permission to view this crawl.',
  error: 'Unable to load the crawl. Please try again.',
} as const;

/** A crawl page that cannot show its crawl, with a way back to the list. */
export function CrawlUnavailable({ reason }: { reason: keyof typeof messages }) {
  return (
    <UnavailableNotice
      testId="crawl-unavailable"
      reason={reason}
      icon={reason === 'forbidden' ? <LockIcon /> : <FileQuestionIcon />}
      message={messages[reason]}
      back={{ href: '/dashboard/crawls', label: 'Back to Crawls' }}
    />
  );
}
