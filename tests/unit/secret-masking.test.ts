import { describe, expect, it } from 'vitest';
import { maskConfigSecrets, restoreKeptSecrets } from '@/lib/secret-masking';

const config = {
  method: 'GET',
  headers: { Authorization: 'Bearer top-secret-value', 'X-Trace': 'visible', 'x-api-key': 'k-123', 'X-Session-Token': 'tok' },
  cookies: { session: 'abcdefghijkl', theme: 'dark' },
};

describe('job secrets for the dashboard', () => {
  it('masks credential headers and cookie values after 4 characters, naming what it masked', () => {
    const { config: masked, maskedSecrets } = maskConfigSecrets(config);
    expect(JSON.stringify(masked)).not.toMatch(/top-secret-value|k-123|abcdefghijkl|"tok"/);
    expect(masked.headers['X-Trace']).toBe('visible');
    expect(masked.headers.Authorization).toMatch(/^•{16}$/);
    expect(masked.cookies).toEqual({ session: 'abcd••••••••', theme: 'dark' });
    expect(maskedSecrets).toEqual({ headers: ['Authorization', 'x-api-key', 'X-Session-Token'], cookies: ['session', 'theme'] });
    expect(config.headers.Authorization).toBe('Bearer top-secret-value');
  });

  it('puts the saved values back only where the clone kept them', () => {
    const body = { url: 'https://example.com', headers: { Authorization: '', 'X-Trace': 'visible', 'x-api-key': 'typed-new' }, cookies: { session: '', theme: 'light' } };
    const restored = restoreKeptSecrets(body, { original: config, kept: { headers: ['Authorization', 'Not-There'], cookies: ['session'] } });
    expect(restored.headers).toEqual({ Authorization: 'Bearer top-secret-value', 'X-Trace': 'visible', 'x-api-key': 'typed-new' });
    expect(restored.cookies).toEqual({ session: 'abcdefghijkl', theme: 'light' });
  });
});
