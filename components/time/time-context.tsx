'use client';

import { createContext, useContext, useEffect, useSyncExternalStore, type ReactNode } from 'react';
import { timeZoneCookie, timeZoneOffsetMinutes } from './format';

// The viewer's timezone and the current time, for formatting. The server renders with the
// timezone the browser reported last (a cookie) and its own clock; hydration starts from those
// same values, then switches to the browser's, so there is no mismatch and no flash of UTC.

type TimeContextValue = { serverTimeZone: string; serverNow: number };

const TimeContext = createContext<TimeContextValue>({ serverTimeZone: 'UTC', serverNow: 0 });

const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const noSubscription = () => () => {};

export function TimeProvider({ timeZone, now, children }: { timeZone: string; now: number; children: ReactNode }) {
  useEffect(() => {
    const zone = browserTimeZone();
    if (zone !== timeZone) document.cookie = `${timeZoneCookie}=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
  }, [timeZone]);
  return <TimeContext.Provider value={{ serverTimeZone: timeZone, serverNow: now }}>{children}</TimeContext.Provider>;
}

/** The timezone set at page load (spec section 13: a change applies on the next load). */
export function useTimeZone(): string {
  const { serverTimeZone } = useContext(TimeContext);
  return useSyncExternalStore(noSubscription, browserTimeZone, () => serverTimeZone);
}

// One shared ticking clock for every relative time on the page.
let current = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribeClock(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    current = Date.now();
    timer = setInterval(() => {
      current = Date.now();
      listeners.forEach((l) => l());
    }, 15_000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The current time, refreshed every 15 s: enough for "2 min ago". */
export function useNow(): number {
  const { serverNow } = useContext(TimeContext);
  return useSyncExternalStore(subscribeClock, () => current, () => serverNow);
}

/** Date#getTimezoneOffset of the viewer, for the API's `tz` parameter. */
export function useTimeZoneOffset(): number {
  const { serverTimeZone, serverNow } = useContext(TimeContext);
  return useSyncExternalStore(
    noSubscription,
    () => new Date().getTimezoneOffset(),
    () => timeZoneOffsetMinutes(serverTimeZone, serverNow),
  );
}
