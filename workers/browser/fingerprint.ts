// The Stealth engine's disguise: one generated fingerprint per job from Apify's
// fingerprint-suite (fingerprint-generator's Bayesian network, so user agent, client hints,
// platform, screen, WebGL and hardware values come from one real-world-like device), applied
// with fingerprint-injector's in-page script. The browser-side half (user agent and client hints
// for both HTTP and JavaScript, viewport, timezone, languages) is set here through Chromium's
// own emulation so that headers, navigator and workers all agree.

import { FingerprintGenerator, type BrowserFingerprintWithHeaders } from 'fingerprint-generator';
import { FingerprintInjector } from 'fingerprint-injector';
import type { Page } from 'puppeteer-core';
import { log } from '@/lib/log';

type Region = { locale: string; timezones: string[] };

/** Language and timezone to match the proxy's exit country; US when there is no proxy. */
const regions: Record<string, Region> = {
  us: { locale: 'en-US', timezones: ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'] },
  ca: { locale: 'en-CA', timezones: ['America/Toronto', 'America/Vancouver'] },
  gb: { locale: 'en-GB', timezones: ['Europe/London'] },
  ie: { locale: 'en-IE', timezones: ['Europe/Dublin'] },
  au: { locale: 'en-AU', timezones: ['Australia/Sydney', 'Australia/Melbourne'] },
  de: { locale: 'de-DE', timezones: ['Europe/Berlin'] },
  at: { locale: 'de-AT', timezones: ['Europe/Vienna'] },
  ch: { locale: 'de-CH', timezones: ['Europe/Zurich'] },
  fr: { locale: 'fr-FR', timezones: ['Europe/Paris'] },
  es: { locale: 'es-ES', timezones: ['Europe/Madrid'] },
  it: { locale: 'it-IT', timezones: ['Europe/Rome'] },
  nl: { locale: 'nl-NL', timezones: ['Europe/Amsterdam'] },
  pl: { locale: 'pl-PL', timezones: ['Europe/Warsaw'] },
  se: { locale: 'sv-SE', timezones: ['Europe/Stockholm'] },
  br: { locale: 'pt-BR', timezones: ['America/Sao_Paulo'] },
  mx: { locale: 'es-MX', timezones: ['America/Mexico_City'] },
  in: { locale: 'en-IN', timezones: ['Asia/Kolkata'] },
  jp: { locale: 'ja-JP', timezones: ['Asia/Tokyo'] },
  sg: { locale: 'en-SG', timezones: ['Asia/Singapore'] },
};

export type StealthProfile = {
  fingerprint: BrowserFingerprintWithHeaders;
  timezone: string;
  viewport: { width: number; height: number; deviceScaleFactor: number };
};

let generator: FingerprintGenerator | undefined;
let injector: FingerprintInjector | undefined;

function pick<T>(items: T[]): T {
  return items[Math.floor(Math.random() * items.length)];
}

/** Height of the browser's own toolbars: the page gets the available screen minus this. */
const browserChromeHeight = 85;

/**
 * A fresh desktop Chrome fingerprint. Window sizes are derived from its screen so they agree
 * with the viewport the page really gets (the generator's window sizes are often recorded from
 * hidden frames and do not).
 */
export function generateProfile(country?: string | null): StealthProfile {
  const region = regions[country ?? 'us'] ?? regions.us;
  generator ??= new FingerprintGenerator();
  const generated = generator.getFingerprint({
    browsers: [{ name: 'chrome', minVersion: 130 }],
    devices: ['desktop'],
    operatingSystems: ['windows', 'macos'],
    locales: region.locale === 'en-US' ? ['en-US'] : [region.locale, 'en-US'],
  });
  const { screen } = generated.fingerprint;
  const width = screen.availWidth || screen.width;
  const height = Math.max(480, (screen.availHeight || screen.height) - browserChromeHeight);
  const fingerprint: BrowserFingerprintWithHeaders = {
    ...generated,
    fingerprint: {
      ...generated.fingerprint,
      screen: {
        ...screen,
        outerWidth: width,
        outerHeight: screen.availHeight || screen.height,
        innerWidth: width,
        innerHeight: height,
        screenX: 0,
        pageXOffset: 0,
        pageYOffset: 0,
      },
    },
  };
  return {
    fingerprint,
    timezone: pick(region.timezones),
    viewport: { width, height, deviceScaleFactor: screen.devicePixelRatio || 1 },
  };
}

const headlessGate = 'const isHeadlessChromium = /headless/i.test(navigator.userAgent) && navigator.plugins.length === 0;';
let warnedAboutGate = false;

/**
 * fingerprint-injector's script. The library applies its headless fixes (window.chrome,
 * plugins, notification permission, iframe contentWindow) only while the user agent still says
 * "Headless"; here it never does (the override below is already in place when the script runs),
 * and the browser is always headless, so the fixes are switched on unconditionally.
 */
function injectableScript(fingerprint: BrowserFingerprintWithHeaders): string {
  injector ??= new FingerprintInjector();
  const script = injector.getInjectableScript(fingerprint);
  if (script.includes(headlessGate)) {
    return script.replace(headlessGate, 'const isHeadlessChromium = navigator.plugins.length === 0;');
  }
  if (!warnedAboutGate) {
    warnedAboutGate = true;
    log.warn('fingerprint-injector changed: its headless fixes may not apply');
  }
  return script;
}

function acceptLanguage(languages: string[]): string {
  return languages.map((language, index) => (index === 0 ? language : `${language};q=${(1 - index / 10).toFixed(1)}`)).join(',');
}

/** Applies the profile to a fresh page, before its first navigation. */
export async function applyProfile(page: Page, profile: StealthProfile): Promise<void> {
  const { navigator } = profile.fingerprint.fingerprint;
  const hints = navigator.userAgentData;
  await page.setUserAgent({
    userAgent: navigator.userAgent,
    platform: navigator.platform,
    userAgentMetadata: {
      brands: hints.brands,
      fullVersionList: hints.fullVersionList,
      fullVersion: hints.uaFullVersion,
      platform: hints.platform,
      platformVersion: hints.platformVersion,
      architecture: hints.architecture,
      model: hints.model,
      mobile: hints.mobile,
      bitness: hints.bitness,
      wow64: false,
    },
  });
  const language = profile.fingerprint.headers['accept-language'] ?? acceptLanguage(navigator.languages);
  await page.setExtraHTTPHeaders({ 'accept-language': language });
  await page.setViewport(profile.viewport);
  await page.emulateTimezone(profile.timezone);
  await page.evaluateOnNewDocument(injectableScript(profile.fingerprint));
}

/** What the job log records about the profile (no need to log the whole fingerprint). */
export function describeProfile(profile: StealthProfile): Record<string, unknown> {
  const { navigator, screen, videoCard } = profile.fingerprint.fingerprint;
  return {
    userAgent: navigator.userAgent,
    platform: navigator.platform,
    languages: navigator.languages,
    timezone: profile.timezone,
    screen: `${screen.width}x${screen.height}`,
    viewport: `${profile.viewport.width}x${profile.viewport.height}`,
    webgl: videoCard ? `${videoCard.vendor} / ${videoCard.renderer}` : null,
    hardwareConcurrency: navigator.hardwareConcurrency,
  };
}
