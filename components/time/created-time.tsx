'use client';

import { Tooltip } from '@/components/ui/tooltip';
import { formatAbsolute, formatCreated, formatFull } from './format';
import { useNow, useTimeZone } from './time-context';

/** A list's Created cell: "5 min ago" (or the date), the full time on hover. */
export function CreatedTime({ at }: { at: string }) {
  const now = useNow();
  const timeZone = useTimeZone();
  return (
    <Tooltip content={formatFull(at, timeZone)}>
      <span className="block truncate" data-absolute={formatAbsolute(at, timeZone)}>
        {formatCreated(at, now, timeZone)}
      </span>
    </Tooltip>
  );
}
