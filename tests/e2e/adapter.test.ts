import { describe, expect, it } from 'vitest';
import { useSiteAndBrowser } from './site';

const e2e = useSiteAndBrowser();

describe('the built page in headless Chromium', () => {
  it('names the WebGPU adapter it got', async () => {
    const page = await e2e.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(e2e.site.url);
    const line = page.getByTestId('adapter');
    await expect.poll(() => line.textContent(), { timeout: 30_000 }).toMatch(/^WebGPU adapter: /);
    const text = (await line.textContent())!;
    console.log(`page says: ${text}`);
    expect(text).toMatch(/swiftshader|nvidia|amd|intel|apple|google/i);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says plainly how to get WebGPU where the browser has none', async () => {
    const page = await e2e.browser.newPage();
    // Hide WebGPU from the page, as a browser without it would.
    await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined }));
    await page.goto(e2e.site.url);
    const line = page.getByTestId('adapter');
    await expect.poll(() => line.textContent(), { timeout: 30_000 }).toMatch(/No WebGPU here/);
    expect(await line.textContent()).toMatch(/Chrome.*enable-unsafe-webgpu/);
    await page.close();
  });
});
