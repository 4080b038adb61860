// What the UI tests do to a page the way a person would: reach a control with the Tab key alone,
// check a screen with axe-core (serious and critical violations fail), and keep its screenshot.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { screenshot } from './ui-browser.ts';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Presses Tab (or Shift+Tab) until `target` has the focus; fails when it is not reachable. */
export async function tabTo(page: Page, target: Locator, opts: { max?: number; back?: boolean } = {}): Promise<void> {
  await target.waitFor({ state: 'visible' });
  for (let i = 0; i < (opts.max ?? 150); i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`not reachable with the keyboard: ${target.toString()}`);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; html?: string; failureSummary?: string }>;
}

/**
 * axe-core on the page as it is. The app's Content-Security-Policy forbids injected scripts, so
 * axe runs through the DevTools protocol (an isolated evaluation), not a script tag.
 */
export async function axeCheck(page: Page, screen: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Runtime.evaluate', { expression: AXE, returnByValue: true });
    const r = await cdp.send('Runtime.evaluate', {
      expression: `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => JSON.stringify(r.violations))`,
      awaitPromise: true,
      returnByValue: true,
    });
    const violations = JSON.parse(String(r.result.value ?? '[]')) as AxeViolation[];
    const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${screen}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${(n.html ?? '').slice(0, 300)}`).join(', ')}`)).toEqual([]);
  } finally {
    await cdp.detach();
  }
}

/** The screen as a person checks it: accessible (axe) and kept as a screenshot for the run's artifacts. */
export async function lookAt(page: Page, name: string, scheme: 'light' | 'dark' = 'light'): Promise<void> {
  // Nothing pending on screen: no "asking the engine" placeholder, no busy region.
  await expect.poll(() => page.locator('[aria-busy="true"]').count(), { timeout: 60_000 }).toBe(0);
  await axeCheck(page, `${name} (${scheme})`);
  await screenshot(page, name, scheme);
}

/** The visible text of the page, for assertions on what a technician reads. */
export async function pageText(page: Page): Promise<string> {
  return (await page.locator('main').innerText()).replace(/\s+/g, ' ');
}

/** Opens the bench at `url` (+ a route hash) and waits until it says the engine is connected. */
export async function openBench(page: Page, url: string, hash = ''): Promise<void> {
  await page.goto(url + hash);
  await expect.poll(() => page.getByText('engine connected').count(), { timeout: 20_000 }).toBe(1);
}
