'use client';

import { Select, SelectContent, SelectItem, SelectSeparator, SelectTrigger, SelectValue } from '@/components/ui/select';

export type FilterOption = { value: string; label: string; count?: number; separatorBefore?: boolean };

const allValue = '__all__';

export function formatCount(n: number | undefined): string {
  return n === undefined ? '' : ` (${n.toLocaleString('en-US')})`;
}

/** A single-choice dropdown filter: "Status: All", each option with its count in parentheses. */
export function FilterSelect({
  name,
  value,
  options,
  allCount,
  onChange,
  className,
}: {
  name: string;
  value: string | undefined;
  options: FilterOption[];
  allCount?: number;
  onChange: (value: string | undefined) => void;
  className?: string;
}) {
  const selected = options.find((option) => option.value === value);
  return (
    <Select value={value ?? allValue} onValueChange={(next) => onChange(next === allValue ? undefined : next)}>
      <SelectTrigger size="sm" aria-label={`${name} filter`} data-active={value ? '' : undefined} className={className}>
        <SelectValue>
          <span className="flex min-w-0 items-center gap-1">
            <span className="text-muted-foreground">{name}:</span>
            <span className="truncate">{selected?.label ?? 'All'}</span>
          </span>
        </SelectValue>
      </SelectTrigger>
      <SelectContent>
        <SelectItem value={allValue}>All{formatCount(allCount)}</SelectItem>
        {options.map((option) => [
          option.separatorBefore ? <SelectSeparator key={`${option.value}-sep`} /> : null,
          <SelectItem key={option.value} value={option.value}>
            {option.label}
            {formatCount(option.count)}
          </SelectItem>,
        ])}
      </SelectContent>
    </Select>
  );
}
