import { launchChromium, benchContext, screenshot } from './ui-browser.ts';
const url = process.argv[2];
const routes = (process.argv[3] ?? '').split(',').filter(Boolean);
const b = await launchChromium();
for (const scheme of ['light', 'dark'] as const) {
  const ctx = await benchContext(b, scheme);
  const page = await ctx.newPage();
  page.on('console', (m) => m.type() === 'error' && console.log('console:', m.text()));
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  for (const r of routes) {
    await page.goto(url + r);
    await page.waitForTimeout(2500);
    await screenshot(page, 'dev-' + (r.replace(/[^a-z0-9]+/gi, '-') || 'home'), scheme);
  }
  await ctx.close();
}
await b.close();
