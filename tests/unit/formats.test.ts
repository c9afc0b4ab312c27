import { describe, expect, it } from 'vitest';
import type { ResultFormat } from '@/lib/jobs';
import { toFormat } from '@/workers/formats';
import { fixtureJson, fixturePage, fixturePng } from '@/tests/fixtures/server';

const url = 'https://shop.example/products/1';

function format(format: ResultFormat, body: string | Buffer, contentType = 'text/html; charset=utf-8') {
  const output = toFormat({
    format,
    body: Buffer.isBuffer(body) ? body : Buffer.from(body),
    contentType,
    url,
    statusCode: 200,
    headers: { 'content-type': contentType, 'set-cookie': ['a=1', 'b=2'] },
  });
  return { ...output, text: output.content.toString('utf8') };
}

describe('toFormat from HTML', () => {
  it('html: the page as fetched, declared as UTF-8', () => {
    const output = format('html', fixturePage);
    expect(output.contentType).toBe('text/html; charset=utf-8');
    expect(output.text).toBe(fixturePage);
  });

  it('text: readable text without markup, scripts, styles or link URLs', () => {
    const output = format('text', fixturePage);
    expect(output.contentType).toBe('text/plain; charset=utf-8');
    expect(output.text).toContain('Fixture Heading');
    expect(output.text).toContain('The first paragraph, with a link to JSON.');
    expect(output.text).toContain('First item');
    expect(output.text).not.toMatch(/<|window\.fixture|font-family|\/json|\[/);
  });

  it('markdown: ATX headings, fenced code, absolute links', () => {
    const output = format('markdown', fixturePage);
    expect(output.contentType).toBe('text/markdown; charset=utf-8');
    expect(output.text).toMatch(/^# Fixture Heading$/m);
    expect(output.text).toMatch(/^## Second Heading$/m);
    expect(output.text).toContain('```\nconst answer = 42;\n```');
    expect(output.text).toContain('[a link to JSON](https://shop.example/json)');
    expect(output.text).not.toMatch(/window\.fixture|font-family|Fixture Page/);
  });

  it('json: a document with url, status, headers, title and text', () => {
    const output = format('json', fixturePage);
    expect(output.contentType).toBe('application/json; charset=utf-8');
    const document = JSON.parse(output.text);
    expect(document).toMatchObject({ url, statusCode: 200, title: 'Fixture Page' });
    expect(document.headers).toEqual({ 'content-type': 'text/html; charset=utf-8', 'set-cookie': 'a=1, b=2' });
    expect(document.text).toContain('The first paragraph, with a link to JSON.');
  });

  it('decodes the declared charset and re-encodes as UTF-8', () => {
    const page = '<html><head><title>Caf\xe9</title></head><body><p>Cr\xe8me br\xfbl\xe9e</p></body></html>';
    const latin1 = Buffer.from(page, 'latin1');
    expect(format('html', latin1, 'text/html; charset=iso-8859-1').text).toContain('<p>Crème brûlée</p>');
    expect(JSON.parse(format('json', latin1, 'text/html; charset=windows-1252').text).title).toBe('Café');
  });

  it('falls back to the <meta charset> when the header has none', () => {
    const page = Buffer.from('<html><head><meta charset="iso-8859-1"></head><body>Caf\xe9</body></html>', 'latin1');
    expect(format('text', page, 'text/html').text).toBe('Café');
    expect(format('html', page, 'text/html').text).toContain('<meta charset="utf-8">');
  });

  it('handles an empty page', () => {
    expect(format('text', '').text).toBe('');
    expect(format('markdown', '').text).toBe('');
    expect(JSON.parse(format('json', '').text)).toMatchObject({ title: null, text: '' });
  });
});

describe('toFormat from JSON', () => {
  const source = JSON.stringify(fixtureJson);

  it('json: the target JSON, pretty-printed', () => {
    const output = format('json', source, 'application/json');
    expect(output.contentType).toBe('application/json; charset=utf-8');
    expect(output.text).toBe(JSON.stringify(fixtureJson, null, 2));
  });

  it('json: malformed JSON is kept as fetched', () => {
    expect(format('json', '{"broken": ', 'application/json').text).toBe('{"broken": ');
  });

  it('text and markdown: pretty JSON, fenced in markdown', () => {
    expect(format('text', source, 'application/json').text).toBe(JSON.stringify(fixtureJson, null, 2));
    expect(format('markdown', source, 'application/problem+json').text).toBe(
      `\`\`\`json\n${JSON.stringify(fixtureJson, null, 2)}\n\`\`\`\n`,
    );
  });

  it('html: returned as fetched under its own type', () => {
    const output = format('html', source, 'application/json');
    expect(output).toMatchObject({ contentType: 'application/json; charset=utf-8', text: source });
  });
});

describe('toFormat from other text', () => {
  const plain = 'Plain text.\n<not a tag> & more';

  it('passes plain text through text and markdown untouched', () => {
    expect(format('text', plain, 'text/plain').text).toBe(plain);
    expect(format('markdown', plain, 'text/plain').text).toBe(plain);
  });

  it('wraps plain text in the json document without a title', () => {
    expect(JSON.parse(format('json', plain, 'text/plain').text)).toMatchObject({ title: null, text: plain });
  });
});

describe('toFormat from binary', () => {
  it.each(['html', 'text', 'markdown', 'json'] as const)('%s: keeps the bytes and their type', (requested) => {
    const input = { body: fixturePng, contentType: 'image/png', url, statusCode: 200, headers: {} };
    const output = toFormat({ format: requested, ...input });
    expect(output.contentType).toBe('image/png');
    expect(output.content.equals(fixturePng)).toBe(true);
  });
});
