'use client';

import { WandSparklesIcon } from 'lucide-react';
import { useId } from 'react';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Label } from '@/components/ui/label';
import { Textarea } from '@/components/ui/textarea';
import { Field } from './form-parts';
import type { SectionProps } from './form-sections';

/** A field map that shows each kind of rule: a selector, an attribute, and a nested list of objects. */
export const extractExample = JSON.stringify(
  {
    title: 'h1',
    products: {
      selector: '.product',
      fields: {
        name: 'h2',
        price: '.price',
        link: { selector: 'a', attr: 'href' },
      },
    },
  },
  null,
  2,
);

/**
 * The job's extraction rules (JSON, checked on blur and on submit) and whether its runs are
 * compared with the previous one. `checkExtract` shows the rules' syntax error, if any.
 */
export function ExtractSection({ values, errors, set, checkExtract }: SectionProps & { checkExtract: () => void }) {
  const ids = { rules: useId(), track: useId() };
  return (
    <Card aria-labelledby="extract-title">
      <CardHeader>
        <CardTitle id="extract-title">Extraction rules</CardTitle>
        <span className="text-xs text-muted-foreground">Optional; not part of the saved defaults</span>
      </CardHeader>
      <CardContent className="flex flex-col gap-5">
        <Field
          id={ids.rules}
          label="Rules (JSON)"
          error={errors.extract}
          hint='Field → CSS selector, or {"selector", "attr", "multiple", "fields"} for attributes and lists; or a JSON Schema with "x-selector" on its properties. A field is required unless "required": false.'
        >
          <Textarea
            id={ids.rules}
            value={values.extract}
            onChange={(event) => set('extract', event.target.value)}
            onBlur={checkExtract}
            rows={values.extract ? Math.min(Math.max(values.extract.split('\n').length, 6), 24) : 4}
            placeholder={'{"title": "h1", "links": {"selector": "a", "attr": "href", "multiple": true}}'}
            spellCheck={false}
            autoCapitalize="off"
            autoCorrect="off"
            aria-invalid={errors.extract ? true : undefined}
            aria-describedby={`${ids.rules}-note`}
            className="font-mono text-xs"
          />
        </Field>
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
          {/* Fills an empty editor only: typed rules are never overwritten. */}
          <Button type="button" variant="outline" size="xs" onClick={() => set('extract', extractExample)} disabled={values.extract.trim() !== ''}>
            <WandSparklesIcon />
            Insert example
          </Button>
          <span className="text-xs text-muted-foreground">The job&apos;s result gains an extracted document, shown as a table on the job page.</span>
        </div>
        <div className="flex items-start gap-3">
          <input
            id={ids.track}
            type="checkbox"
            checked={values.trackChanges}
            onChange={(event) => set('trackChanges', event.target.checked)}
            aria-describedby={`${ids.track}-note`}
            className="mt-0.5 size-4 accent-primary"
          />
          <div className="grid gap-1">
            <Label htmlFor={ids.track}>Track changes</Label>
            <p id={`${ids.track}-note`} className="text-xs text-muted-foreground">
              Compare each run&apos;s content with the previous run of the same URL
            </p>
          </div>
        </div>
      </CardContent>
    </Card>
  );
}
