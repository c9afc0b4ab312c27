import { describe, expect, it } from 'vitest';
import { webhookHostRefusal } from '@/lib/egress';

// The one rule for webhook hosts (issue 13): the same answer for an endpoint, a job's and a
// batch's own webhookUrl, at creation and at delivery, with the allow-list honoured the same way.

describe('webhookHostRefusal', () => {
  const closed = { allow: [] };
  const loopback = { allow: ['127.0.0.1/32'] };

  it('refuses internal addresses however spelled, and allows public ones', () => {
    for (const host of ['10.0.0.8', '127.0.0.1', '[::1]', '[::ffff:127.0.0.1]', '169.254.169.254', '192.168.1.1', '100.64.0.1']) {
      expect(webhookHostRefusal(host, closed), host).not.toBeNull();
    }
    for (const host of ['93.184.216.34', 'example.com', '[2606:2800:220:1:248:1893:25c8:1946]']) expect(webhookHostRefusal(host, closed), host).toBeNull();
  });

  it('judges localhost as the loopback address it names, so the allow-list admits it', () => {
    expect(webhookHostRefusal('localhost', closed)).toBe('a loopback name (localhost)');
    expect(webhookHostRefusal('api.localhost', closed)).not.toBeNull();
    expect(webhookHostRefusal('localhost', loopback)).toBeNull();
    expect(webhookHostRefusal('127.0.0.1', loopback)).toBeNull();
    expect(webhookHostRefusal('[::1]', loopback)).not.toBeNull();
  });

  it('refuses internal-only names unless an allow-list is set (then their addresses decide at delivery)', () => {
    for (const host of ['printer.local', 'db.internal', 'nas.lan', 'router.home.arpa']) {
      expect(webhookHostRefusal(host, closed), host).toBe('an internal name');
      expect(webhookHostRefusal(host, loopback), host).toBeNull();
    }
  });

  it('never admits a cloud metadata address, allow-list or not', () => {
    expect(webhookHostRefusal('169.254.169.254', { allow: ['169.254.0.0/16'] })).toContain('metadata');
  });
});
