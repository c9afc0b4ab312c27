'use client';

import { BanIcon, Trash2Icon } from 'lucide-react';
import { useAccount } from './use-account';

/**
 * Why the dashboard is read-only: a suspended account (spec section 7) or one whose deletion is
 * queued. Both refuse every change the API is asked for.
 */
export function AccountBanner() {
  const { data } = useAccount();
  if (data?.suspended) {
    return (
      <div role="alert" data-testid="suspended-banner" className="mb-5 flex gap-3 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
        <BanIcon className="mt-0.5 size-4 shrink-0" />
        <p>
          <span className="font-medium">Your account is suspended.</span> You can view your jobs, but you cannot submit, retry or change anything.
          Contact support to restore access.
        </p>
      </div>
    );
  }
  if (data?.deletionRequestedAt) {
    return (
      <div role="status" className="mb-5 flex gap-3 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
        <Trash2Icon className="mt-0.5 size-4 shrink-0" />
        <p>
          <span className="font-medium">Your account is scheduled for deletion.</span> Jobs that are still running finish first; then the account is
          deleted. New jobs cannot be submitted.
        </p>
      </div>
    );
  }
  return null;
}

/** Whether the account may submit or change anything now. */
export function useCanChange(): boolean {
  const { data } = useAccount();
  return !data?.suspended && !data?.deletionRequestedAt;
}
