import Link from 'next/link';
import type { ReactNode } from 'react';
import { Button } from './button';

/** A detail page that cannot show its subject (not found, not yours, failed), with a way back to its list. */
export function UnavailableNotice({
  testId,
  reason,
  icon,
  message,
  back,
}: {
  testId: string;
  reason: string;
  icon: ReactNode;
  message: string;
  back: { href: string; label: string };
}) {
  return (
    <div role="alert" data-testid={testId} data-reason={reason} className="flex flex-col items-center gap-4 rounded-xl border bg-card px-6 py-16 text-center">
      <div className="flex size-11 items-center justify-center rounded-full bg-muted text-muted-foreground [&_svg]:size-5">{icon}</div>
      <p className="max-w-md text-sm">{message}</p>
      <Button variant="outline" size="sm" asChild>
        <Link href={back.href}>{back.label}</Link>
      </Button>
    </div>
  );
}
