import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '@/lib/database-errors';
import { findUnstorableText, nestsDeeperThan } from '@/lib/schemas/strings';

describe('isDatabaseUnavailable', () => {
  it('recognises a database that is away, however the client reports it', () => {
    const wrapped = (cause: unknown) => Object.assign(new Error('Failed query: select 1'), { cause });
    for (const error of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('write CONNECTION_CLOSED'), { code: 'CONNECTION_CLOSED' }),
      wrapped(Object.assign(new Error('the database system is starting up'), { code: '57P03' })),
      wrapped(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })),
      wrapped(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' })),
      Object.assign(new Error('connection failure'), { code: '08006' }),
      new Error('Connection terminated unexpectedly'),
      Object.assign(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]), {}),
    ]) {
      expect(isDatabaseUnavailable(error), error.message).toBe(true);
    }
  });

  it('leaves statement errors and everything else internal errors', () => {
    for (const error of [
      Object.assign(new Error('duplicate key'), { code: '23505' }),
      Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' }),
      new RangeError('Invalid time value'),
      'a string',
      null,
    ]) {
      expect(isDatabaseUnavailable(error)).toBe(false);
    }
  });
});

describe('text Postgres cannot store', () => {
  it('names every field, key or value, holding a NUL or a lone surrogate', () => {
    expect(findUnstorableText({ url: 'https://example.com', cookies: { a: 'x\u0000' }, tags: ['ok', '\ud800'], ['k\u0000']: 1 })).toEqual([
      'cookies.a',
      'tags.1',
      'k\\u0000',
    ]);
    expect(findUnstorableText({ emoji: '\ud83d\ude00', text: 'plain' })).toEqual([]);
  });

  it('measures nesting without walking past the limit', () => {
    const deep = JSON.parse(`${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    expect(nestsDeeperThan(deep)).toBe(true);
    expect(nestsDeeperThan({ a: { b: [1, 2, { c: 3 }] } })).toBe(false);
  });
});
