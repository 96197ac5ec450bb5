// A built site served on 127.0.0.1 and Debian's headless Chromium with WebGPU: for the end-to-end tests and `bench --browser`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { build, type InlineConfig, preview, type PreviewServer } from 'vite';

/** Debian's Chromium: nothing here ever downloads a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Site {
  url: string;
  close(): Promise<void>;
}

/** Builds with `config` (by default the project's vite.config.ts) into a fresh folder and serves it on 127.0.0.1. */
export async function buildAndServe(config: InlineConfig = {}): Promise<Site> {
  const outDir = mkdtempSync(join(tmpdir(), 'grpo-lab-site-'));
  await build({ ...config, logLevel: 'warn', build: { ...config.build, outDir, emptyOutDir: true } });
  const server: PreviewServer = await preview({
    ...config,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  return {
    url,
    async close() {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** Headless Debian Chromium with WebGPU on (SwiftShader where there is no GPU) and a fresh profile. */
export async function launchChromium(): Promise<Browser> {
  try {
    return await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  } catch (error) {
    throw new Error(`Could not start ${CHROMIUM} (install Debian's chromium: apt-get install chromium): ${(error as Error).message}`);
  }
}
