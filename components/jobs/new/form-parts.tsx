import { AlertCircleIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { cn } from '@/components/ui/utils';

/** A labelled input with its hint, or its error in the hint's place (same id, so aria-describedby holds). */
export function Field({ id, label, hint, error, children }: { id?: string; label: string; hint?: string; error?: string; children: ReactNode }) {
  return (
    <div className="flex min-w-0 flex-col gap-2">
      {id ? (
        <Label htmlFor={id}>{label}</Label>
      ) : (
        <span className="text-sm leading-none font-medium">{label}</span>
      )}
      {children}
      {error ? (
        <p id={id ? `${id}-note` : undefined} className="text-xs text-destructive" data-testid="field-error">
          {error}
        </p>
      ) : hint ? (
        <p id={id ? `${id}-note` : undefined} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** A warning or an error in the summary panel. */
export function Notice({ children, tone = 'warning' }: { children: ReactNode; tone?: 'warning' | 'error' }) {
  return (
    <p
      role={tone === 'error' ? 'alert' : 'note'}
      className={cn(
        'flex gap-2 rounded-md border px-3 py-2 text-[13px]',
        tone === 'error' ? 'border-red-200 bg-red-50 text-red-800' : 'border-amber-200 bg-amber-50 text-amber-900',
      )}
    >
      <AlertCircleIcon className="mt-0.5 size-4 shrink-0" />
      <span>{children}</span>
    </p>
  );
}

/** A select over a fixed list of options, each shown by its label. */
export function ChoiceSelect<T extends string>({
  label,
  value,
  options,
  labels,
  onChange,
  disabled,
  className,
  itemClassName,
}: {
  label: string;
  value: T;
  options: readonly T[];
  labels?: Record<T, string>;
  onChange: (value: T) => void;
  disabled?: boolean;
  className?: string;
  itemClassName?: string;
}) {
  return (
    <Select value={value} onValueChange={(next) => onChange(next as T)} disabled={disabled}>
      <SelectTrigger aria-label={label} className={className}>
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        {options.map((option) => (
          <SelectItem key={option} value={option} className={itemClassName}>
            {labels?.[option] ?? option}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
