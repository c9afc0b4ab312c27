// Turns a fetched body into the job's requested format (html, text, markdown, json). Binary
// bodies are never converted: they are kept as fetched, with their own content type.

import { load } from 'cheerio';
import { convert } from 'html-to-text';
import TurndownService from 'turndown';
import { isTextual, type ResultFormat } from '@/lib/jobs';

export type FormatInput = {
  format: ResultFormat;
  body: Buffer;
  contentType: string;
  url: string;
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
};

export type FormatOutput = {
  content: Buffer;
  contentType: string;
  /** The decoded page when the body is HTML, whatever the format: what links and extraction rules read. */
  html?: string;
};

type SourceKind = 'html' | 'json' | 'other';

const turndown = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-' });
turndown.remove(['script', 'style', 'noscript', 'template', 'iframe']);

function mimeType(contentType: string): string {
  return contentType.split(';')[0].trim().toLowerCase();
}

function sourceKind(contentType: string): SourceKind {
  const type = mimeType(contentType);
  if (type === 'text/html' || type === 'application/xhtml+xml') return 'html';
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  return 'other';
}

const metaCharset = /(<meta[^>]+charset\s*=\s*["']?)([\w.:-]+)/i;

/** The charset from the Content-Type, else from an HTML <meta>, else UTF-8. */
function charsetOf(body: Buffer, contentType: string, kind: SourceKind): string {
  const declared = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType)?.[1];
  if (declared) return declared;
  if (kind !== 'html') return 'utf-8';
  return metaCharset.exec(body.subarray(0, 2048).toString('latin1'))?.[2] ?? 'utf-8';
}

/** The body as a string; a re-encoded HTML page's <meta charset> is updated to say UTF-8. */
function decode(body: Buffer, contentType: string, kind: SourceKind): string {
  const charset = charsetOf(body, contentType, kind);
  let text: string;
  try {
    text = new TextDecoder(charset).decode(body);
  } catch {
    // An unknown charset label: UTF-8 is the best remaining guess.
    return new TextDecoder('utf-8').decode(body);
  }
  return kind === 'html' && !/^utf-?8$/i.test(charset) ? text.replace(metaCharset, '$1utf-8') : text;
}

function prettyJson(source: string): string | null {
  try {
    return JSON.stringify(JSON.parse(source), null, 2);
  } catch {
    return null;
  }
}

export function htmlToText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'noscript', format: 'skip' },
      ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    ],
  }).trim();
}

/** Markdown of the page body, with links and images made absolute against `baseUrl`. */
export function htmlToMarkdown(html: string, baseUrl: string): string {
  const $ = load(html);
  for (const [selector, attribute] of [['a[href]', 'href'], ['img[src]', 'src']] as const) {
    $(selector).each((_, element) => {
      const value = $(element).attr(attribute) ?? '';
      if (URL.canParse(value, baseUrl)) $(element).attr(attribute, new URL(value, baseUrl).href);
    });
  }
  const body = $('body').html() ?? $.html();
  return turndown.turndown(body).trim();
}

const titlePattern = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i;

/**
 * The document's title. Found by pattern rather than by parsing the whole page: every HTTP job
 * reads it (block-page check), and parsing a page to DOM cost more than any other step of a job.
 * Only the title's own text is handed to the parser, to decode its entities.
 */
export function htmlTitle(html: string): string | null {
  const text = titlePattern.exec(html)?.[1];
  if (text === undefined) return null;
  const decoded = text.includes('&') ? load(`<title>${text}</title>`)('title').text() : text;
  return decoded.trim() || null;
}

function flattenHeaders(headers: FormatInput['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function output(text: string, contentType: string): FormatOutput {
  return { content: Buffer.from(text, 'utf8'), contentType: `${contentType}; charset=utf-8` };
}

export function toFormat(input: FormatInput): FormatOutput {
  const { format, body, contentType } = input;
  if (!isTextual(contentType)) return { content: body, contentType };

  const kind = sourceKind(contentType);
  const source = decode(body, contentType, kind);
  const converted = convertSource(input, kind, source);
  return kind === 'html' ? { ...converted, html: source } : converted;
}

function convertSource(input: FormatInput, kind: SourceKind, source: string): FormatOutput {
  const { format, contentType } = input;
  switch (format) {
    case 'html':
      // Non-HTML text (JSON, XML, plain text) is returned as fetched under its own type.
      return output(source, kind === 'html' ? 'text/html' : mimeType(contentType));
    case 'text':
      if (kind === 'html') return output(htmlToText(source), 'text/plain');
      return output(kind === 'json' ? (prettyJson(source) ?? source) : source, 'text/plain');
    case 'markdown':
      if (kind === 'html') return output(htmlToMarkdown(source, input.url), 'text/markdown');
      if (kind === 'json') return output(`\`\`\`json\n${prettyJson(source) ?? source}\n\`\`\`\n`, 'text/markdown');
      return output(source, 'text/markdown');
    case 'json': {
      if (kind === 'json') return output(prettyJson(source) ?? source, 'application/json');
      const document = {
        url: input.url,
        statusCode: input.statusCode,
        headers: flattenHeaders(input.headers),
        title: kind === 'html' ? htmlTitle(source) : null,
        text: kind === 'html' ? htmlToText(source) : source,
      };
      return output(JSON.stringify(document, null, 2), 'application/json');
    }
  }
}
