// The Confirm step's protection choice as the UI tests make it: every new sync needs one (issue 21).
import type { Page } from 'playwright-core';

/** Chooses "Unencrypted": the radio where sealing is offered too, else the explicit checkbox. */
export async function chooseUnencrypted(page: Page): Promise<void> {
  const radio = page.getByRole('radio', { name: /^Unencrypted/ });
  const box = page.getByRole('checkbox', { name: 'Ship this unit unencrypted' });
  await radio.or(box).first().waitFor({ timeout: 60_000 });
  if (await radio.count()) await radio.check();
  else await box.check();
}
