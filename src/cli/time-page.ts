import { buildAndServe, launchChromium } from '../node/chromium-site';
import { Args } from './args';

/**
 * `time-page`: builds the site, opens it in headless Chromium with `--query` (default: none, the fresh
 * visit's defaults), presses Start and times the experiment until the page says Finished. How the
 * defaults are held to their budget (≤ 5 minutes on this machine's SwiftShader).
 */
export async function timePage(argv: string[]): Promise<void> {
  const args = new Args('time-page', argv);
  const query = args.string('query', '');
  const timeoutS = args.int('timeout-s', 1800, 1);
  args.done();
  const site = await buildAndServe();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${site.url}${query}`);
    await page.getByRole('heading', { name: 'Training' }).waitFor();
    const started = Date.now();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByText('Finished.').waitFor({ timeout: timeoutS * 1000 });
    const seconds = (Date.now() - started) / 1000;
    const adapter = await page.evaluate(async () => {
      const found = await navigator.gpu?.requestAdapter();
      return found ? `${found.info.vendor} ${found.info.architecture} ${found.info.description}`.trim() : 'none';
    });
    console.log(JSON.stringify({ query, seconds: Number(seconds.toFixed(1)), adapter, pageErrors: errors }));
  } finally {
    await browser.close();
    await site.close();
  }
}
