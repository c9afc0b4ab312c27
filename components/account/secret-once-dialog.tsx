'use client';

import { AlertTriangleIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { CopyButton } from '../jobs/detail/copy-button';

export type RevealedSecret = {
  title: ReactNode;
  description: ReactNode;
  /** The amber warning under the description; `alert` makes screen readers announce it. */
  warning: ReactNode;
  alert?: boolean;
  value: string;
  label: string;
  testId: string;
};

/**
 * A create dialog in two steps: the form, then the new secret to copy. Clicking outside does not
 * close the second step, so the secret is not lost by accident; closing either step calls `reset`.
 */
export function SecretOnceDialog({
  open,
  onOpenChange,
  reset,
  testId,
  secret,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  reset: () => void;
  testId: string;
  secret: RevealedSecret | null;
  /** The first step (the form). */
  children: ReactNode;
}) {
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        onOpenChange(next);
        if (!next) reset();
      }}
    >
      <DialogContent data-testid={testId} className="sm:max-w-lg" onInteractOutside={(event) => secret && event.preventDefault()}>
        {secret ? (
          <>
            <DialogHeader>
              <DialogTitle>{secret.title}</DialogTitle>
              <DialogDescription>{secret.description}</DialogDescription>
            </DialogHeader>
            <p role={secret.alert ? 'alert' : undefined} className="flex gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
              <AlertTriangleIcon className="mt-0.5 size-4 shrink-0" />
              {secret.warning}
            </p>
            <div className="flex items-center gap-2">
              <Input
                readOnly
                value={secret.value}
                aria-label={secret.label}
                data-testid={secret.testId}
                onFocus={(event) => event.currentTarget.select()}
                className="font-mono text-xs"
              />
              <CopyButton text={secret.value} />
            </div>
            <DialogFooter>
              <Button
                onClick={() => {
                  onOpenChange(false);
                  reset();
                }}
              >
                Done
              </Button>
            </DialogFooter>
          </>
        ) : (
          children
        )}
      </DialogContent>
    </Dialog>
  );
}

/** A form error as a sentence: zod and API messages start lower-case. */
export function sentence(message: string): string {
  return message[0].toUpperCase() + message.slice(1);
}
