import { describe, expect, it } from 'vitest';
import { parseListParams, toSearchString } from '@/components/jobs/list-params';
import { splitUrl, tailStart } from '@/components/jobs/url-text';
import { durationText } from '@/components/jobs/job-duration';

describe('the jobs list URL', () => {
  it('names a date range it cannot apply and keeps every other filter', () => {
    const params = parseListParams(new URLSearchParams('status=completed&engine=browser&from=2026-01-01&to=2026-04-30&page=2'));
    expect(params).toMatchObject({ status: 'completed', engine: 'browser', from: undefined, to: undefined, page: 2 });
    expect(params.dateIssue).toBe('The date range can be at most 90 days.');
    expect(toSearchString(params)).toBe('?status=completed&engine=browser&page=2');
    expect(parseListParams(new URLSearchParams('from=2026-13-45')).dateIssue).toBe('"2026-13-45" is not a date (YYYY-MM-DD).');
    expect(parseListParams(new URLSearchParams('from=2026-02-10&to=2026-02-01')).dateIssue).toBe('"From" must not be after "To".');
    expect(parseListParams(new URLSearchParams('from=2026-01-01&to=2026-03-31')).dateIssue).toBeUndefined();
  });
});

describe('the list rows', () => {
  it('shows the host and the end of the path from a boundary', () => {
    const { host, rest } = splitUrl('https://shop.example.com/catalog/electronics/laptops/gaming-notebooks?page=93&sort=price-desc');
    expect(host).toBe('shop.example.com');
    expect(rest.slice(tailStart(rest))).toBe('?page=93&sort=price-desc');
    expect(splitUrl('http://127.0.0.1:8765')).toEqual({ host: '127.0.0.1:8765', rest: '' });
  });

  it('shows no duration for queued, cancelled and expired jobs', () => {
    expect(durationText({ status: 'cancelled', durationMs: 26_600 })).toBe('--');
    expect(durationText({ status: 'queued', durationMs: null })).toBe('--');
    expect(durationText({ status: 'expired', durationMs: null })).toBe('--');
    expect(durationText({ status: 'failed', durationMs: 1_234 })).toBe('1.2s');
  });
});
