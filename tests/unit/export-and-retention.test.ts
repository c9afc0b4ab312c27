import { describe, expect, it } from 'vitest';
import { csvField, csvHeader, csvRecord, exportWarning, jsonEnd, jsonRecord, type ExportRecord } from '@/lib/export';
import { describeRetention } from '@/lib/retention';

const record = (n: number): ExportRecord => ({
  jobId: `00000000-0000-4000-8000-00000000000${n}`,
  status: 'failed',
  targetUrl: `https://example.com/${n}?a=1,2`,
  engine: 'http',
  apiKeyName: 'Key',
  credits: 1,
  durationSeconds: 0.25,
  createdAt: '2026-02-08T09:14:32.000Z',
  completedAt: null,
  errorType: 'TIMEOUT',
  name: null,
  tags: ['daily', 'shop:eu'],
  priority: 'high',
});

describe('CSV fields', () => {
  it('quotes what needs quoting, doubles quotes and escapes newlines', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField(null)).toBe('');
    expect(csvField(0.25)).toBe('0.25');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(' padded ')).toBe('" padded "');
    expect(csvField('one\r\ntwo\nthree\rfour')).toBe('one\\ntwo\\nthree\\rfour');
    expect(csvField('a,\nb')).toBe('"a,\\nb"');
  });

  it('writes CRLF rows in the spec order', () => {
    expect(csvHeader).toBe('Job ID,Status,Target URL,Engine,API Key Name,Credits,Duration (seconds),Created At,Completed At,Error Type,Name,Tags,Priority\r\n');
    expect(csvRecord(record(1))).toBe(
      '00000000-0000-4000-8000-000000000001,failed,"https://example.com/1?a=1,2",http,Key,1,0.25,2026-02-08T09:14:32.000Z,,TIMEOUT,,daily shop:eu,high\r\n',
    );
  });
});

describe('JSON written record by record', () => {
  it('is byte for byte JSON.stringify(all, null, 2) plus a final newline', () => {
    for (const n of [0, 1, 3]) {
      const all = Array.from({ length: n }, (_, i) => record(i));
      const streamed = all.map((r, i) => jsonRecord(r, i)).join('') + jsonEnd(all.length);
      expect(streamed).toBe(`${JSON.stringify(all, null, 2)}\n`);
    }
  });
});

describe('export warning', () => {
  it('appears only past 10,000 jobs, with the count written out', () => {
    expect(exportWarning(10_000)).toBeNull();
    expect(exportWarning(1_234_567)).toBe('Your filters match 1,234,567 jobs. Only the most recent 10,000 will be exported.');
  });
});

describe('retention notices', () => {
  const settings = { logsDays: 90, resultsDays: 30, screenshotsDays: 14, eventsDays: 30 };
  const now = Date.parse('2026-03-01T12:00:00Z');
  const daysAgo = (days: number) => new Date(now - days * 86_400_000);
  const noticesAt = (resultAge: number, screenshotAge: number) =>
    describeRetention({
      settings,
      now,
      jobCreatedAt: daysAgo(resultAge),
      logsPurgedAt: null,
      result: { createdAt: daysAgo(resultAge), purgedAt: null },
      screenshot: { createdAt: daysAgo(screenshotAge), purgedAt: null },
    }).notices;

  it('warns about results under 7 days left and screenshots under 3, never about logs', () => {
    expect(noticesAt(23, 11)).toEqual({ result: null, screenshot: null, logs: null });
    expect(noticesAt(23.5, 11.5)).toEqual({
      result: 'Result data will be deleted in 7 days. Download now to preserve it.',
      screenshot: 'Screenshot will be deleted in 3 days. Download now to preserve it.',
      logs: null,
    });
    expect(noticesAt(29.9, 13.9).result).toBe('Result data will be deleted in 1 day. Download now to preserve it.');
  });
});
