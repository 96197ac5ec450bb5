import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useSiteAndBrowser } from './site';

const e2e = useSiteAndBrowser();

// SwiftShader runs about 1 GFLOP/s: two tiny runs of two iterations each, with held-out accuracy on the
// first and the last. Pipelines compile once (the slow part), then an iteration takes a second or two.
const TINY = '?v=1&B=1&G=2&M=2&K=1&iterations=2&evalEvery=2&compare=grpo,tic-grpo';
const ARMS = ['grpo', 'tic-grpo'];
const TRAINING_MS = 200_000;

/** Points drawn per arm in one chart, from the chart's data-points attribute ("grpo:2 tic-grpo:2"). */
async function points(page: Page, chart: string): Promise<Record<string, number>> {
  const attribute = (await page.getByTestId(`chart-${chart}`).getAttribute('data-points')) ?? '';
  return Object.fromEntries(attribute.split(' ').map((pair) => [pair.split(':')[0], Number(pair.split(':')[1])]));
}

/** How long the page's main thread takes to run a queued task: small while the worker trains. */
function mainThreadDelayMs(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const queued = performance.now();
        setTimeout(() => resolve(performance.now() - queued), 0);
      }),
  );
}

describe('training in headless Chromium', () => {
  it('trains GRPO against TIC-GRPO in a worker: pause, one step, resume, both arms drawn, the page responsive throughout', {
    timeout: TRAINING_MS + 60_000,
  }, async () => {
    const page = await e2e.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${e2e.site.url}${TINY}`);
    await page.getByRole('heading', { name: 'Training' }).waitFor();

    const started = Date.now();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    for (const arm of ARMS) await page.getByTestId(`progress-${arm}`).waitFor();

    // While the worker compiles and trains, the page answers: a queued task runs at once, and controls react.
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) delays.push(await mainThreadDelayMs(page));
    expect(Math.max(...delays)).toBeLessThan(500);
    const axis = page.getByLabel('x axis');
    await axis.selectOption('samples');
    expect(await axis.inputValue()).toBe('samples');

    // Paused, one step trains one iteration of each arm, in turn, and stays paused.
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByText('Paused.').waitFor({ timeout: 2000 });
    await page.getByRole('button', { name: 'Step' }).click();
    await expect.poll(() => points(page, 'reward'), { timeout: TRAINING_MS, interval: 500 }).toEqual({ grpo: 1, 'tic-grpo': 1 });
    const firstPoints = Date.now() - started;
    // The add base model ships and was loaded: no notice of a random-initialisation fallback.
    expect(await page.getByTestId('training-notices').count()).toBe(0);
    await page.waitForTimeout(1000);
    expect(await points(page, 'reward')).toEqual({ grpo: 1, 'tic-grpo': 1 });
    await page.getByRole('button', { name: 'Resume' }).click();
    delays.push(await mainThreadDelayMs(page));
    expect(Math.max(...delays)).toBeLessThan(500);

    const progress = page.getByTestId('progress');
    await expect.poll(() => progress.textContent(), { timeout: TRAINING_MS, interval: 1000 }).toContain('Finished.');
    const finished = Date.now() - started;

    for (const chart of ['reward', 'kl', 'clip', 'ratio-mean', 'grad-norm', 'entropy', 'length']) {
      expect(await points(page, chart), chart).toEqual({ grpo: 2, 'tic-grpo': 2 });
    }
    // Held-out accuracy: measured on the first iteration (evalEvery = 2) and at the end.
    expect(await points(page, 'accuracy')).toEqual({ grpo: 2, 'tic-grpo': 2 });
    // Each arm's line is drawn: one recharts line per arm in the reward chart.
    expect(await page.getByTestId('chart-reward').locator('.recharts-line').count()).toBe(2);
    for (const arm of ARMS) {
      expect(await page.getByTestId(`progress-${arm}`).textContent()).toContain('iteration 2 of 2');
      expect(await page.getByTestId(`samples-${arm}`).locator('.token').count()).toBeGreaterThan(0);
    }
    expect(await page.getByTestId('training-failure').count()).toBe(0);
    // Nothing to report at the end either: no fallback, no device error.
    expect(await page.getByTestId('training-notices').count()).toBe(0);
    const paces = await Promise.all(ARMS.map((arm) => page.getByTestId(`pace-${arm}`).textContent()));
    console.log(
      `training e2e: first points after ${(firstPoints / 1000).toFixed(1)} s, finished after ${(finished / 1000).toFixed(1)} s; per iteration ${ARMS.map((a, i) => `${a} ${paces[i]}`).join(', ')}`,
    );
    expect(errors).toEqual([]);
    await page.close();
  });
});
