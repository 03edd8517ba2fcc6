#!/usr/bin/env node
// Builds data/price-snapshot.json from a folder of published reference prices (CSV files with a
// source and a date on every row). Usage: node scripts/build-snapshot.mjs <reference-dir>
// The output is deterministic: the same inputs give the same bytes.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const refDir = process.argv[2];
if (!refDir) {
  console.error('usage: node scripts/build-snapshot.mjs <reference-dir>');
  process.exit(2);
}

function csv(file) {
  const text = fs.readFileSync(path.join(refDir, file), 'utf8').trim();
  const [head, ...rows] = text.split(/\r?\n/);
  const cols = head.split(',');
  return rows.map((line) => {
    // The reference CSVs quote nothing; a source with commas would break this, so check the count.
    const cells = line.split(',');
    if (cells.length < cols.length) throw new Error(`${file}: short row: ${line}`);
    // Extra commas belong to the free-text column that precedes the last one.
    if (cells.length > cols.length) {
      const extra = cells.length - cols.length;
      const srcIdx = cols.indexOf('source');
      cells.splice(srcIdx, extra + 1, cells.slice(srcIdx, srcIdx + extra + 1).join(','));
    }
    return Object.fromEntries(cols.map((c, i) => [c, cells[i]]));
  });
}

// (provider, service, item) in list-prices.csv → snapshot key.
const KEYS = {
  'aws|fargate|Linux/x86 per vCPU': 'fargate/linux-x86/vcpu-hour',
  'aws|fargate|Linux/x86 per GB memory': 'fargate/linux-x86/gb-hour',
  'aws|fargate|Linux/ARM per vCPU': 'fargate/linux-arm/vcpu-hour',
  'aws|fargate|Linux/ARM per GB memory': 'fargate/linux-arm/gb-hour',
  'aws|lambda|x86 duration first 6 billion GB-s per month': 'lambda/x86/gb-second/tier1',
  'aws|lambda|x86 duration next 9 billion GB-s': 'lambda/x86/gb-second/tier2',
  'aws|lambda|x86 duration over 15 billion GB-s': 'lambda/x86/gb-second/tier3',
  'aws|lambda|requests': 'lambda/requests/million',
  'aws|rds|db.m5.large MySQL Single-AZ': 'rds/db.m5.large/mysql/single-az',
  'aws|rds|db.t3.medium MySQL Single-AZ': 'rds/db.t3.medium/mysql/single-az',
  'aws|rds|db.t3.medium PostgreSQL Single-AZ': 'rds/db.t3.medium/postgresql/single-az',
  'aws|rds|db.m5.large PostgreSQL Single-AZ': 'rds/db.m5.large/postgresql/single-az',
  'aws|elasticache|cache.t3.medium Redis or Memcached': 'elasticache/cache.t3.medium',
  'aws|elasticache|cache.m5.large Redis or Memcached': 'elasticache/cache.m5.large',
  'aws|s3|Standard storage first 50 TB': 's3/standard/gb-month',
  'aws|eks|cluster control plane (standard support)': 'eks/cluster-hour/standard',
  'aws|eks|cluster control plane (extended support)': 'eks/cluster-hour/extended',
  'gcp|compute-engine|e2-standard-2': 'compute/machine/e2-standard-2',
  'gcp|compute-engine|e2-medium (billed as 1 vCPU 4 GB)': 'compute/machine/e2-medium',
  'gcp|compute-engine|n2-standard-4': 'compute/machine/n2-standard-4',
  'gcp|compute-engine|E2 Instance Core': 'compute/e2/core-hour',
  'gcp|compute-engine|E2 Instance Ram': 'compute/e2/ram-gb-hour',
  'gcp|compute-engine|N2 Instance Core': 'compute/n2/core-hour',
  'gcp|compute-engine|N2 Instance Ram': 'compute/n2/ram-gb-hour',
  'gcp|cloud-run|CPU request-based billing tier 1': 'run/request/vcpu-second',
  'gcp|cloud-run|memory request-based billing tier 1': 'run/request/gib-second',
  'gcp|cloud-run|requests': 'run/requests/million',
  'gcp|cloud-run|CPU instance-based billing (always allocated) and jobs': 'run/instance/vcpu-second',
  'gcp|cloud-run|memory instance-based billing (always allocated) and jobs': 'run/instance/gib-second',
  'gcp|cloud-sql|Enterprise zonal per vCPU': 'cloudsql/enterprise-zonal/vcpu-hour',
  'gcp|cloud-sql|Enterprise zonal per GB memory': 'cloudsql/enterprise-zonal/gb-hour',
  'gcp|memorystore-redis|Basic tier M1 capacity': 'memorystore-redis/basic/gb-hour',
  'gcp|memorystore-redis|Standard tier M1 capacity': 'memorystore-redis/standard/gb-hour',
  'gcp|cloud-storage|Standard regional': 'gcs/standard-regional/gb-month',
  'gcp|gke|cluster management fee (one zonal or Autopilot cluster per billing account is free)': 'gke/cluster-hour',
  'gcp|cloud-functions|1st gen memory tier 1': 'functions/gen1/gb-second',
  'gcp|cloud-functions|1st gen CPU tier 1': 'functions/gen1/ghz-second',
  'gcp|cloud-functions|1st gen invocations': 'functions/gen1/invocations-million',
};

const prices = [];
let lastSource = '';
for (const r of csv('list-prices.csv')) {
  let key = KEYS[`${r.provider}|${r.service}|${r.item}`];
  const ec2 = /^(\S+) Linux on-demand$/.exec(r.item);
  if (!key && r.service === 'ec2' && ec2) key = `ec2/${ec2[1]}`;
  if (!key) throw new Error(`list-prices.csv: no key for ${r.provider} ${r.service} "${r.item}"`);
  // "as above" in the source column refers to the previous row's source.
  const source = /^as above/i.test(r.source) ? `${lastSource}${r.source.slice('as above'.length)}` : r.source;
  if (!/^as above/i.test(r.source)) lastSource = r.source;
  prices.push({ provider: r.provider, region: r.region, key, item: r.item, unit: r.unit, usd: Number(r.usd), asOf: r.as_of, source, confidence: r.confidence });
}
const ec2Keys = new Set(prices.filter((p) => p.provider === 'aws' && p.region === 'us-east-1').map((p) => p.key));
for (const r of csv('aws-ec2-linux-ondemand-us-east-1.csv')) {
  const key = `ec2/${r.instance_type}`;
  if (ec2Keys.has(key)) continue; // list-prices.csv already has it, with the same figure
  prices.push({ provider: 'aws', region: 'us-east-1', key, item: `${r.instance_type} Linux on-demand`, unit: 'hour', usd: Number(r.usd_per_hour), asOf: '2026-07-20', source: 'AWS Price List API, EC2 Linux on-demand us-east-1 (reference table aws-ec2-linux-ondemand-us-east-1.csv)', confidence: 'committed-data' });
}
for (const p of prices) if (!Number.isFinite(p.usd)) throw new Error(`not a number: ${JSON.stringify(p)}`);
prices.sort((a, b) => (a.provider + a.region + a.key < b.provider + b.region + b.key ? -1 : 1));

const awsShapes = JSON.parse(fs.readFileSync(path.join(here, '..', 'data', 'aws-instance-shapes.json'), 'utf8'));
const shapes = { aws: {}, gcp: {} };
for (const [name, [vcpu, mem, gpus]] of Object.entries(awsShapes.shapes).sort()) {
  shapes.aws[name] = { vcpu, memoryGiB: mem, family: name.split('.').slice(0, -1).join('.'), ...(gpus ? { gpus } : {}) };
}
const SHARED_BILLED = { 'e2-micro': 0.25, 'e2-small': 0.5, 'e2-medium': 1 };
for (const r of csv('gcp-machine-types.csv').sort((a, b) => (a.machine_type < b.machine_type ? -1 : 1))) {
  const s = { vcpu: Number(r.vcpus), memoryGiB: Number(r.memory_gb), family: r.machine_type.split('-')[0] };
  if (r.shared_core === 'true' && SHARED_BILLED[r.machine_type]) s.billedVcpu = SHARED_BILLED[r.machine_type];
  if (r.deprecated && r.deprecated !== 'false') s.deprecated = true;
  s.regions = r.regions.split(' ').filter(Boolean).sort();
  shapes.gcp[r.machine_type] = s;
}
const dates = prices.map((p) => p.asOf).sort();
const snapshot = {
  version: 1,
  asOf: dates[dates.length - 1],
  oldestAsOf: dates[0],
  currency: 'USD',
  hoursPerMonth: 730,
  shapeSources: {
    aws: awsShapes.source,
    gcp: 'Compute Engine machine types (reference table gcp-machine-types.csv, 2026-08-17); shared-core E2 bills 0.25/0.5/1 vCPU',
  },
  prices,
  shapes,
};
// One price or shape per line: readable, and diffs stay small when a price changes.
const lines = ['{'];
for (const k of ['version', 'asOf', 'oldestAsOf', 'currency', 'hoursPerMonth', 'shapeSources']) lines.push(`  ${JSON.stringify(k)}: ${JSON.stringify(snapshot[k])},`);
lines.push('  "prices": [');
lines.push(prices.map((p) => '    ' + JSON.stringify(p)).join(',\n'));
lines.push('  ],');
lines.push('  "shapes": {');
lines.push(['aws', 'gcp'].map((pv) => `    "${pv}": {\n` + Object.entries(shapes[pv]).map(([n, s]) => `      ${JSON.stringify(n)}: ${JSON.stringify(s)}`).join(',\n') + '\n    }').join(',\n'));
lines.push('  }');
lines.push('}');
const out = path.join(here, '..', 'data', 'price-snapshot.json');
fs.writeFileSync(out, lines.join('\n') + '\n');
console.error(`wrote ${path.relative(process.cwd(), out)}: ${prices.length} prices, ${Object.keys(shapes.aws).length + Object.keys(shapes.gcp).length} shapes, as of ${snapshot.asOf}`);

// ---- Carbon coefficients (Cloud Carbon Footprint method), with their sources ----------------
const carbonRows = csv('carbon-coefficients.csv');
{
  let prev = '';
  for (const r of carbonRows) {
    if (/^as above/i.test(r.source)) r.source = `${prev}${r.source.slice('as above'.length)}`;
    else prev = r.source;
  }
}
const num = (item, provider) => {
  const r = carbonRows.find((x) => x.item === item && (provider === undefined || x.provider === provider));
  if (!r) throw new Error(`carbon-coefficients.csv: no "${item}" for ${provider}`);
  return { value: Number(r.value), unit: r.unit, source: r.source };
};
const carbon = { version: 1, providers: {}, common: {}, grid: { aws: {}, gcp: {} }, embodied: { aws: {}, gcp: {} }, onPrem: {} };
for (const p of ['aws', 'gcp']) {
  carbon.providers[p] = {
    minWattsPerVcpu: num('min watts per vCPU (unknown CPU)', p),
    maxWattsPerVcpu: num('max watts per vCPU (unknown CPU)', p),
    pue: num(p === 'aws' ? 'PUE' : 'PUE fleet', p),
  };
}
carbon.common = {
  memoryKwhPerGbHour: num('memory energy', 'all'),
  ssdWhPerTbHour: num('SSD storage energy', 'all'),
  hddWhPerTbHour: num('HDD storage energy', 'all'),
  defaultUtilisation: num('default CPU utilisation', 'all'),
  serverLifespanHours: num('server lifespan for embodied emissions', 'all'),
};
for (const r of carbonRows) {
  const g = /^grid factor (\S+)$/.exec(r.item);
  if (g && (r.provider === 'aws' || r.provider === 'gcp')) carbon.grid[r.provider][g[1]] = { tPerKwh: Number(r.value), source: r.source };
  const e = /^embodied per (\S+) server$/.exec(r.item);
  if (e && (r.provider === 'aws' || r.provider === 'gcp')) {
    const largest = /largest \S+ has (\d+) vCPU/.exec(r.unit);
    carbon.embodied[r.provider][e[1]] = { tCo2e: Number(r.value), largestVcpu: largest ? Number(largest[1]) : null, source: r.source };
  }
}
const pueRange = carbonRows.find((x) => x.provider === 'onprem' && /PUE/.test(x.item));
const util = carbonRows.find((x) => x.provider === 'onprem' && /utilisation/.test(x.item));
const [lo, hi] = pueRange.value.split('-').map(Number);
carbon.onPrem = {
  pueLow: lo,
  pueHigh: hi,
  pueSource: pueRange.source,
  averageUtilisation: Number(util.value),
  utilisationSource: util.source,
};
const carbonOut = path.join(here, '..', 'data', 'carbon-coefficients.json');
fs.writeFileSync(carbonOut, JSON.stringify(carbon, null, 2) + '\n');
console.error(`wrote ${path.relative(process.cwd(), carbonOut)}`);
