import type { ReactNode } from 'react';

export const metadata = { title: 'Scrapifie', description: 'Web scraping jobs you can watch' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
