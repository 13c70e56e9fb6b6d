import type { Locator, Page } from 'playwright-core';
import { saveScreenshot } from './browser-failure.js';

/** Evidence kept for disputes (`run --evidence`, `check`): a screenshot of the chat as each reply finished. */
export interface EvidenceOptions {
  /** The folder screenshots go to; each gets a random name, so nothing from the configuration is in its path. */
  dir: string;
}

/**
 * Photographs the page whose reply just finished, secret fields masked. A page that cannot be
 * photographed costs the reply nothing: the turn is answered, only without its picture.
 */
export async function replyEvidence(page: Page, evidence: EvidenceOptions | undefined, mask: Locator[]): Promise<{ screenshot?: string }> {
  if (!evidence) return {};
  const screenshot = await saveScreenshot(page, evidence.dir, mask);
  return screenshot === undefined ? {} : { screenshot };
}
