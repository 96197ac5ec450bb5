import { fileURLToPath } from 'node:url';
import { buildAndServe, launchChromium } from '../node/chromium-site';
import { benchOptionsQuery, type BenchOptions } from './options';
import { parsePageLine } from './page-protocol';
import type { Emit } from './suite';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The bench page (bench/index.html) on its own: not the app's config, so neither React nor the app's entry is built. */
const PAGE_BUILD = {
  configFile: false as const,
  root: ROOT,
  base: './',
  // The peer frameworks make multi-megabyte chunks; that is expected here, so no size warning.
  build: { target: 'es2022', chunkSizeWarningLimit: 10_000, rollupOptions: { input: `${ROOT}bench/index.html` } },
};

/** The bench in headless Chromium: the page runs every implementation and reports each result on its console. */
export async function benchInBrowser(options: BenchOptions, emit: Emit): Promise<void> {
  const site = await buildAndServe(PAGE_BUILD);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const finished = new Promise<void>((resolve, reject) => {
      page.on('console', (line) => {
        const message = parsePageLine(line.text());
        if (message?.kind === 'result') emit(message.result);
        else if (message?.kind === 'done') resolve();
        else if (message?.kind === 'error') reject(new Error(`bench page: ${message.message}`));
      });
      page.on('pageerror', (error) => reject(new Error(`bench page: ${error.message}`)));
      page.on('crash', () => reject(new Error('bench page: the renderer crashed')));
    });
    await page.goto(`${site.url}bench/index.html?${benchOptionsQuery(options)}`);
    await finished;
  } finally {
    await browser.close();
    await site.close();
  }
}
