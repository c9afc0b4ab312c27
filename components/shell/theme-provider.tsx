'use client';

import { ThemeProvider as NextThemesProvider } from 'next-themes';
import type { ReactNode } from 'react';

/**
 * Light or dark as a class on <html>: the system's preference (prefers-color-scheme) until the
 * user picks one in the shell, then that choice, remembered in localStorage. next-themes sets the
 * class from an inline script before the first paint, so no page flashes the other theme.
 */
export function ThemeProvider({ children }: { children: ReactNode }) {
  return (
    <NextThemesProvider attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange storageKey="scrapifie-theme">
      {children}
    </NextThemesProvider>
  );
}
