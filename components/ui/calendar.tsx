'use client';

import { ChevronLeftIcon, ChevronRightIcon } from 'lucide-react';
import type { ComponentProps } from 'react';
import { DayPicker, getDefaultClassNames } from 'react-day-picker';
import { buttonVariants } from './button';
import { cn } from './utils';

/** react-day-picker styled like the rest of the kit. */
export function Calendar({ className, classNames, showOutsideDays = true, ...props }: ComponentProps<typeof DayPicker>) {
  const defaults = getDefaultClassNames();
  return (
    <DayPicker
      showOutsideDays={showOutsideDays}
      className={cn('p-1 [--cell-size:2rem]', className)}
      classNames={{
        root: cn('w-fit', defaults.root),
        months: cn('relative flex flex-col gap-4 sm:flex-row', defaults.months),
        month: cn('flex w-full flex-col gap-3', defaults.month),
        nav: cn('absolute inset-x-0 top-0 flex w-full items-center justify-between gap-1', defaults.nav),
        button_previous: cn(buttonVariants({ variant: 'ghost', size: 'icon-sm' }), 'select-none aria-disabled:opacity-40', defaults.button_previous),
        button_next: cn(buttonVariants({ variant: 'ghost', size: 'icon-sm' }), 'select-none aria-disabled:opacity-40', defaults.button_next),
        month_caption: cn('flex h-8 w-full items-center justify-center px-8', defaults.month_caption),
        caption_label: cn('text-sm font-medium select-none', defaults.caption_label),
        month_grid: 'w-full border-collapse',
        weekdays: cn('flex', defaults.weekdays),
        weekday: cn('w-(--cell-size) rounded-md text-[0.75rem] font-normal text-muted-foreground select-none', defaults.weekday),
        week: cn('mt-1 flex w-full', defaults.week),
        day: cn('relative size-(--cell-size) p-0 text-center text-sm select-none', defaults.day),
        day_button: cn(
          'size-(--cell-size) rounded-md font-normal hover:bg-accent focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none',
          defaults.day_button,
        ),
        selected: '[&>button]:bg-primary [&>button]:text-primary-foreground [&>button]:hover:bg-primary',
        today: '[&>button]:font-semibold [&>button]:underline underline-offset-4',
        outside: 'text-muted-foreground/60',
        disabled: 'text-muted-foreground opacity-40 [&>button]:hover:bg-transparent',
        hidden: 'invisible',
        ...classNames,
      }}
      components={{
        Chevron: ({ orientation, className: chevronClass }) =>
          orientation === 'left' ? <ChevronLeftIcon className={cn('size-4', chevronClass)} /> : <ChevronRightIcon className={cn('size-4', chevronClass)} />,
      }}
      {...props}
    />
  );
}
