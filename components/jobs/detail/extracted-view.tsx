'use client';

import { useState, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { CopyButton } from './copy-button';

// The extracted data of a job with extraction rules: a table (flat fields as rows, a list of
// objects as a nested table, a list of values as chips) or a collapsible tree, with copy.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (value: Json): value is { [key: string]: Json } => typeof value === 'object' && value !== null && !Array.isArray(value);
const isListOfObjects = (value: Json): value is { [key: string]: Json }[] => Array.isArray(value) && value.length > 0 && value.every(isObject);

function Scalar({ value }: { value: Json }) {
  if (value === null) return <span className="text-muted-foreground italic">null</span>;
  if (typeof value === 'number' || typeof value === 'boolean') return <span className="font-mono tabular">{String(value)}</span>;
  return <span className="[overflow-wrap:anywhere]">{String(value)}</span>;
}

function Value({ value }: { value: Json }): ReactNode {
  if (isListOfObjects(value)) return <ObjectsTable rows={value} />;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="text-muted-foreground italic">empty list</span>;
    return (
      <ul className="flex flex-wrap gap-1.5">
        {value.map((item, i) => (
          <li key={i} className="rounded border bg-muted/40 px-1.5 py-0.5 text-xs">
            {isObject(item) || Array.isArray(item) ? <code>{JSON.stringify(item)}</code> : <Scalar value={item} />}
          </li>
        ))}
      </ul>
    );
  }
  if (isObject(value)) return <FieldsTable document={value} />;
  return <Scalar value={value} />;
}

/** A list of objects: one row per object, a column per key any of them has. */
function ObjectsTable({ rows }: { rows: { [key: string]: Json }[] }) {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return (
    <div className="overflow-x-auto rounded-md border">
      <table className="w-full text-xs" data-testid="extracted-list">
        <thead className="bg-muted/50 text-left text-muted-foreground">
          <tr>
            <th className="px-2 py-1.5 font-medium">#</th>
            {columns.map((column) => (
              <th key={column} className="px-2 py-1.5 font-medium">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i} className="border-t align-top">
              <td className="px-2 py-1.5 text-muted-foreground tabular">{i + 1}</td>
              {columns.map((column) => (
                <td key={column} className="px-2 py-1.5">
                  {column in row ? <Value value={row[column]} /> : <span className="text-muted-foreground">—</span>}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function FieldsTable({ document }: { document: { [key: string]: Json } }) {
  return (
    <table className="w-full text-sm" data-testid="extracted-table">
      <tbody>
        {Object.entries(document).map(([field, value]) => (
          <tr key={field} className="border-t first:border-t-0 align-top">
            <th scope="row" className="w-40 py-2 pr-4 text-left font-mono text-xs font-medium text-muted-foreground">
              {field}
            </th>
            <td className="py-2">
              <Value value={value} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TreeNode({ name, value }: { name: string; value: Json }) {
  if (!isObject(value) && !Array.isArray(value)) {
    return (
      <li className="py-0.5">
        <span className="font-mono text-xs text-muted-foreground">{name}:</span> <Scalar value={value} />
      </li>
    );
  }
  const entries = Array.isArray(value) ? value.map((item, i) => [String(i), item] as const) : Object.entries(value);
  return (
    <li className="py-0.5">
      <details open>
        <summary className="cursor-pointer font-mono text-xs text-muted-foreground">
          {name} <span className="opacity-70">{Array.isArray(value) ? `[${value.length}]` : `{${entries.length}}`}</span>
        </summary>
        <ul className="ml-3 border-l pl-3">
          {entries.map(([key, item]) => (
            <TreeNode key={key} name={key} value={item} />
          ))}
        </ul>
      </details>
    </li>
  );
}

export function ExtractedView({ extracted }: { extracted: Record<string, unknown> }) {
  const [mode, setMode] = useState<'table' | 'tree'>('table');
  const document = extracted as { [key: string]: Json };
  return (
    <Card aria-labelledby="extracted-title" data-testid="extracted-section">
      <CardHeader className="flex-row flex-wrap items-center justify-between gap-2">
        <CardTitle id="extracted-title">Extracted Data</CardTitle>
        <div className="flex items-center gap-2">
          <div className="flex rounded-md border p-0.5" role="group" aria-label="View as">
            {(['table', 'tree'] as const).map((option) => (
              <Button key={option} size="xs" variant={mode === option ? 'secondary' : 'ghost'} aria-pressed={mode === option} onClick={() => setMode(option)}>
                {option === 'table' ? 'Table' : 'Tree'}
              </Button>
            ))}
          </div>
          <CopyButton text={JSON.stringify(extracted, null, 2)} />
        </div>
      </CardHeader>
      <CardContent>
        {mode === 'table' ? (
          <FieldsTable document={document} />
        ) : (
          <ul className="text-sm" data-testid="extracted-tree">
            {Object.entries(document).map(([field, value]) => (
              <TreeNode key={field} name={field} value={value} />
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
