/**
 * npm run prices:update — refresh the bundled snapshot from the live price APIs, for the regions
 * and items it already has. Deterministic: prices are sorted, and each keeps one line. Prices the
 * APIs cannot give keep their snapshot figure and source. Needs credentials (see README).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LivePriceSource } from '../core/price/live/source';
import { isQuote, requestKey } from '../core/price';
import { validator } from '../core/parse/schemas';
import { bundledSnapshot, serializeSnapshot, type SnapshotData } from '../core/price/snapshot';

async function main(): Promise<number> {
  const out = process.argv[2] ?? path.join(__dirname, '..', 'data', 'price-snapshot.json');
  const snap = bundledSnapshot();
  const live = new LivePriceSource({ snapshot: snap, refresh: true, env: process.env, awsProfile: process.env.AWS_PROFILE, log: (s) => process.stderr.write(s + '\n') });
  const requests = snap.data.prices.map((p) => ({ provider: p.provider, region: p.region, key: p.key }));
  const answers = await live.quote(requests);
  let updated = 0;
  const prices = snap.data.prices.map((p) => {
    const a = answers.get(requestKey(p));
    if (!isQuote(a) || a.source !== 'live') return p;
    updated++;
    return { ...p, usd: Number(a.usd.toPrecision(10)), asOf: a.asOf, source: a.origin, confidence: 'live' };
  });
  const dates = prices.map((p) => p.asOf).sort();
  const data: SnapshotData = { ...snap.data, prices, asOf: dates[dates.length - 1], oldestAsOf: dates[0] };
  const v = validator('snapshot');
  if (!v(data)) {
    process.stderr.write(`prices:update: the new snapshot is not valid: ${JSON.stringify(v.errors?.slice(0, 3))}\n`);
    return 1;
  }
  fs.writeFileSync(out, serializeSnapshot(data));
  for (const n of live.notices()) process.stderr.write(`prices:update: ${n}\n`);
  process.stderr.write(`prices:update: ${updated} of ${prices.length} prices refreshed live; wrote ${out}\n`);
  return 0;
}

main().then(
  (c) => (process.exitCode = c),
  (e: unknown) => {
    process.stderr.write(`prices:update: ${(e as Error).message}\n`);
    process.exitCode = 1;
  },
);
