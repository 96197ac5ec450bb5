import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { buildAndServe, launchChromium, type Site } from '../../src/node/chromium-site';

/** The built site and a browser for one test file: started before its tests, closed after them. */
export function useSiteAndBrowser(): { readonly site: Site; readonly browser: Browser } {
  const context = {} as { site: Site; browser: Browser };
  beforeAll(async () => {
    context.site = await buildAndServe();
    context.browser = await launchChromium();
  });
  afterAll(async () => {
    await context.browser?.close();
    await context.site?.close();
  });
  return context;
}
