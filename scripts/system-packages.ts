import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/** System tools some tests need, the Debian packages that bring them, and how to tell a test file needs them. */
const NEEDS: { name: string; binaries: string[]; packages: string[]; marker: RegExp }[] = [
  { name: 'Chromium', binaries: ['/usr/bin/chromium'], packages: ['chromium'], marker: /@needs chromium/ },
  {
    name: 'LibreOffice',
    binaries: ['/usr/bin/soffice', '/usr/bin/pdftotext', '/usr/bin/pdftoppm'],
    packages: ['libreoffice-writer-nogui', 'libreoffice-calc-nogui', 'fonts-noto-cjk', 'poppler-utils'],
    marker: /@needs libreoffice/,
  },
];

/**
 * Installs, with apt-get, the Debian packages the selected test files declare (`// @needs chromium`) when their
 * binaries are missing. Where that is impossible the run stops naming the package: no test is skipped silently.
 */
export function ensureSystemPackages(files: string[]): void {
  const sources = files.map((f) => fs.readFileSync(f, 'utf8'));
  for (const need of NEEDS) {
    if (!sources.some((s) => need.marker.test(s))) continue;
    if (need.binaries.every((b) => fs.existsSync(b))) continue;
    console.log(`${need.name} がないためインストールします / installing ${need.packages.join(' ')} (Debian packages)…`);
    const asRoot = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
    const run = (args: string[]) => spawnSync(asRoot[0] ?? args[0]!, asRoot.length ? [...asRoot.slice(1), ...args] : args.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    run(['apt-get', 'update', '-qq']);
    const result = run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...need.packages]);
    if (result.status !== 0 || !need.binaries.every((b) => fs.existsSync(b))) {
      throw new Error(`${need.name} をインストールできませんでした。次のパッケージを手動でインストールしてください / install these Debian packages: ${need.packages.join(' ')}`);
    }
  }
}
