import type { ReactNode } from 'react';

/** The dashed box shown where a list has nothing yet: an icon, one sentence, and what to do next. */
export function EmptyState({ icon, message, children }: { icon: ReactNode; message: ReactNode; children?: ReactNode }) {
  return (
    <div data-testid="empty-state" className="flex flex-col items-center justify-center gap-4 rounded-xl border border-dashed bg-card px-6 py-16 text-center">
      <div className="flex size-11 items-center justify-center rounded-full bg-muted text-muted-foreground [&_svg]:size-5">{icon}</div>
      <p className="max-w-md text-sm text-foreground">{message}</p>
      {children}
    </div>
  );
}
