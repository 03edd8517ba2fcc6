/**
 * npm run prices:update [folder] — refresh the bundled snapshot (data/prices) from the live price APIs, for the regions
 * and items it already has. Deterministic: prices are sorted, and each keeps one line. Prices the
 * APIs cannot give keep their snapshot figure and source. Needs credentials (see README).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LivePriceSource } from '../core/price/live/source';
import { isQuote, requestKey } from '../core/price';
import { validator } from '../core/parse/schemas';
import { bundledSnapshot, serializeSnapshot, type SnapshotData } from '../core/price/snapshot';

/** `--regions aws:R,gcp:R` (repeatable): the regions to refresh; the default regions otherwise. */
function regionsToRefresh(args: string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== '--regions') continue;
    for (const part of (args[++i] ?? '').split(',')) {
      const [p, r] = part.split(':');
      if ((p === 'aws' || p === 'gcp') && r) out.add(`${p}|${r}`);
    }
  }
  if (out.size === 0) for (const r of ['aws|us-east-1', 'gcp|us-central1', 'gcp|global']) out.add(r);
  return out;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const out = args[0] && !args[0].startsWith('--') ? args[0] : path.join(__dirname, '..', 'data', 'prices');
  const regions = regionsToRefresh(args);
  const snap = bundledSnapshot();
  const live = new LivePriceSource({ snapshot: snap, refresh: true, env: process.env, awsProfile: process.env.AWS_PROFILE, log: (s) => process.stderr.write(s + '\n') });
  const asked = snap.data.prices.filter((p) => regions.has(`${p.provider}|${p.region}`));
  const answers = await live.quote(asked.map((p) => ({ provider: p.provider, region: p.region, key: p.key })));
  let updated = 0;
  const prices = snap.data.prices.map((p) => {
    const a = answers.get(requestKey(p));
    if (!isQuote(a) || a.source !== 'live') return p;
    updated++;
    return { ...p, usd: Number(a.usd.toPrecision(10)), asOf: a.asOf, source: a.origin, confidence: 'live' };
  });
  const dates = prices.map((p) => p.asOf).filter((d) => /^\d/.test(d)).sort();
  const data: SnapshotData = { ...snap.data, prices, asOf: dates[dates.length - 1], oldestAsOf: dates[0] };
  const v = validator('snapshot');
  if (!v(data)) {
    process.stderr.write(`prices:update: the new snapshot is not valid: ${JSON.stringify(v.errors?.slice(0, 3))}\n`);
    return 1;
  }
  for (const [rel, text] of serializeSnapshot(data)) {
    fs.mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
    fs.writeFileSync(path.join(out, rel), text);
  }
  for (const n of live.notices()) process.stderr.write(`prices:update: ${n}\n`);
  process.stderr.write(`prices:update: ${updated} of ${asked.length} prices in ${[...regions].sort().join(', ').replace(/\|/g, ' ')} refreshed live; wrote ${out}\n`);
  return 0;
}

main().then(
  (c) => (process.exitCode = c),
  (e: unknown) => {
    process.stderr.write(`prices:update: ${(e as Error).message}\n`);
    process.exitCode = 1;
  },
);
