// Extension measurements for npm run bench: bundle sizes, activation, incremental re-assessment and
// webview rendering. Prints numbers; fails on nothing but a broken measurement.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './bench-gen.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(root, 'dist');
const kb = (f) => (fs.statSync(path.join(dist, f)).size / 1024).toFixed(0);

export async function benchExtension() {
  console.log('\nextension');
  console.log(`bundle sizes: extension.js ${kb('extension.js')} KB (activation), webview.js ${kb('webview.js')} KB, live.js ${kb('live.js')} KB (loaded only for live pricing), cli.js ${kb('cli.js')} KB`);
  const act = [];
  for (let i = 0; i < 5; i++) {
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'bench-activation.cjs')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    act.push(JSON.parse(r.stdout));
  }
  act.sort((a, b) => a.loadMs + a.activateMs - (b.loadMs + b.activateMs));
  const m = act[2];
  console.log(`activation: module load ${m.loadMs.toFixed(1)} ms + activate() ${m.activateMs.toFixed(1)} ms (median of 5; the engine itself runs only when a command asks)`);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cmp-bench-ext-'));
  const repo = path.join(work, 'repo-1000');
  generate(repo, 1000);
  const inc = spawnSync(process.execPath, [path.join(dist, 'bench-incremental.js'), repo], { encoding: 'utf8' });
  if (inc.status !== 0) throw new Error(inc.stderr);
  const r = JSON.parse(inc.stdout);
  console.log(`re-assessment after one file change (1,000 services): ${r.incrementalMs.toFixed(0)} ms vs ${r.fullMs.toFixed(0)} ms cold → ${(r.incrementalMs / r.fullMs).toFixed(2)}× of a full assessment`);

  // Webview render of a 1,000-workload plan, in Chromium.
  const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    chromium = undefined;
  }
  if (!chromium || !fs.existsSync(chromiumPath)) {
    console.log('webview render (1,000 workloads): not measured — Chromium is not installed (scripts/e2e-setup.sh installs it)');
    fs.rmSync(work, { recursive: true, force: true });
    return;
  }
  const planJson = spawnSync(process.execPath, [path.join(root, 'bin', 'migration-planner.js'), 'assess', repo, '--format', 'json', '--quiet'], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
  const html = `<!DOCTYPE html><html><head><link rel="stylesheet" href="codicon.css" id="vscode-codicon-stylesheet"><link rel="stylesheet" href="webview.css"></head><body><main id="app"></main>
<script>window.acquireVsCodeApi = () => ({ postMessage() {}, getState() { return undefined; }, setState() {} });</script>
<script src="webview.js"></script></body></html>`;
  fs.writeFileSync(path.join(dist, 'bench-webview.html'), html);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--allow-file-access-from-files'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto('file://' + path.join(dist, 'bench-webview.html'));
    const times = [];
    for (let i = 0; i < 5; i++) {
      const ms = await page.evaluate(async (plan) => {
        const app = document.getElementById('app');
        app.removeAttribute('data-ready');
        const t0 = performance.now();
        window.postMessage({ type: 'plan', view: { folder: 'repo-1000', folderUri: 'file:///repo-1000', plan: JSON.parse(plan), pricingMode: 'offline', regionChoices: { aws: ['us-east-1'], gcp: ['us-central1'] } } }, '*');
        while (!app.hasAttribute('data-ready')) await new Promise((r) => setTimeout(r, 1));
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        return performance.now() - t0;
      }, planJson);
      times.push(ms);
    }
    times.sort((a, b) => a - b);
    console.log(`webview render (1,000 workloads, Chromium): ${times[2].toFixed(0)} ms from message to painted (median of 5)`);
  } finally {
    await browser.close();
    fs.rmSync(path.join(dist, 'bench-webview.html'), { force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
}
