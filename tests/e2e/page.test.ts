import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RUN_CONFIG } from '../../src/experiment/config';
import { BASE_FIELDS, type SetupField, setupFieldSpec } from '../../src/experiment/setup';
import { useSiteAndBrowser } from './site';

const e2e = useSiteAndBrowser();

const pageErrors = new WeakMap<Page, string[]>();

/** Opens the page at `search`, recording uncaught page errors for `close`. */
async function open(search: string, page?: Page): Promise<Page> {
  const p = page ?? (await e2e.browser.newPage());
  const errors: string[] = [];
  pageErrors.set(p, errors);
  p.on('pageerror', (e) => errors.push(e.message));
  await p.goto(`${e2e.site.url}${search}`);
  await p.getByRole('heading', { name: 'Experiment' }).waitFor();
  return p;
}

/** Closes a page opened by `open`, failing if it threw anything uncaught. */
async function close(page: Page) {
  expect(pageErrors.get(page)).toEqual([]);
  await page.close();
}

const search = (page: Page) => page.evaluate(() => location.search);
const slider = (page: Page, label: string) => page.getByLabel(label, { exact: true });

describe('the setup controls in headless Chromium', () => {
  it('shows a shared configuration, and writes a moved slider back to the address', async () => {
    const page = await open('?v=2&K=12&G=4&arm=grpo&arm=tic-grpo,clipMode=zero-grad&arm=dapo');
    expect(await slider(page, 'K').inputValue()).toBe('12');
    expect(await page.getByLabel('K value', { exact: true }).inputValue()).toBe('12');
    expect(await slider(page, 'Group size G').inputValue()).toBe('4');
    const arms = page.getByTestId('arms').getByRole('listitem', { name: /^Arm \d/ });
    expect(await arms.evaluateAll((items) => items.map((li) => li.getAttribute('aria-label')))).toEqual([
      'Arm 1: GRPO',
      'Arm 2: TIC-GRPO zero-grad',
      'Arm 3: DAPO',
    ]);
    const preset = page.getByTestId('arm-1').getByLabel('Preset', { exact: true });
    expect(await preset.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent)).toBe('TIC-GRPO');
    expect(await page.getByTestId('arm-1').getByText('clipMode=zero-grad').count()).toBe(1);
    expect(await page.getByTestId('derived').textContent()).toContain('N = B·G = 32');

    await slider(page, 'K').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => search(page)).toBe('?v=2&K=13&G=4&arm=grpo&arm=tic-grpo,clipMode=zero-grad&arm=dapo');
    expect(await page.getByLabel('K value', { exact: true }).inputValue()).toBe('13');
    await close(page);
  });

  it('edits the arms from the keyboard: an override, its chip, Duplicate, Remove and Vary one field, each in the address', async () => {
    const page = await open('');
    const arm = (i: number) => page.getByTestId(`arm-${i}`);
    await arm(1).getByRole('button', { name: 'Add an override to arm 2 (TIC-GRPO)' }).focus();
    await page.keyboard.press('Enter');
    await arm(1).getByLabel('Field', { exact: true }).selectOption('clipMode');
    await arm(1).getByLabel('Value', { exact: true }).selectOption('zero-grad');
    await arm(1).getByRole('button', { name: 'Set', exact: true }).press('Enter');
    await expect.poll(() => search(page)).toBe('?v=2&arm=grpo&arm=tic-grpo,clipMode=zero-grad');
    await arm(1).getByLabel('Field', { exact: true }).selectOption('K');
    await arm(1).getByLabel('Value', { exact: true }).fill('0');
    await arm(1).getByLabel('Value', { exact: true }).press('Enter');
    expect(await arm(1).getByRole('alert').textContent()).toBe('K: must be an integer in [1, 64] (got "0"); the link keeps the arm as it was.');
    expect(await search(page)).toBe('?v=2&arm=grpo&arm=tic-grpo,clipMode=zero-grad');
    await arm(1).getByRole('button', { name: 'Remove clipMode=zero-grad from arm 2 (TIC-GRPO zero-grad)' }).press('Enter');
    await expect.poll(() => search(page)).toBe('');

    await arm(0).getByRole('button', { name: 'Duplicate arm 1 (GRPO)' }).press('Enter');
    expect(await page.getByText('3 arms × 3 seeds = 9 runs').count()).toBe(1);
    await expect.poll(() => search(page)).toBe('?v=2&arm=grpo&arm=grpo&arm=tic-grpo');
    await arm(1).getByRole('button', { name: 'Remove arm 2 (GRPO #2)' }).press('Enter');
    await expect.poll(() => search(page)).toBe('');

    const vary = page.getByRole('form', { name: 'Vary one field' });
    await vary.getByLabel('of arm', { exact: true }).selectOption('0');
    await vary.getByLabel('field', { exact: true }).selectOption('K');
    await vary.getByLabel('values', { exact: true }).fill('1, 4');
    await vary.getByLabel('values', { exact: true }).press('Enter');
    await expect.poll(() => search(page)).toBe('?v=2&arm=grpo,K=1&arm=grpo,K=4&arm=tic-grpo');
    expect(await page.getByRole('list', { name: 'Overrides of arm 2 (GRPO K=4)' }).getByText('K=4').count()).toBe(1);
    await close(page);
  });

  it('labels every field with its name, and shows its help on keyboard focus and on hover', async () => {
    const page = await open('');
    for (const name of [...BASE_FIELDS, 'seeds'] as SetupField[]) {
      const { label, help } = setupFieldSpec(name);
      const control = page.getByLabel(label, { exact: true });
      expect(await control.count(), label).toBe(1);
      const describedBy = (await control.getAttribute('aria-describedby'))!;
      expect(await page.locator(`[id="${describedBy}"]`).textContent(), label).toContain(help);
    }
    const help = page.locator('#field-K-help');
    expect(await help.isVisible()).toBe(false);
    await slider(page, 'K').focus();
    expect(await help.isVisible()).toBe(true);
    await page.locator('h1').click();
    await page.locator('.groups').getByText('Learning rate', { exact: true }).hover();
    expect(await page.locator('#field-lr-help').isVisible()).toBe(true);
    expect(await help.isVisible()).toBe(false);
    await close(page);
  });

  it('names bad parameters in a visible notice and shows the defaults', async () => {
    const page = await open('?K=999&arm=nope&arm=tic-grpo,clipMode=sideways');
    const notices = page.getByTestId('url-notices');
    expect(await notices.getAttribute('role')).toBe('alert');
    expect(await notices.isVisible()).toBe(true);
    const text = (await notices.textContent())!;
    expect(text).toContain(`K: must be an integer in [1, 64] (got "999"); using ${DEFAULT_RUN_CONFIG.K}`);
    expect(text).toMatch(/arm 1: "nope" is not a preset .*; arm dropped/);
    expect(text).toContain('arm 2 (tic-grpo): clipMode: must be one of truncate, zero-grad (got "sideways"); using truncate');
    expect(await slider(page, 'K').inputValue()).toBe(String(DEFAULT_RUN_CONFIG.K));
    expect(await search(page)).toBe('?v=2&arm=tic-grpo');
    await close(page);
  });

  it('explains an M that does not divide N beside the fields, and keeps the last valid link', async () => {
    const page = await open('?K=3');
    await page.getByLabel('Mini-batch M value', { exact: true }).fill('7');
    expect(await page.getByTestId('derived').textContent()).toContain('M = 7 does not divide N = 64');
    expect(await page.locator('#field-M-error').textContent()).toContain('must divide N = B·G = 64; the link keeps 16');
    expect(await search(page)).toBe('?v=2&K=3');
    await close(page);
  });

  it('copies the link, with a confirmation, or shows it to copy by hand', async () => {
    const context = await e2e.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await open('?K=5', await context.newPage());
    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByText('Copied', { exact: true }).waitFor({ timeout: 5000 });
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${e2e.site.url}?v=2&K=5`);
    await close(page);
    await context.close();

    const bare = await e2e.browser.newPage();
    await bare.addInitScript(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }));
    await open('?K=6', bare);
    await bare.getByRole('button', { name: 'Copy link' }).click();
    expect(await bare.getByLabel(/copy this link/).inputValue()).toBe(`${e2e.site.url}?v=2&K=6`);
    await close(bare);
  });

  it('fits a narrow screen without sideways scrolling', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 360, height: 800 } });
    await open('', page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await close(page);
  });
});
