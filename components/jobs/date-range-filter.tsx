'use client';

import { format } from 'date-fns';
import { CalendarIcon, ChevronDownIcon } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { Calendar } from '@/components/ui/calendar';
import { Popover, PopoverContent, PopoverTrigger } from '@/components/ui/popover';
import { cn } from '@/components/ui/utils';
import { addDays, datePresets, matchPreset, maxRangeDays, presetRange, rangeDays, type DatePresetId } from '@/lib/date-ranges';
import { formatCount } from './filter-select';

const toDate = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(y, m - 1, d);
};
const toIso = (date: Date) => format(date, 'yyyy-MM-dd');
const shortDate = (iso: string, withYear: boolean) => format(toDate(iso), withYear ? 'MMM d, yyyy' : 'MMM d');

export function describeRange(from: string | undefined, to: string | undefined, today: string): string {
  const preset = matchPreset(from, to, today);
  if (preset) return datePresets.find((p) => p.id === preset)!.label;
  if (from && to) return from === to ? shortDate(from, true) : `${shortDate(from, from.slice(0, 4) !== to.slice(0, 4))} – ${shortDate(to, true)}`;
  if (from) return `From ${shortDate(from, true)}`;
  if (to) return `Until ${shortDate(to, true)}`;
  return 'All time';
}

/**
 * The date filter (spec section 9): presets, or a custom From/To range of at most 90 days within
 * the last 90 days, in the viewer's timezone. Dates are whole days.
 */
export function DateRangeFilter({
  from,
  to,
  today,
  counts,
  onChange,
}: {
  from: string | undefined;
  to: string | undefined;
  today: string;
  counts?: Record<DatePresetId, number>;
  onChange: (range: { from?: string; to?: string }) => void;
}) {
  const [open, setOpen] = useState(false);
  const active = matchPreset(from, to, today);
  const [custom, setCustom] = useState(false);
  const earliest = addDays(today, -(maxRangeDays - 1));
  const [draftFrom, setDraftFrom] = useState(from ?? addDays(today, -29));
  const [draftTo, setDraftTo] = useState(to ?? today);

  const openChange = (next: boolean) => {
    setOpen(next);
    if (next) {
      // Custom range starts at the current custom dates, or the spec's defaults: 30 days ago to today.
      const isCustom = Boolean((from || to) && !active);
      setCustom(isCustom);
      setDraftFrom(isCustom && from ? from : addDays(today, -29));
      setDraftTo(isCustom && to ? to : today);
    }
  };

  const choose = (range: { from?: string; to?: string }) => {
    onChange(range);
    setOpen(false);
  };

  const days = rangeDays(draftFrom, draftTo);
  const invalid = draftFrom > draftTo ? '"From" must not be after "To".' : days > maxRangeDays ? `The date range can be at most ${maxRangeDays} days.` : null;

  return (
    <Popover open={open} onOpenChange={openChange}>
      <PopoverTrigger asChild>
        <Button variant="outline" size="sm" aria-label="Date range filter" className="justify-between font-normal" data-active={from || to ? '' : undefined}>
          <CalendarIcon className="text-muted-foreground" />
          <span className="text-muted-foreground">Date:</span>
          <span>{describeRange(from, to, today)}</span>
          <ChevronDownIcon className="opacity-50" />
        </Button>
      </PopoverTrigger>
      <PopoverContent className="w-auto p-0" aria-label="Date range">
        <div className="flex flex-col sm:flex-row">
          <div className="flex min-w-44 flex-col gap-0.5 border-b p-2 sm:border-r sm:border-b-0" role="group" aria-label="Date presets">
            <PresetButton selected={!from && !to && !custom} onClick={() => choose({})}>
              All time
            </PresetButton>
            {datePresets.map((preset) => (
              <PresetButton key={preset.id} selected={active === preset.id && !custom} onClick={() => choose(presetRange(preset.id, today))}>
                {preset.label}
                <span className="text-muted-foreground">{formatCount(counts?.[preset.id])}</span>
              </PresetButton>
            ))}
            <PresetButton selected={custom} onClick={() => setCustom(true)}>
              Custom range
            </PresetButton>
          </div>
          {custom && (
            <div className="flex flex-col gap-3 p-3">
              <div className="flex flex-col gap-3 md:flex-row">
                <DateField label="From" value={draftFrom} earliest={earliest} latest={draftTo < today ? draftTo : today} onChange={setDraftFrom} />
                <DateField label="To" value={draftTo} earliest={draftFrom > earliest ? draftFrom : earliest} latest={today} onChange={setDraftTo} />
              </div>
              <div className="flex items-center justify-between gap-3 border-t pt-3">
                <p className={cn('text-xs', invalid ? 'text-destructive' : 'text-muted-foreground')} role={invalid ? 'alert' : undefined}>
                  {invalid ?? `${days} ${days === 1 ? 'day' : 'days'} · at most ${maxRangeDays}`}
                </p>
                <Button size="sm" disabled={Boolean(invalid)} onClick={() => choose({ from: draftFrom, to: draftTo })}>
                  Apply
                </Button>
              </div>
            </div>
          )}
        </div>
      </PopoverContent>
    </Popover>
  );
}

function PresetButton({ selected, onClick, children }: { selected: boolean; onClick: () => void; children: ReactNode }) {
  return (
    <button
      type="button"
      onClick={onClick}
      aria-pressed={selected}
      className={cn(
        'flex items-center justify-between gap-2 rounded-md px-2.5 py-1.5 text-left text-sm hover:bg-accent focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none',
        selected && 'bg-accent font-medium',
      )}
    >
      {children}
    </button>
  );
}

function DateField({ label, value, earliest, latest, onChange }: { label: string; value: string; earliest: string; latest: string; onChange: (iso: string) => void }) {
  return (
    <div className="flex flex-col gap-1" role="group" aria-label={label}>
      <div className="flex items-baseline justify-between px-1">
        <span className="text-xs font-medium text-muted-foreground">{label}</span>
        <span className="text-sm font-medium tabular" data-testid={`date-${label.toLowerCase()}`}>
          {shortDate(value, true)}
        </span>
      </div>
      <div className="rounded-md border">
        <Calendar
          mode="single"
          required
          selected={toDate(value)}
          defaultMonth={toDate(value)}
          onSelect={(date) => date && onChange(toIso(date))}
          disabled={[{ before: toDate(earliest) }, { after: toDate(latest) }]}
          startMonth={toDate(earliest)}
          endMonth={toDate(latest)}
        />
      </div>
    </div>
  );
}
