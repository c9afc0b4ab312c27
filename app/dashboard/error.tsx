'use client';

import { PageError } from '@/components/shell/page-error';

// A dashboard page that failed to render, inside the shell: the outage banner or a retry.
export default function DashboardError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageError {...props} />;
}
