'use client';

import { MonitorIcon, MoonIcon, SunIcon, type LucideIcon } from 'lucide-react';
import { useTheme } from 'next-themes';
import { useEffect, useState } from 'react';
import { cn } from '@/components/ui/utils';

const options: { value: 'system' | 'light' | 'dark'; label: string; icon: LucideIcon }[] = [
  { value: 'system', label: 'System theme', icon: MonitorIcon },
  { value: 'light', label: 'Light theme', icon: SunIcon },
  { value: 'dark', label: 'Dark theme', icon: MoonIcon },
];

/** System, Light or Dark; the choice is remembered (next-themes keeps it in localStorage). */
export function ThemeToggle() {
  const { theme, setTheme } = useTheme();
  // The stored choice is only known in the browser: until then no option shows as chosen.
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const current = mounted ? (theme ?? 'system') : undefined;
  return (
    <div role="radiogroup" aria-label="Theme" className="flex items-center gap-0.5 self-start rounded-md border border-sidebar-border p-0.5" data-testid="theme-toggle">
      {options.map(({ value, label, icon: Icon }) => (
        <button
          key={value}
          type="button"
          role="radio"
          aria-checked={current === value}
          aria-label={label}
          title={label}
          onClick={() => setTheme(value)}
          className={cn(
            'inline-flex size-7 items-center justify-center rounded text-sidebar-foreground hover:bg-sidebar-accent hover:text-sidebar-accent-foreground focus-visible:ring-[3px] focus-visible:ring-ring/60 focus-visible:outline-none',
            current === value && 'bg-sidebar-accent text-sidebar-accent-foreground',
          )}
        >
          <Icon className="size-3.5" />
        </button>
      ))}
    </div>
  );
}
