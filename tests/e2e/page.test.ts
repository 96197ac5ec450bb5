import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { RUN_FIELD_NAMES, RUN_FIELDS } from '../../src/config/fields';
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
    const page = await open('?v=1&algo=tic-grpo&K=12&G=4&compare=grpo,tic-grpo,dapo');
    expect(await slider(page, 'K').inputValue()).toBe('12');
    expect(await page.getByLabel('K value', { exact: true }).inputValue()).toBe('12');
    expect(await slider(page, 'Group size G').inputValue()).toBe('4');
    expect(await page.getByLabel('Algorithm', { exact: true }).evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent)).toBe('TIC-GRPO');
    expect(await page.getByLabel('ε high', { exact: true }).getAttribute('aria-valuetext')).toBe('0.28');
    for (const name of ['GRPO', 'TIC-GRPO', 'DAPO']) expect(await page.getByRole('checkbox', { name, exact: true }).isChecked(), name).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'GSPO', exact: true }).isChecked()).toBe(false);
    expect(await page.getByTestId('derived').textContent()).toContain('N = B·G = 32');

    await slider(page, 'K').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => search(page)).toBe('?v=1&algo=tic-grpo&K=13&G=4&compare=grpo,tic-grpo,dapo');
    expect(await page.getByLabel('K value', { exact: true }).inputValue()).toBe('13');
    await close(page);
  });

  it('labels every field with its name, and shows its help on keyboard focus and on hover', async () => {
    const page = await open('');
    for (const name of RUN_FIELD_NAMES) {
      const { label, help } = RUN_FIELDS[name];
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
    await page.getByText('Learning rate', { exact: true }).hover();
    expect(await page.locator('#field-lr-help').isVisible()).toBe(true);
    expect(await help.isVisible()).toBe(false);
    await close(page);
  });

  it('names bad parameters in a visible notice and shows the defaults', async () => {
    const page = await open('?K=999&algo=nope');
    const notices = page.getByTestId('url-notices');
    expect(await notices.getAttribute('role')).toBe('alert');
    expect(await notices.isVisible()).toBe(true);
    const text = (await notices.textContent())!;
    expect(text).toContain('K: must be an integer in [1, 64] (got "999"); using 8');
    expect(text).toMatch(/algo: must be one of .*\(got "nope"\); using grpo/);
    expect(await slider(page, 'K').inputValue()).toBe('8');
    expect(await page.getByLabel('Algorithm', { exact: true }).inputValue()).toBe('grpo');
    expect(await search(page)).toBe('');
    await close(page);
  });

  it('explains an M that does not divide N beside the fields, and keeps the last valid link', async () => {
    const page = await open('?K=4');
    await page.getByLabel('Mini-batch M value', { exact: true }).fill('7');
    expect(await page.getByTestId('derived').textContent()).toContain('M = 7 does not divide N = 64');
    expect(await page.locator('#field-M-error').textContent()).toContain('must divide N = B·G = 64; the link keeps 16');
    expect(await search(page)).toBe('?v=1&K=4');
    await close(page);
  });

  it('copies the link, with a confirmation, or shows it to copy by hand', async () => {
    const context = await e2e.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await open('?K=5', await context.newPage());
    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByText('Copied', { exact: true }).waitFor({ timeout: 5000 });
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${e2e.site.url}?v=1&K=5`);
    await close(page);
    await context.close();

    const bare = await e2e.browser.newPage();
    await bare.addInitScript(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }));
    await open('?K=6', bare);
    await bare.getByRole('button', { name: 'Copy link' }).click();
    expect(await bare.getByLabel(/copy this link/).inputValue()).toBe(`${e2e.site.url}?v=1&K=6`);
    await close(bare);
  });

  it('fits a narrow screen without sideways scrolling', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 360, height: 800 } });
    await open('', page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await close(page);
  });
});
