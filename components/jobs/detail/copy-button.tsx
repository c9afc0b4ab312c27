'use client';

import { CheckIcon, CopyIcon } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';

/** Copies the whole result; says "Copied" for 2 seconds (spec section 6). */
export function CopyButton({ text }: { text: string | undefined }) {
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const copy = async () => {
    if (text === undefined) return;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Clipboard API refused (no permission or insecure origin): the hidden-textarea fallback.
      const area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.appendChild(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    setCopied(true);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setCopied(false), 2000);
  };
  return (
    <Button variant="outline" size="sm" onClick={() => void copy()} disabled={text === undefined} className="min-w-[86px]" aria-live="polite">
      {copied ? <CheckIcon className="text-green-600" /> : <CopyIcon />}
      {copied ? 'Copied' : 'Copy'}
    </Button>
  );
}
