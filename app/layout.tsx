import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { ThemeProvider } from '@/components/shell/theme-provider';
import './globals.css';

export const metadata: Metadata = {
  title: 'Scrapifie',
  description: 'Web scraping jobs you can watch',
  icons: { icon: [{ url: '/favicon.svg', type: 'image/svg+xml' }] },
};

// suppressHydrationWarning: next-themes sets <html>'s class before React hydrates.
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <body>
        <ThemeProvider>{children}</ThemeProvider>
      </body>
    </html>
  );
}
