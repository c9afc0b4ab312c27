// A job's method, body, headers and cookies applied to a browser page. Cookies go into the
// context's jar for the target URL; headers, method and body are set on the target's own
// documents only (the first navigation, its same-origin redirects and frames, through the
// DevTools Fetch domain), so credentials are never sent to third parties the page loads from.

import type { Page, Protocol } from 'puppeteer-core';
import type { EngineRequest } from '@/workers/engines/types';

function lowercaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** Call before the first navigation; a page whose job sets none of these is left untouched. */
export async function applyRequestOptions(page: Page, { request, target }: { request: EngineRequest; target: URL }): Promise<void> {
  const cookies = Object.entries(request.cookies);
  const headers = lowercaseKeys(request.headers);
  const overridesMethod = request.method !== 'GET' || request.body !== undefined;
  if (cookies.length === 0 && Object.keys(headers).length === 0 && !overridesMethod) return;

  const cdp = await page.createCDPSession();
  if (cookies.length > 0) {
    const url = target.href;
    await cdp.send('Network.setCookies', { cookies: cookies.map(([name, value]) => ({ name, value, url, path: '/' })) });
  }
  if (Object.keys(headers).length === 0 && !overridesMethod) return;

  let first = true;
  cdp.on('Fetch.requestPaused', (event) => {
    const navigation = first;
    first = false;
    const params: Protocol.Fetch.ContinueRequestRequest = { requestId: event.requestId };
    const sameOrigin = URL.canParse(event.request.url) && new URL(event.request.url).origin === target.origin;
    if (sameOrigin && Object.keys(headers).length > 0) {
      const merged = { ...lowercaseKeys(event.request.headers), ...headers };
      params.headers = Object.entries(merged).map(([name, value]) => ({ name, value }));
    }
    if (navigation && request.method !== 'GET') params.method = request.method;
    if (navigation && request.body !== undefined && request.method !== 'GET' && request.method !== 'HEAD') {
      params.postData = Buffer.from(request.body, 'utf8').toString('base64');
    }
    // Fails only when the page is already closing; the request dies with it.
    cdp.send('Fetch.continueRequest', params).catch(() => {});
  });
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*', resourceType: 'Document', requestStage: 'Request' }] });
}
