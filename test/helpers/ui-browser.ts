// The bench UI in a real browser: Debian's Chromium through playwright-core (never a downloaded
// browser), headless, without network features, in the light or dark colour scheme, and a
// screenshot folder that keeps every screen of a run as test artifacts.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const SCREENSHOT_DIR = join(import.meta.dirname, '..', '..', 'test-artifacts', 'screens');

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** `like`: another context whose storage (the technician's name, chosen drives) this one starts with. */
export async function benchContext(browser: Browser, scheme: 'light' | 'dark' = 'light', like?: BrowserContext): Promise<BrowserContext> {
  const storageState = like ? await like.storageState() : undefined;
  return browser.newContext({ colorScheme: scheme, viewport: { width: 1366, height: 900 }, acceptDownloads: true, reducedMotion: 'reduce', storageState });
}

/** A full-page screenshot named after the screen and the scheme, kept under test-artifacts/screens. */
export async function screenshot(page: Page, name: string, scheme: 'light' | 'dark'): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, `${name}.${scheme}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
