#!/usr/bin/env node
// npm run corpus [-- DIR] [-- --list]: assess every repository of a corpus folder (by default the
// shared development corpus beside this checkout, or CORPUS_DIR) and print, per repository, its
// workloads, what is not planned, its variant files, its unpriced cost lines and the time taken.
// With --list it also prints each workload's strategy and targets, one line each.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const list = args.includes('--list');
const dir = path.resolve(args.find((a) => !a.startsWith('--')) ?? process.env.CORPUS_DIR ?? path.join(root, '..', 'shared', 'corpus'));
if (!fs.existsSync(dir)) {
  console.error(`No corpus at ${dir}: pass a folder of repositories (or set CORPUS_DIR).`);
  process.exit(2);
}
const bin = path.join(root, 'bin', 'migration-planner.js');
const repos = fs.readdirSync(dir).filter((d) => fs.statSync(path.join(dir, d)).isDirectory()).sort();
console.log('repository | workloads | retired | not planned | variants | unpriced lines | diagnostics | ms');
let total = 0;
for (const repo of repos) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, 'assess', path.join(dir, repo), '--format', 'json', '--quiet'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Math.round(Number(process.hrtime.bigint() - t0) / 1e6);
  total += ms;
  if (r.status !== 0) {
    console.log(`${repo} | exit ${r.status}: ${r.stderr.trim().split('\n').pop()}`);
    continue;
  }
  const plan = JSON.parse(r.stdout);
  const unpriced = plan.workloads.flatMap((w) => [...w.cost.aws.lines, ...w.cost.gcp.lines]).filter((l) => l.monthlyUsd === null).length;
  const retired = plan.workloads.filter((w) => w.strategy === 'retire').length;
  console.log(`${repo} | ${plan.workloads.length} | ${retired} | ${plan.notPlanned.length} | ${plan.variants.length} | ${unpriced} | ${plan.diagnostics.length} | ${ms}`);
  if (list) {
    for (const w of plan.workloads) console.log(`    ${w.name}: ${w.strategy}${w.home ? ` (on ${w.home})` : ''} → ${w.targets.aws?.service ?? '—'} / ${w.targets.gcp?.service ?? '—'}  [${w.targets.aws?.sizing.summary ?? ''} | ${w.targets.gcp?.sizing.summary ?? ''}]`);
    for (const n of plan.notPlanned) console.log(`    not planned: ${n.name} (${n.reason}) ${n.sources[0]?.file ?? ''}`);
  }
}
console.log(`${repos.length} repositories in ${total} ms`);
