#!/usr/bin/env node
// npm run bench: speed and memory of a whole assessment, as ratios to a floor measured in the same
// run on the same machine (a process that reads and parses the same files with the same libraries).
// Prints numbers; never fails on a wall-clock limit.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './bench-gen.mjs';
import { benchExtension } from './bench-extension.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const sizes = (process.env.BENCH_SIZES ?? '100,1000,10000').split(',').map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cmp-bench-'));

function measure(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', path.join(root, 'scripts/bench-rss.cjs'), ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const rss = Number(/BENCH_MAXRSS_KB (\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024;
  return { ms, rss };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`cores: ${os.availableParallelism()}, node ${process.version}, ${runs} runs each (median)`);
console.log('services | files | floor ms | assess ms | ratio | ms/service | peak MB | own readers ms | overhead');
const rows = [];
for (const n of sizes) {
  const dir = path.join(work, `repo-${n}`);
  generate(dir, n);
  const files = spawnSync('find', [dir, '-type', 'f'], { encoding: 'utf8' }).stdout.trim().split('\n').length;
  const floor = [];
  const own = [];
  const full = [];
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    floor.push(measure([path.join(root, 'scripts/bench-floor.cjs'), dir]).ms);
    own.push(measure([path.join(root, 'dist/bench-readers.js'), dir]).ms);
    const m = measure([path.join(root, 'bin/migration-planner.js'), 'assess', dir, '--format', 'json', '--out', path.join(work, `plan-${n}.json`), '--quiet']);
    full.push(m.ms);
    rss = Math.max(rss, m.rss);
  }
  const f = median(floor);
  const o = median(own);
  const a = median(full);
  const planned = JSON.parse(fs.readFileSync(path.join(work, `plan-${n}.json`), 'utf8')).workloads.length;
  if (planned !== n) throw new Error(`expected ${n} workloads in the plan, got ${planned}`);
  rows.push({ n, ratio: a / f, perService: a / n, rss, overhead: a / o });
  console.log(`${String(n).padStart(8)} | ${String(files).padStart(5)} | ${f.toFixed(0).padStart(8)} | ${a.toFixed(0).padStart(9)} | ${(a / f).toFixed(2).padStart(5)} | ${(a / n).toFixed(3).padStart(10)} | ${rss.toFixed(0).padStart(7)} | ${o.toFixed(0).padStart(14)} | ${(a / o).toFixed(2).padStart(7)}×`);
}
console.log('');
const at = (n) => rows.find((r) => r.n === n);
if (at(1000)) console.log(`target: ≤ 1.30× the floor at 1,000 services → ${at(1000).ratio.toFixed(2)}×`);
if (at(10000)) console.log(`target: ≤ 1.00× the floor at 10,000 services → ${at(10000).ratio.toFixed(2)}×`);
if (at(1000) && at(10000)) console.log(`time per service, 10,000 vs 1,000: ${(at(10000).perService / at(1000).perService).toFixed(2)}× (target: not growing, ≤ ~1)`);
if (at(10000)) console.log(`overhead over the engine's own readers at 10,000 services: ${at(10000).overhead.toFixed(2)}× (not a target: what the engine does beyond reading and parsing)`);
if (at(10000)) console.log(`peak memory at 10,000 services: ${at(10000).rss.toFixed(0)} MB (target: well under 1024 MB)`);
fs.rmSync(work, { recursive: true, force: true });
if (process.env.BENCH_EXTENSION !== '0') await benchExtension();
