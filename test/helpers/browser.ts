import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { chromium, type Browser } from 'playwright-core';

export interface BrowserRig {
  browser: Browser;
  /** The app served on a loopback port, e.g. http://127.0.0.1:41234 */
  base: string;
  close(): Promise<void>;
}

/**
 * Serves `app` on a loopback port and starts Debian's Chromium headless (test files that use it say
 * `// @needs chromium`). Playwright gives every launch a fresh temporary profile (it refuses --user-data-dir); TMPDIR
 * points it at a folder of ours, removed by `close`.
 */
export async function startBrowser(app: Express): Promise<BrowserRig> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'itaku-chromium-'));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    env: { ...process.env, TMPDIR: profile },
  });
  return {
    browser,
    base,
    async close() {
      await browser.close().catch(() => undefined);
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
