import { readFileSync } from 'node:fs';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { writeExperimentFile } from '../../src/ui/export/experiment-file';
import { shownExperiment } from '../ui/experiments';
import { useSiteAndBrowser } from './site';

const e2e = useSiteAndBrowser();

// The tiniest experiment: one iteration of each arm (with its held-out evaluation). SwiftShader compiles
// the pipelines once (the slow part), then each iteration takes a second or two.
const TINY = '?v=2&K=1&G=2&B=1&M=2&task=add&iterations=1&evalEvery=1&seeds=1'; // in the order the page writes links
const TRAINING_MS = 150_000;

/** Points drawn per arm in one chart, from the chart's data-points attribute ('{"GRPO":1,"TIC-GRPO":1}'). */
async function points(page: Page, chart: string): Promise<string | null> {
  return page.getByTestId(`chart-${chart}`).getAttribute('data-points', { timeout: 30_000 });
}

/** Opens `search` in `context`, recording uncaught page errors into `errors`. */
async function open(context: BrowserContext, search: string, errors: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${e2e.site.url}${search}`);
  await page.getByRole('heading', { name: 'Saved runs' }).waitFor();
  return page;
}

/** Clicks `button` and returns the file it downloads. */
async function downloaded(page: Page, button: Locator): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
}

const savedRows = (page: Page) => page.getByTestId('saved-run');
const importInput = (page: Page) => page.getByLabel('Import an exported experiment');

describe('saved runs in headless Chromium', () => {
  it('keep a finished experiment across a reload; export CSV, JSON, SVG and PNG; import the JSON back', { timeout: TRAINING_MS + 120_000 }, async () => {
    const context = await e2e.browser.newContext();
    const errors: string[] = [];
    let page = await open(context, TINY, errors);
    await expect.poll(() => page.getByTestId('saved-runs').textContent()).toContain('None yet');
    const started = Date.now();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect.poll(() => page.getByTestId('progress').textContent(), { timeout: TRAINING_MS, interval: 1000 }).toContain('Finished.');
    const trained = Date.now() - started;
    await expect.poll(() => savedRows(page).textContent()).toContain('finished');

    // A reload shows the finished curves again, from IndexedDB.
    await page.reload();
    await expect.poll(() => points(page, 'reward'), { timeout: 30_000 }).toBe('{"GRPO":1,"TIC-GRPO":1}');
    expect(await points(page, 'accuracy')).toBe('{"GRPO":1,"TIC-GRPO":1}');
    expect(await page.getByTestId('progress-GRPO').textContent()).toContain('iteration 1 of 1');
    expect(await page.getByTestId('samples-GRPO').locator('.token').count()).toBeGreaterThan(0);
    expect(await savedRows(page).count()).toBe(1);
    expect(await savedRows(page).textContent()).toMatch(/\(on the page\).*GRPO vs TIC-GRPO.*add, tiny.*1 of 1 × 1 seed.*finished/);

    // CSV: a header and one row per run × iteration.
    const csv = await downloaded(page, page.getByRole('button', { name: 'Export CSV' }));
    expect(csv.name).toMatch(/^grpo-lab-add-grpo-vs-tic-grpo-\d{4}-\d\d-\d\d-\d{4}-metrics\.csv$/);
    const lines = csv.bytes.toString('utf8').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^arm,seed,algo,level,.*,iteration,rewardMean,/);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(' '))).toEqual(['GRPO 1', 'TIC-GRPO 1']);

    // JSON: the versioned format, with both runs' metrics.
    const json = await downloaded(page, page.getByRole('button', { name: 'Export JSON' }));
    const file = JSON.parse(json.bytes.toString('utf8'));
    expect([file.format, file.version, file.runs.length, file.runs[0].metrics.length, file.setup.config.iterations]).toEqual([
      'grpo-lab-experiment',
      2,
      2,
      1,
      1,
    ]);

    // A chart as SVG (well-formed, with its title and recharts' drawing) and as PNG at twice its size.
    const svg = (await downloaded(page, page.getByRole('button', { name: 'Download the Reward chart as SVG' }))).bytes.toString('utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="(\d+)" height="(\d+)"/);
    expect(svg).toContain('>Reward</text>');
    expect(svg).toContain('recharts-line');
    expect(
      await page.evaluate((text) => new DOMParser().parseFromString(text, 'image/svg+xml').querySelector('parsererror')?.textContent ?? null, svg),
    ).toBeNull();
    const png = (await downloaded(page, page.getByRole('button', { name: 'Download the Reward chart as PNG' }))).bytes;
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const [, svgWidth, svgHeight] = /width="(\d+)" height="(\d+)"/.exec(svg)!.map(Number);
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([2 * svgWidth!, 2 * svgHeight!]);

    // A broken file is refused with its problem named, and the page keeps what it showed.
    await importInput(page).setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...file, version: 3 })) });
    expect(await page.getByTestId('import-error').textContent()).toBe(
      'Nothing was imported from broken.json: This file is in format version 3; this page reads versions 1 and 2.',
    );
    expect(await points(page, 'reward')).toBe('{"GRPO":1,"TIC-GRPO":1}');

    // Deleted, then imported into a page set up otherwise: the curves, the list and the setup come back.
    await page.getByRole('button', { name: /^Delete the runs started/ }).click();
    await expect.poll(() => page.getByTestId('saved-runs').textContent()).toContain('None yet');
    await page.close();
    page = await open(context, '?K=5', errors);
    await expect.poll(() => page.getByTestId('saved-runs').textContent()).toContain('None yet');
    expect(await page.getByTestId('progress').count()).toBe(0);
    await importInput(page).setInputFiles({ name: json.name, mimeType: 'application/json', buffer: json.bytes });
    await expect.poll(() => points(page, 'reward')).toBe('{"GRPO":1,"TIC-GRPO":1}');
    expect(await page.evaluate(() => location.search)).toBe(TINY);
    await expect.poll(() => savedRows(page).count()).toBe(1);
    expect(errors).toEqual([]);
    console.log(`saved-runs e2e: trained the tiny experiment in ${(trained / 1000).toFixed(1)} s`);
    await context.close();
  });

  it('are listed, opened and kept across a reload where the page has no WebGPU', async () => {
    const context = await e2e.browser.newContext();
    await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined }));
    const errors: string[] = [];
    const page = await open(context, '', errors);
    await expect.poll(() => page.getByTestId('adapter').textContent()).toMatch(/No WebGPU here/);
    const text = writeExperimentFile(shownExperiment('imported', Date.UTC(2025, 0, 2, 3, 4)), new Date());
    await importInput(page).setInputFiles({ name: 'runs.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect.poll(() => savedRows(page).count()).toBe(1);
    await page.reload();
    await expect.poll(() => points(page, 'reward')).toBe('{"GRPO":2,"TIC-GRPO":2}');
    expect(await savedRows(page).textContent()).toMatch(/\(on the page\).*GRPO vs TIC-GRPO.*add, tiny.*2 of 3 × 2 seeds.*finished/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('saved by version 1 of the page (a compare list) come back as arms once the database is upgraded', async () => {
    const context = await e2e.browser.newContext();
    // A page of the site's origin that is not the app, to write a version-1 database before the app opens it.
    await context.route('**/before-the-upgrade', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>v1</title>' }));
    const shown = shownExperiment('old', Date.UTC(2025, 0, 2, 3, 4));
    const v1 = {
      ...shown,
      savedAt: shown.createdAt + 1000,
      setup: { config: { ...shown.setup.config, seeds: 2 }, compare: ['grpo', 'tic-grpo'] },
      runs: shown.runs.map((run) => ({ ...run, arm: run.arm === 'GRPO' ? 'grpo' : 'tic-grpo' })),
    };
    const summary = {
      id: 'old',
      createdAt: v1.createdAt,
      savedAt: v1.savedAt,
      compare: ['grpo', 'tic-grpo'],
      task: 'add',
      model: 'tiny',
      seeds: 2,
      iterations: 3,
      completed: 2,
      states: v1.runs.map((r) => r.state),
    };
    const before = await context.newPage();
    await before.goto(`${e2e.site.url}before-the-upgrade`);
    await before.evaluate(
      ([experiment, line]) =>
        new Promise<void>((resolve, reject) => {
          const request = indexedDB.open('grpo-lab', 1);
          request.onupgradeneeded = () => {
            request.result.createObjectStore('experiments', { keyPath: 'id' });
            request.result.createObjectStore('summaries', { keyPath: 'id' });
          };
          request.onsuccess = () => {
            const tx = request.result.transaction(['experiments', 'summaries'], 'readwrite');
            tx.objectStore('experiments').put(experiment);
            tx.objectStore('summaries').put(line);
            tx.oncomplete = () => {
              request.result.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
          request.onerror = () => reject(request.error);
        }),
      [v1, summary] as const,
    );
    await before.close();
    const errors: string[] = [];
    const page = await open(context, '', errors);
    await expect.poll(() => points(page, 'reward')).toBe('{"GRPO":2,"TIC-GRPO":2}');
    expect(await savedRows(page).textContent()).toMatch(/\(on the page\).*GRPO vs TIC-GRPO.*add, tiny.*2 of 3 × 2 seeds.*finished/);
    expect(await page.getByTestId('progress-TIC-GRPO').textContent()).toContain('seed 5 done, seed 6 done');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('say plainly that they last only while the page is open where IndexedDB is refused', async () => {
    const context = await e2e.browser.newContext();
    await context.addInitScript(() => Object.defineProperty(window, 'indexedDB', { get: () => undefined }));
    const errors: string[] = [];
    const page = await open(context, '', errors);
    const notice = page.getByTestId('saved-volatile');
    await expect
      .poll(() => notice.textContent())
      .toBe('Saved runs last only while this page is open: the browser refused IndexedDB (this browser offers no IndexedDB).');
    const text = writeExperimentFile(shownExperiment('imported', Date.UTC(2025, 0, 2, 3, 4)), new Date());
    await importInput(page).setInputFiles({ name: 'runs.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect.poll(() => savedRows(page).count()).toBe(1);
    expect(await points(page, 'reward')).toBe('{"GRPO":2,"TIC-GRPO":2}');
    expect(errors).toEqual([]);
    await context.close();
  });
});
