'use client';

import { Highlight, themes, type Language } from 'prism-react-renderer';
import { memo } from 'react';
import { cn } from '@/components/ui/utils';

export type CodeLanguage = 'markup' | 'json' | 'markdown' | 'text';

/** Past this size, tokenising would freeze the tab: the text is shown plain (with line numbers). */
const maxHighlightChars = 512 * 1024;

/**
 * A scrollable code block with line numbers (spec section 6): highlighted for HTML, JSON and raw
 * markdown; wrapped or horizontally scrolling. Ctrl/Cmd+F works because every line is real text.
 */
export const CodeView = memo(function CodeView({ code, language, wrap, className }: { code: string; language: CodeLanguage; wrap: boolean; className?: string }) {
  const lineClass = 'table-row';
  const numberClass = 'table-cell w-px select-none whitespace-nowrap border-r bg-muted/50 pr-3 pl-3 text-right align-top text-muted-foreground/70 tabular';
  const textClass = cn('table-cell pr-4 pl-3 align-top', wrap ? 'whitespace-pre-wrap break-all' : 'whitespace-pre');
  const frame = cn('max-h-[560px] overflow-auto rounded-lg border bg-card font-mono text-[12.5px] leading-5', className);

  if (language === 'text' || code.length > maxHighlightChars) {
    const lines = code.split('\n');
    return (
      <div className={frame} data-testid="code-view" data-language={language}>
        <div className="table min-w-full py-2">
          {lines.map((line, i) => (
            <div key={i} className={lineClass}>
              <span className={numberClass}>{i + 1}</span>
              <span className={textClass}>{line || ' '}</span>
            </div>
          ))}
        </div>
      </div>
    );
  }

  return (
    <Highlight theme={themes.github} code={code} language={language as Language}>
      {({ tokens, getLineProps, getTokenProps }) => (
        <div className={frame} data-testid="code-view" data-language={language}>
          <div className="table min-w-full py-2">
            {tokens.map((line, i) => {
              const { className: lineProps, ...rest } = getLineProps({ line });
              return (
                <div key={i} className={cn(lineClass, lineProps)} {...rest} style={undefined}>
                  <span className={numberClass}>{i + 1}</span>
                  <span className={textClass}>
                    {line.map((token, key) => (
                      <span key={key} {...getTokenProps({ token })} />
                    ))}
                    {line.length === 1 && line[0].empty ? ' ' : null}
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      )}
    </Highlight>
  );
});
