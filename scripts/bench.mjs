#!/usr/bin/env node
// npm run bench: speed and memory of a whole assessment, as ratios to a floor measured in the same
// run on the same machine (a process that reads and parses the same files with the same libraries).
// Prints numbers; never fails on a wall-clock limit.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate as generate1 } from './bench-gen.mjs';
import { generate as generate2 } from './bench-gen2.mjs';
import { benchExtension } from './bench-extension.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const sizes = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cmp-bench-'));
const corpus = process.env.BENCH_CORPUS ?? path.join(root, '..', 'shared', 'corpus');

function measure(args, env = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', path.join(root, 'scripts/bench-rss.cjs'), ...args], { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, ...env } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const rss = Number(/BENCH_MAXRSS_KB (\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024;
  return { ms, rss };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The plans kept in a cache folder go: the next run plans again, every parse from the parse cache. */
function dropPlans(cacheDir) {
  for (const f of fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir) : []) if (f.endsWith('.plan')) fs.rmSync(path.join(cacheDir, f));
}

/**
 * One repository: the floor (read and parse every descriptor with the `yaml` library and
 * dockerfile-ast, nothing else), the whole assessment cold (no cache), warm with nothing changed
 * (the plan the run before kept is reused) and warm with the plan to make again (what a change to
 * one descriptor costs: every other parse from the parse cache, the plan made and kept anew),
 * interleaved run by run so that a slower moment of the machine weighs on all four alike.
 */
function benchRepo(label, dir, expected) {
  const files = spawnSync('find', [dir, '-type', 'f'], { encoding: 'utf8' }).stdout.trim().split('\n').length;
  const cacheDir = path.join(work, `cache-${label}`);
  const out = path.join(work, `plan-${label}.json`);
  const assessArgs = [path.join(root, 'bin/migration-planner.js'), 'assess', dir, '--format', 'json', '--out', out, '--quiet'];
  // The CLI's other caches (compiled code, prices) in the bench's folder too: every run but the first
  // starts from the compiled-code cache, as any run of an installed CLI does after its first.
  const env = { MIGRATION_PLANNER_PARSE_CACHE_DIR: cacheDir, MIGRATION_PLANNER_CACHE_DIR: path.join(work, 'cache') };
  const floor = [];
  const cold = [];
  const warm = [];
  const replan = [];
  let rss = 0;
  let warmRss = 0;
  measure(assessArgs, env); // fills the caches
  for (let i = 0; i < runs; i++) {
    floor.push(measure([path.join(root, 'scripts/bench-floor.cjs'), dir]).ms);
    const c = measure([...assessArgs, '--no-cache'], env);
    cold.push(c.ms);
    rss = Math.max(rss, c.rss);
    dropPlans(cacheDir);
    const r = measure(assessArgs, env);
    replan.push(r.ms);
    warmRss = Math.max(warmRss, r.rss);
    const w = measure(assessArgs, env);
    warm.push(w.ms);
    warmRss = Math.max(warmRss, w.rss);
  }
  const planned = JSON.parse(fs.readFileSync(out, 'utf8')).workloads.length;
  if (expected !== undefined && planned !== expected) throw new Error(`${label}: expected ${expected} workloads in the plan, got ${planned}`);
  const row = { label, planned, files, floor: median(floor), cold: median(cold), warm: median(warm), replan: median(replan), rss, warmRss };
  const x = (ms) => `${ms.toFixed(0).padStart(7)} | ${(ms / row.floor).toFixed(2).padStart(5)}`;
  console.log(`${label.padEnd(22)} | ${String(planned).padStart(9)} | ${String(files).padStart(5)} | ${row.floor.toFixed(0).padStart(8)} | ${x(row.cold)} | ${x(row.warm)} | ${x(row.replan)} | ${(row.cold / planned).toFixed(3).padStart(10)} | ${Math.max(rss, warmRss).toFixed(0).padStart(7)}`);
  return row;
}

console.log(`cores: ${os.availableParallelism()}, node ${process.version}, ${runs} runs each (median); times are whole processes`);
console.log('warm: nothing changed (the kept plan is reused); replan: every parse cached, the plan made again (as after a change to one descriptor)');
console.log('repository             | workloads | files | floor ms | cold ms | ×floor | warm ms | ×floor | replan ms | ×floor | ms/service | peak MB');
const rows = [];
for (const [gen, generate] of [['gen1', generate1], ['gen2', generate2]]) {
  for (const n of sizes) {
    const dir = path.join(work, `${gen}-${n}`);
    generate(dir, n);
    rows.push({ gen, n, ...benchRepo(`${gen} ${n}`, dir, n) });
  }
}
if (fs.existsSync(corpus)) rows.push({ gen: 'corpus', n: 0, ...benchRepo('shared corpus (29)', corpus) });
console.log('');
const at = (gen, n) => rows.find((r) => r.gen === gen && r.n === n);
for (const gen of ['gen1', 'gen2']) {
  const small = at(gen, 1000);
  const big = at(gen, 10000);
  if (small) console.log(`${gen}: cold ≤ 1.20× the floor at 1,000 services → ${(small.cold / small.floor).toFixed(2)}×`);
  if (big) console.log(`${gen}: cold ≤ 1.10× the floor at 10,000 services → ${(big.cold / big.floor).toFixed(2)}×; warm ≤ 0.60× → ${(big.warm / big.floor).toFixed(2)}× (plan made again from cached parses: ${(big.replan / big.floor).toFixed(2)}×); peak ${Math.max(big.rss, big.warmRss).toFixed(0)} MB`);
  if (small && big) console.log(`${gen}: time per service, 10,000 vs 1,000: ${(big.cold / big.planned / (small.cold / small.planned)).toFixed(2)}× (target ≤ 1.10×)`);
}
const c = rows.find((r) => r.gen === 'corpus');
if (c) console.log(`corpus: cold ${(c.cold / c.floor).toFixed(2)}×, warm ${(c.warm / c.floor).toFixed(2)}×, replan ${(c.replan / c.floor).toFixed(2)}× the floor (${c.files} files, ${c.planned} workloads; fixed start-up costs weigh most here)`);
fs.rmSync(work, { recursive: true, force: true });
if (process.env.BENCH_EXTENSION !== '0') await benchExtension();
