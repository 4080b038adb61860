// The Confirm step's protection choice as the UI tests make it: every new sync needs one (issue 21).
import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/** Chooses "Unencrypted": the radio where sealing is offered too, else the explicit checkbox. */
export async function chooseUnencrypted(page: Page): Promise<void> {
  const radio = page.getByRole('radio', { name: /^Unencrypted/ });
  const box = page.getByRole('checkbox', { name: 'Ship this unit unencrypted' });
  await radio.or(box).first().waitFor({ timeout: 60_000 });
  const chosen = (await radio.count()) ? radio : box;
  // The radio's own input is hidden under its card (react-aria-components): a person clicks the card.
  if (chosen === radio) await page.locator('label', { has: radio }).click();
  else await box.check();
  await expect.poll(() => chosen.isChecked(), { timeout: 10_000 }).toBe(true);
}
