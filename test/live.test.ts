import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assess } from '../src/core/plan/assess';
import { PriceCache } from '../src/core/price/live/cache';
import { LivePriceSource, parseAwsEntry } from '../src/core/price/live/source';
import { awsGroupFor, gcpGroupFor } from '../src/core/price/live/groups';
import { requestKey } from '../src/core/price';
import type { Plan } from '../src/core/plan';
import { bundledSnapshot, snapshotFromDir, type SnapshotIndex } from '../src/core/price/snapshot';
import { validator } from '../src/core/parse/schemas';
import { awsProductsFromSnapshot, gcpSkusFromSnapshot, hasReference, startAwsPricing, startGcpCatalog, withFixturePrices, type Emulator } from './emulators';
import { repo, ROOT, SAMPLES } from './helpers';

const snap = bundledSnapshot();
// The emulators serve the reference pack's SKU names and Price List attributes with the snapshot's
// prices, for the regions these tests price in.
const REGIONS = ['us-east-1', 'us-east-2', 'eu-west-3', 'us-central1', 'europe-west3', 'europe-west9', 'global'];
const awsProducts = hasReference() ? awsProductsFromSnapshot(snap, REGIONS) : [];
const gcpSkus = hasReference() ? gcpSkusFromSnapshot(snap, REGIONS) : new Map();
const API_KEY = 'test-api-key';

const files = {
  'docker-compose.yml': 'services:\n  api:\n    image: acme/api:1\n    ports: ["80:80"]\n    deploy: { replicas: 2 }\n  db:\n    image: postgres:16\n  cache:\n    image: redis:7\n  tool:\n    image: acme/tool:1\n    privileged: true\n',
  'serverless.yml': 'service: s\nprovider: { name: aws, memorySize: 512 }\nfunctions:\n  f: { handler: h.h }\n',
  'k8s/d.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: k }\nspec: { template: { spec: { containers: [{ name: k, image: acme/k:1, resources: { requests: { cpu: 500m, memory: 1Gi } } }] } } }\n',
  'migration-inventory.yaml': 'workloads:\n  - { name: media, kind: storage, storageGb: 500 }\n',
};

function awsEnv(url: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_PRICING: url,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'not-a-real-secret',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: path.join(os.tmpdir(), 'cmp-no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(os.tmpdir(), 'cmp-no-aws-credentials'),
  };
}

/** Run `f` with process.env extended (the AWS SDK reads its endpoint and credentials from there). */
async function withEnv<T>(vars: Record<string, string | undefined>, f: () => Promise<T>): Promise<T> {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await f();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

function source(gcp: Emulator, cacheDir?: string, extra: Partial<ConstructorParameters<typeof LivePriceSource>[0]> = {}): LivePriceSource {
  return new LivePriceSource({ snapshot: snap, cache: cacheDir ? new PriceCache(cacheDir) : undefined, gcpApiKey: API_KEY, gcpEndpoint: gcp.url, timeoutMs: 3000, backoffMs: 20, ...extra });
}

function pricedLines(plan: Plan) {
  return plan.workloads.flatMap((w) => [...w.cost.aws.lines, ...w.cost.gcp.lines]).concat(plan.shared.aws.lines, plan.shared.gcp.lines);
}

describe('live prices through the real SDKs, against loopback emulators', function () {
  this.timeout(60000);
  before(function () {
    if (!hasReference()) this.skip(); // the emulators serve the reference pack's names (../shared/reference)
  });
  let aws: Emulator;
  let gcp: Emulator;
  beforeEach(async () => {
    aws = await startAwsPricing(awsProducts);
    gcp = await startGcpCatalog(gcpSkus, { apiKey: API_KEY });
  });
  afterEach(async () => {
    await aws.close();
    await gcp.close();
  });

  it('reads a real-shaped Price List entry, tiers included', () => {
    const e = awsProducts.find((p) => p.product.attributes.group === 'AWS-Lambda-Duration');
    const parsed = parseAwsEntry(JSON.stringify(e));
    assert.deepEqual(parsed?.dims.map((d) => d.beginRange), [0, 6e9, 15e9]);
    assert.equal(parseAwsEntry('{"product": '), undefined);
  });

  it('prices every line live, equal to the snapshot plan when the emulators serve the snapshot prices', async () => {
    const dir = repo(files);
    const offline = await assess(dir);
    const src = source(gcp);
    const live = await withEnv(awsEnv(aws.url), () => assess(dir, { priceSource: src }));
    assert.equal(live.pricing.source, 'live');
    assert.deepEqual(live.pricing.notices, []);
    const lines = pricedLines(live);
    const offLines = pricedLines(offline);
    assert.equal(lines.length, offLines.length);
    lines.forEach((l, i) => {
      if (offLines[i].monthlyUsd === null) {
        assert.equal(l.monthlyUsd, null, l.resource); // what the snapshot lacks, live lacks too here
      } else {
        assert.equal(l.source, 'live', l.resource);
        assert.equal(l.monthlyUsd, offLines[i].monthlyUsd, l.resource);
      }
    });
    assert.equal(live.totals.aws.monthlyUsd, offline.totals.aws.monthlyUsd);
    assert.equal(live.totals.gcp.monthlyUsd, offline.totals.gcp.monthlyUsd);
    // Every request spoke the real protocols.
    assert.ok(aws.requests.every((r) => r.headers['x-amz-target'] === 'AWSPriceListService.GetProducts' && /AWS4-HMAC-SHA256/.test(String(r.headers.authorization))));
    assert.ok(gcp.requests.every((r) => /^\/v1\/services\/[0-9A-F-]+\/skus/.test(r.path) && r.headers['x-goog-api-key'] === API_KEY));
  });

  it('every live matcher finds its price among the real SKU names and Price List attributes', async () => {
    // One key of each kind the matchers know, in the regions whose names differ (Tier 1 / Tier 2 Cloud Run).
    const kinds = new Map<string, { provider: 'aws' | 'gcp'; region: string; key: string }>();
    for (const p of snap.data.prices) {
      if (!['us-east-1', 'us-east-2', 'us-central1', 'europe-west3', 'europe-west9', 'global'].includes(p.region)) continue;
      const has = p.provider === 'aws' ? awsGroupFor(p.key, p.region) : gcpGroupFor(p.key, snap.shapes.gcp);
      if (!has) continue;
      const kind = `${p.provider}|${p.region === 'europe-west3' ? 'tier2|' : ''}${p.key.replace(/\/[^/]*\d[^/]*(?=\/|$)/g, '/*')}`;
      if (!kinds.has(kind)) kinds.set(kind, { provider: p.provider, region: p.region, key: p.key });
    }
    assert.ok(kinds.size >= 35, `${kinds.size} kinds`);
    const requests = [...kinds.values()];
    const answers = await withEnv(awsEnv(aws.url), () => source(gcp).quote(requests));
    for (const r of requests) {
      const a = answers.get(requestKey(r));
      assert.ok(a && 'usd' in a && a.source === 'live', `${r.provider} ${r.region} ${r.key}: ${JSON.stringify(a)}`);
      const want = snap.price(r.provider, r.region, r.key)!.usd;
      assert.ok(Math.abs(a.usd - want) <= want * 1e-9, `${r.key}: live ${a.usd} vs snapshot ${want}`);
    }
  });

  it('in a region the bundled data barely covers (eu-west-1 / europe-west1), every line with a matcher is priced live', async () => {
    // The emulators answer there with fixture prices; the plan's own snapshot still lacks them.
    const fixture = withFixturePrices(snap, { aws: ['us-east-1', 'us-east-2'], gcp: ['us-central1', 'europe-west3', 'global'] }, { aws: 'eu-west-1', gcp: 'europe-west1' });
    const euAws = await startAwsPricing(awsProductsFromSnapshot(fixture, ['eu-west-1']), 100);
    const euGcp = await startGcpCatalog(gcpSkusFromSnapshot(fixture, ['europe-west1', 'global']), { apiKey: API_KEY, pageSize: 100 });
    try {
      const dir = repo({ ...files, '.migration.yaml': 'regions: { aws: eu-west-1, gcp: europe-west1 }\n' });
      const offline = await assess(dir);
      assert.ok(pricedLines(offline).some((l) => l.monthlyUsd === null && /for eu-west-1 \(it has one for us-east-1\)/.test(l.missing ?? '')));
      const live = await withEnv(awsEnv(euAws.url), () => assess(dir, { priceSource: source(euGcp) }));
      const lines = pricedLines(live);
      for (const l of lines) {
        const provider = live.workloads.some((w) => w.cost.aws.lines.includes(l)) || live.shared.aws.lines.includes(l) ? 'aws' : 'gcp';
        const matcher = provider === 'aws' ? awsGroupFor(l.priceKey, 'eu-west-1') : gcpGroupFor(l.priceKey, snap.shapes.gcp);
        if (matcher) assert.equal(l.source, 'live', `${provider} ${l.priceKey}: ${l.missing ?? ''}`);
      }
      assert.ok(lines.filter((l) => l.source === 'live').length / lines.length >= 0.95, `${lines.filter((l) => l.source === 'live').length} of ${lines.length} lines live`);
    } finally {
      await euAws.close();
      await euGcp.close();
    }
  });

  it('sends one request per distinct price group cold, follows pages, and none warm', async () => {
    const dir = repo(files);
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'cmp-cache-'));
    const cold = source(gcp, cache);
    await withEnv(awsEnv(aws.url), () => assess(dir, { priceSource: cold }));
    // Distinct AWS groups for this repository: EC2 (tool's instance, the EKS node), ECS (both Fargate
    // keys), Lambda (duration and requests), RDS (instance, storage), ElastiCache, S3, EKS, ELB (the ALB).
    const awsBodies = aws.requests.map((r) => JSON.parse(r.body) as { ServiceCode: string; Filters: { Field: string; Value: string }[]; NextToken?: string });
    const firstPages = awsBodies.filter((b) => !b.NextToken);
    const groups = new Set(firstPages.map((b) => b.ServiceCode + JSON.stringify(b.Filters)));
    assert.equal(groups.size, firstPages.length, 'no group is requested twice');
    assert.deepEqual([...new Set(firstPages.map((b) => b.ServiceCode))].sort(), ['AWSELB', 'AWSLambda', 'AmazonEC2', 'AmazonECS', 'AmazonEKS', 'AmazonElastiCache', 'AmazonRDS', 'AmazonS3']);
    assert.ok(awsBodies.some((b) => b.NextToken), 'a multi-page answer was followed');
    assert.equal(cold.requests.aws, aws.requests.length);
    const gcpServices = new Set(gcp.requests.map((r) => r.path.split('/')[3]));
    assert.ok(gcp.requests.length > gcpServices.size, 'GCP pages were followed');
    const awsCount = aws.requests.length;
    const gcpCount = gcp.requests.length;
    const warm = source(gcp, cache);
    const plan = await withEnv(awsEnv(aws.url), () => assess(dir, { priceSource: warm }));
    assert.equal(aws.requests.length, awsCount, 'warm: no AWS request');
    assert.equal(gcp.requests.length, gcpCount, 'warm: no GCP request');
    assert.equal(plan.pricing.source, 'live');
    // --refresh (Refresh Prices) bypasses the cache.
    await withEnv(awsEnv(aws.url), () => assess(dir, { priceSource: source(gcp, cache, { refresh: true }) }));
    assert.equal(aws.requests.length, awsCount * 2);
  });

  it('retries throttling (the SDK on AWS, with backoff on GCP) and gets the prices', async () => {
    aws.faults.throttleFirst = 2;
    gcp.faults.throttleFirst = 1;
    const plan = await withEnv(awsEnv(aws.url), () => assess(repo(files), { priceSource: source(gcp) }));
    assert.equal(plan.pricing.source, 'live');
    assert.ok(aws.requests.length > 2);
  });

  it('falls back to the snapshot on 5xx, with the reason, without failing', async () => {
    aws.faults.serverError = true;
    const plan = await withEnv(awsEnv(aws.url), () => assess(repo(files), { priceSource: source(gcp) }));
    assert.equal(plan.pricing.source, 'mixed');
    assert.ok(plan.pricing.notices.some((n) => /from the snapshot instead of live: AWS server error 500/.test(n)), plan.pricing.notices.join('; '));
    assert.ok(pricedLines(plan).filter((l) => l.priceKey.startsWith('ec2/')).every((l) => l.source === 'snapshot'));
    assert.ok(plan.workloads.some((w) => w.cost.gcp.lines.some((l) => l.source === 'live')));
  });

  it('times out slow answers and says so', async () => {
    gcp.faults.delayMs = 1500;
    const plan = await withEnv(awsEnv(aws.url), () => assess(repo(files), { priceSource: source(gcp, undefined, { timeoutMs: 300, maxAttempts: 1 }) }));
    assert.ok(plan.pricing.notices.some((n) => /GCP timed out/.test(n)), plan.pricing.notices.join('; ') + ' / ' + plan.pricing.source);
    assert.equal(plan.pricing.source, 'mixed');
  });

  it('skips malformed entries and uses the good ones', async () => {
    aws.faults.malformed = true;
    gcp.faults.malformed = true;
    const plan = await withEnv(awsEnv(aws.url), () => assess(repo(files), { priceSource: source(gcp) }));
    assert.equal(plan.pricing.source, 'live', plan.pricing.notices.join('; '));
  });

  it('empty results fall back with "no product found" / "no SKU found"', async () => {
    aws.faults.empty = true;
    gcp.faults.empty = true;
    const plan = await withEnv(awsEnv(aws.url), () => assess(repo(files), { priceSource: source(gcp) }));
    assert.equal(plan.pricing.source, 'snapshot');
    assert.ok(plan.pricing.notices.some((n) => /AWS no product found/.test(n)));
    assert.ok(plan.pricing.notices.some((n) => /GCP no SKU found/.test(n)));
  });

  it('stops an endless next-token loop', async () => {
    aws.faults.endlessToken = true;
    gcp.faults.endlessToken = true;
    const plan = await withEnv(awsEnv(aws.url), () => assess(repo(files), { priceSource: source(gcp) }));
    assert.ok(plan.pricing.notices.some((n) => /AWS pagination loop/.test(n)), plan.pricing.notices.join('; '));
    assert.ok(plan.pricing.notices.some((n) => /GCP pagination loop/.test(n)));
    assert.ok(aws.requests.length < 40, `bounded: ${aws.requests.length} requests`);
  });

  it('without credentials or with a wrong API key, says so and uses the snapshot', async () => {
    const env = { ...awsEnv(aws.url), AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_PROFILE: undefined };
    const plan = await withEnv(env, () => assess(repo(files), { priceSource: source(gcp, undefined, { gcpApiKey: 'wrong-key' }) }));
    assert.equal(plan.pricing.source, 'snapshot');
    assert.ok(plan.pricing.notices.some((n) => /AWS no credentials/.test(n)), plan.pricing.notices.join('; '));
    assert.equal(aws.requests.length, 0);
    assert.ok(plan.pricing.notices.some((n) => /^\d+ prices? from the snapshot instead of live: GCP /.test(n)));
  });

  it('the CLI prices a sample live with the emulators up, and from the snapshot with them down', async () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'cmp-cache-'));
    const env = { ...process.env, ...awsEnv(aws.url), MIGRATION_PLANNER_GCP_API_KEY: API_KEY, MIGRATION_PLANNER_GCP_BILLING_ENDPOINT: gcp.url, MIGRATION_PLANNER_CACHE_DIR: cache, MIGRATION_PLANNER_PRICE_TIMEOUT_MS: '2000' };
    const run = () =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const p = spawn(process.execPath, [path.join(ROOT, 'bin', 'migration-planner.js'), 'assess', path.join(SAMPLES, 'ridehailing-heroku'), '--format', 'json', '--pricing', 'live', '--refresh'], { env });
        let out = '';
        let err = '';
        p.stdout.on('data', (d) => (out += d));
        p.stderr.on('data', (d) => (err += d));
        p.on('close', (code) => resolve({ code, out, err }));
      });
    const up = await run();
    assert.equal(up.code, 0, up.err);
    const livePlan = JSON.parse(up.out) as Plan;
    // Every line the catalogs can answer is live; the rest are items the reference tables name no
    // SKU or filter for (CloudWatch Logs, Cloud Logging), and they say so.
    const priced = pricedLines(livePlan).filter((l) => l.monthlyUsd !== null);
    const notLive = priced.filter((l) => l.source !== 'live');
    assert.deepEqual([...new Set(notLive.map((l) => l.priceKey))].sort(), ['cloud-logging/ingest/gb', 'cloudwatch-logs/ingest/gb']);
    for (const p of ['aws', 'gcp'] as const) {
      const mine = livePlan.workloads.flatMap((w) => w.cost[p].lines).concat(livePlan.shared[p].lines).filter((l) => l.monthlyUsd !== null);
      assert.ok(mine.filter((l) => l.source === 'live').length / mine.length >= 0.9, `${p}: at least 90% of the lines are live`);
    }
    assert.ok(livePlan.pricing.notices.every((n) => /no live (price filter|SKU matcher) for this item/.test(n)), livePlan.pricing.notices.join('; '));
    await aws.close();
    await gcp.close();
    const down = await run();
    assert.equal(down.code, 0, down.err);
    const fallback = JSON.parse(down.out) as Plan;
    assert.equal(fallback.pricing.source, 'snapshot');
    assert.match(down.err, /pricing: \d+ prices? from the snapshot instead of live: (AWS|GCP) unreachable/);
    assert.equal(fallback.totals.gcp.monthlyUsd, livePlan.totals.gcp.monthlyUsd);
    aws = await startAwsPricing(awsProducts);
    gcp = await startGcpCatalog(gcpSkus, { apiKey: API_KEY });
  });
});

describe('prices:update', () => {
  before(function () {
    if (!hasReference()) this.skip();
  });
  it('regenerates the snapshot from the live APIs, deterministically and valid', async function () {
    this.timeout(180000);
    const aws = await startAwsPricing(awsProducts, 100);
    const gcp = await startGcpCatalog(gcpSkus, { apiKey: API_KEY, pageSize: 100 });
    try {
      const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cmp-snap-')), 'prices');
      const env = { ...process.env, ...awsEnv(aws.url), MIGRATION_PLANNER_GCP_API_KEY: API_KEY, MIGRATION_PLANNER_GCP_BILLING_ENDPOINT: gcp.url };
      // Asynchronous: the emulators answer on this process's event loop.
      const runIt = () =>
        new Promise<{ status: number | null; stderr: string }>((resolve) => {
          const p = spawn(process.execPath, [path.join(ROOT, 'dist', 'prices-update.js'), out, '--regions', 'aws:us-east-2,gcp:europe-west9'], { env });
          let stderr = '';
          p.stderr.on('data', (d) => (stderr += d));
          p.on('close', (status) => resolve({ status, stderr }));
        });
      const asked = snap.data.prices.filter((p) => (p.provider === 'aws' && p.region === 'us-east-2') || (p.provider === 'gcp' && p.region === 'europe-west9')).length;
      const r1 = await runIt();
      assert.equal(r1.status, 0, r1.stderr);
      const m = new RegExp(`(\\d+) of ${asked} prices in aws us-east-2, gcp europe-west9 refreshed live`).exec(r1.stderr);
      assert.ok(m, r1.stderr);
      const first = fs.readFileSync(path.join(out, 'aws', 'us-east-2.json'), 'utf8');
      const r2 = await runIt();
      assert.equal(r2.status, 0);
      assert.equal(fs.readFileSync(path.join(out, 'aws', 'us-east-2.json'), 'utf8'), first, 'deterministic');
      const index = JSON.parse(fs.readFileSync(path.join(out, 'index.json'), 'utf8')) as SnapshotIndex;
      const fresh = snapshotFromDir(out, index);
      const cache = fresh.price('aws', 'us-east-2', 'elasticache/redis/cache.t3.small');
      assert.equal(cache?.usd, snap.price('aws', 'us-east-2', 'elasticache/redis/cache.t3.small')?.usd);
      assert.equal(cache?.confidence, 'live');
      assert.equal(cache?.source, 'AWS Price List Query API');
      assert.equal(fresh.price('gcp', 'europe-west9', 'compute/machine/e2-standard-2')?.confidence, 'live');
      // Regions not asked for keep their bundled prices, byte for byte.
      assert.equal(fs.readFileSync(path.join(out, 'aws', 'us-east-1.json'), 'utf8'), fs.readFileSync(path.join(ROOT, 'data', 'prices', 'aws', 'us-east-1.json'), 'utf8'));
      assert.ok(validator('snapshot')(fresh.data));
    } finally {
      await aws.close();
      await gcp.close();
    }
  });
});
