import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useSiteAndBrowser } from './site';

const e2e = useSiteAndBrowser();

// SwiftShader runs about 1 GFLOP/s: two tiny runs of two iterations each (the default arms, GRPO and
// TIC-GRPO, one seed), with held-out accuracy on the first and the last. Pipelines compile once (the slow
// part), then an iteration takes a second or two.
const TINY = '?v=2&K=1&G=2&B=1&M=2&iterations=2&evalEvery=2&seeds=1';
const ARMS = ['GRPO', 'TIC-GRPO'];
const TRAINING_MS = 200_000;

/** Per arm label, the points (or the band's points) one chart draws, from its data-points / data-bands attribute ({"GRPO":2,…}). */
async function points(page: Page, chart: string, of: 'points' | 'bands' = 'points'): Promise<Record<string, number>> {
  return JSON.parse((await page.getByTestId(`chart-${chart}`).getAttribute(`data-${of}`)) ?? '{}');
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

/** A new page whose errors (thrown, or logged to the console) are collected in `errors`. */
async function watchedPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await e2e.browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return { page, errors };
}

describe('training in headless Chromium', () => {
  it('trains GRPO against TIC-GRPO in a worker: pause, one step, resume, both arms drawn, the page responsive throughout', {
    timeout: TRAINING_MS + 60_000,
  }, async () => {
    const { page, errors } = await watchedPage();
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
    await expect.poll(() => points(page, 'reward'), { timeout: TRAINING_MS, interval: 500 }).toEqual({ GRPO: 1, 'TIC-GRPO': 1 });
    const firstPoints = Date.now() - started;
    // The add base model ships and was loaded: no notice of a random-initialisation fallback.
    expect(await page.getByTestId('training-notices').count()).toBe(0);
    await page.waitForTimeout(1000);
    expect(await points(page, 'reward')).toEqual({ GRPO: 1, 'TIC-GRPO': 1 });
    await page.getByRole('button', { name: 'Resume' }).click();
    delays.push(await mainThreadDelayMs(page));
    expect(Math.max(...delays)).toBeLessThan(500);

    const progress = page.getByTestId('progress');
    await expect.poll(() => progress.textContent(), { timeout: TRAINING_MS, interval: 1000 }).toContain('Finished.');
    const finished = Date.now() - started;

    for (const chart of ['reward', 'zero-std', 'kl', 'grad-norm', 'entropy', 'length']) {
      expect(await points(page, chart), chart).toEqual({ GRPO: 2, 'TIC-GRPO': 2 });
    }
    // K = 1: every ratio is 1 and nothing is clipped, so the clip, ratio and ESS charts draw no line and say why.
    for (const chart of ['clip-low', 'clip-high', 'ratio-mean', 'ratio-p95', 'ratio-min', 'ratio-max', 'ess']) {
      expect(await points(page, chart), chart).toEqual({ GRPO: 0, 'TIC-GRPO': 0 });
      expect(await page.getByTestId(`chart-${chart}`).locator('.chart__flat').textContent(), chart).toBe(
        'flat by construction for GRPO, TIC-GRPO (K = 1: θ = θ_old at every step)',
      );
    }
    // Held-out accuracy: measured on the first iteration (evalEvery = 2) and at the end.
    expect(await points(page, 'accuracy')).toEqual({ GRPO: 2, 'TIC-GRPO': 2 });
    // One seed per arm: no band, and the note says so.
    expect(await page.getByTestId('chart-reward').locator('.recharts-area').count()).toBe(0);
    expect(await page.getByTestId('charts-note').textContent()).toContain('One seed per arm');
    // Each arm's line is drawn: one recharts line per arm in the reward chart.
    expect(await page.getByTestId('chart-reward').locator('.recharts-line').count()).toBe(2);
    for (const arm of ARMS) {
      expect(await page.getByTestId(`progress-${arm}`).textContent()).toContain('iteration 2 of 2');
      expect(await page.getByTestId(`samples-${arm}`).locator('.token').count()).toBeGreaterThan(0);
    }
    expect(await page.getByTestId('training-failure').count()).toBe(0);
    // The summary under the charts: each arm's held-out accuracy over its one seed, and TIC-GRPO against GRPO.
    const arms = page.getByTestId('summary-arms');
    expect(await arms.getByRole('rowheader').allTextContents()).toEqual(ARMS);
    const differences = page.getByTestId('summary-differences');
    expect(await differences.getByRole('rowheader').allTextContents()).toEqual(['TIC-GRPO − GRPO']);
    // Both arms start from the same base model: the same start on every seed.
    expect(await differences.getByRole('cell').first().textContent()).toBe('0.0identical');
    // A threshold of 0% is reached at the first evaluation, after iteration 1.
    await page.getByLabel('Threshold value').fill('0');
    await expect.poll(() => arms.getByRole('columnheader').last().textContent()).toBe('Iterations to 0%');
    expect(await arms.getByRole('row').nth(1).getByRole('cell').last().textContent()).toBe('1.0');
    // Nothing to report at the end either: no fallback, no device error.
    expect(await page.getByTestId('training-notices').count()).toBe(0);
    const paces = await Promise.all(ARMS.map((arm) => page.getByTestId(`pace-${arm}`).textContent()));
    console.log(
      `training e2e: first points after ${(firstPoints / 1000).toFixed(1)} s, finished after ${(finished / 1000).toFixed(1)} s; per iteration ${ARMS.map((a, i) => `${a} ${paces[i]}`).join(', ')}`,
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it('trains three arms, one with an override, over two seeds: each drawn as a mean with its 95% band, labelled in the legend', {
    timeout: TRAINING_MS + 60_000,
  }, async () => {
    const { page, errors } = await watchedPage();
    const link = '?v=2&K=1&G=2&B=1&M=2&iterations=2&evalEvery=2&arm=grpo&arm=tic-grpo&arm=grpo,K=2&seeds=2';
    await page.goto(`${e2e.site.url}${link}`);
    await page.getByRole('heading', { name: 'Training' }).waitFor();
    const labels = ['GRPO', 'TIC-GRPO', 'GRPO K=2'];
    expect(
      await page
        .getByTestId('arms')
        .getByRole('listitem', { name: /^Arm \d/ })
        .count(),
    ).toBe(3);
    expect(await page.getByText('3 arms × 2 seeds = 6 runs').count()).toBe(1);

    const started = Date.now();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    const progress = page.getByTestId('progress');
    await expect.poll(() => progress.textContent(), { timeout: TRAINING_MS, interval: 1000 }).toContain('Finished.');
    const finished = Date.now() - started;

    expect(await page.getByRole('list', { name: 'Legend' }).getByRole('listitem').allTextContents()).toEqual(labels);
    const each = (n: number) => Object.fromEntries(labels.map((label) => [label, n]));
    for (const chart of ['reward', 'entropy', 'length', 'grad-norm']) {
      const figure = page.getByTestId(`chart-${chart}`);
      expect(await points(page, chart), chart).toEqual(each(2));
      // Both seeds have every point, so every point has its interval.
      expect(await points(page, chart, 'bands'), chart).toEqual(each(2));
      expect(await figure.locator('.recharts-line').count(), chart).toBe(3);
      expect(await figure.locator('.recharts-area').count(), chart).toBe(3);
    }
    expect(await page.getByTestId('charts-note').textContent()).toContain('Line: mean over 2 seeds, band: 95% interval of the mean');
    // Flat by construction is decided per arm: only GRPO K=2 (θ ≠ θ_old at its second step) draws ratios.
    expect(await points(page, 'clip-high')).toEqual({ ...each(0), 'GRPO K=2': 2 });
    expect(await page.getByTestId('chart-ratio-max').locator('.recharts-line').count()).toBe(1);
    expect(await page.getByTestId('chart-ratio-max').locator('.chart__flat').textContent()).toBe(
      'flat by construction for GRPO, TIC-GRPO (K = 1: θ = θ_old at every step)',
    );
    // The summary pairs every other arm with the reference chosen.
    await page.getByLabel('Reference arm').selectOption('GRPO K=2');
    expect(await page.getByTestId('summary-differences').getByRole('rowheader').allTextContents()).toEqual(['GRPO − GRPO K=2', 'TIC-GRPO − GRPO K=2']);
    expect(await page.getByTestId('summary-arms').getByRole('row').nth(1).getByRole('cell').first().textContent()).toBe('2');
    for (const label of labels) expect(await page.getByTestId(`progress-${label}`).textContent()).toContain('seed 1 done, seed 2 done');

    // Min–max instead, and a moving average: drawn on screen only, the note says which.
    await page.getByLabel('band').selectOption('minmax');
    await page.getByLabel('moving average').selectOption('5');
    expect(await page.getByTestId('charts-note').textContent()).toMatch(/band: min–max over seeds; moving average over 5 iterations/);
    expect(await page.getByTestId('chart-reward').locator('.recharts-area').count()).toBe(3);
    expect(await page.getByTestId('training-failure').count()).toBe(0);
    console.log(`training e2e: 3 arms × 2 seeds × 2 iterations finished after ${(finished / 1000).toFixed(1)} s`);
    expect(errors).toEqual([]);
    await page.close();
  });
});
