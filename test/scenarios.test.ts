import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { assess } from '../src/core/plan/assess';
import { COEFFICIENTS, estimateCarbon, footprintOf } from '../src/core/plan/carbon';
import { committedRate, commitmentTotals } from '../src/core/plan/scenarios';
import { bundledSnapshot } from '../src/core/price/snapshot';
import { runCli, EXIT } from '../src/cli/cli';
import type { Cost } from '../src/core/types';
import { repo, SAMPLES, workload } from './helpers';

const snap = bundledSnapshot();
const round = (n: number, d: number) => Math.round(n * 10 ** d) / 10 ** d;
const fargate = 'services:\n  api:\n    image: acme/api:1\n    ports: ["80:80"]\n    deploy:\n      resources: { reservations: { cpus: "0.4", memory: 800M } }\n';

describe('carbon (Cloud Carbon Footprint method)', () => {
  it('the coefficient file carries the reference values with sources', () => {
    assert.equal(COEFFICIENTS.providers.aws.minWattsPerVcpu.value, 0.74);
    assert.equal(COEFFICIENTS.providers.gcp.maxWattsPerVcpu.value, 4.11);
    assert.equal(COEFFICIENTS.grid.aws['us-east-1'].tPerKwh, 0.000379069);
    assert.match(COEFFICIENTS.grid.aws['eu-west-1'].source, /cloud-carbon-footprint/);
    assert.ok(!JSON.stringify(COEFFICIENTS).includes('"as above'));
  });
  it('matches a hand calculation for a Fargate task in us-east-1', async () => {
    const plan = await assess(repo({ 'docker-compose.yml': fargate }));
    const c = workload(plan, 'api').carbon.aws;
    // 1 task × 0.5 vCPU × 730 h = 365 vCPU-h; 1 GB × 730 h = 730 GB-h.
    const compute = (365 * (0.74 + 0.5 * (3.5 - 0.74))) / 1000; // 0.7738 kWh
    const memory = 730 * 0.000392; // 0.28616 kWh
    const kwh = (compute + memory) * 1.135;
    const operational = kwh * 0.000379069 * 1000;
    const embodied = (1.7879024 * 1000 * 365) / (128 * 35040); // m6i server share
    assert.equal(c.kwhPerMonth, round(kwh, 2));
    assert.equal(c.operationalKg, round(operational, 3));
    assert.equal(c.embodiedKg, round(embodied, 3));
    assert.equal(c.kgCo2ePerMonth, round(operational + embodied, 2));
  });
  it('matches a hand calculation for Cloud Run in us-central1, with e2 embodied emissions', async () => {
    const plan = await assess(repo({ 'docker-compose.yml': fargate }));
    const c = workload(plan, 'api').carbon.gcp;
    // Cloud Run instance, like for like with the 0.5 vCPU / 1 GB Fargate task: 365 vCPU-h, 730 GiB-h.
    const kwh = ((365 * (0.68 + 0.5 * (4.11 - 0.68))) / 1000 + 730 * 0.000392) * 1.1;
    const operational = kwh * 0.000456 * 1000;
    const embodied = (1.2303 * 1000 * 365) / (32 * 35040); // largest e2 in the shapes table: 32 vCPU
    assert.equal(c.kwhPerMonth, round(kwh, 2));
    assert.equal(c.kgCo2ePerMonth, round(operational + embodied, 2));
  });
  it('reports a region without a grid factor as unknown, with the reason, never guessed', async () => {
    const plan = await assess(repo({ 'docker-compose.yml': fargate }));
    const fp = footprintOf({ service: 'aws.ecs-fargate', sizing: { summary: '', basis: [] }, usage: [{ resource: 'x', quantity: 365, unit: 'vcpu-hour', priceKey: 'fargate/linux-x86/vcpu-hour' }] }, 'aws', snap);
    const c = estimateCarbon(fp, 'aws', 'ap-south-1', snap);
    assert.equal(c.kgCo2ePerMonth, null);
    assert.match(c.reason ?? '', /no grid emission factor for aws ap-south-1/);
    assert.ok((c.kwhPerMonth ?? 0) > 0, 'energy is still known');
    assert.ok(plan.totals.carbon.aws.kgCo2ePerMonth !== null);
  });
  it('counts a Kubernetes pod on both clouds alike: its share of a GKE node is energy as an EKS one is', async () => {
    const k8s = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: api\n          image: acme/api:1\n          ports: [{ containerPort: 8080 }]\n          resources: { requests: { cpu: 500m, memory: 1Gi } }\n';
    const plan = await assess(repo({ 'k8s/api.yaml': k8s }));
    const w = workload(plan, 'api');
    assert.equal(w.targets.gcp?.service, 'gcp.gke');
    const line = w.cost.gcp.lines[0];
    assert.match(line.priceKey, /^compute\/machine\/e2-standard-/);
    // The node share's instance-hours × the node's 2 vCPU / 8 GB, by the same CCF arithmetic.
    const shape = snap.shapes.gcp[line.priceKey.split('/').pop() as string];
    const kwh = ((line.quantity * shape.vcpu * (0.68 + 0.5 * (4.11 - 0.68))) / 1000 + line.quantity * shape.memoryGiB * 0.000392) * 1.1;
    assert.equal(w.carbon.gcp.kwhPerMonth, round(kwh, 2));
    assert.ok((w.carbon.gcp.kwhPerMonth ?? 0) > 0 && (w.carbon.aws.kwhPerMonth ?? 0) > 0);
    const ratio = (w.carbon.gcp.kwhPerMonth ?? 0) / (w.carbon.aws.kwhPerMonth ?? 1);
    assert.ok(ratio > 0.5 && ratio < 2, `like for like on both clouds (${ratio})`);
  });
  it('finds the machine behind any instance-hour price key, and counts a licence or fee line as no machine', () => {
    const use = (provider: 'aws' | 'gcp', priceKey: string) =>
      footprintOf({ service: 'x', sizing: { summary: '', basis: [] }, usage: [{ resource: priceKey, quantity: 730, unit: 'instance-hour', priceKey }] }, provider, snap);
    assert.equal(use('aws', 'ec2/windows/t3.medium').vcpuHours, 730 * 2);
    assert.equal(use('aws', 'elasticache/redis/cache.t4g.small').memGbHours, 730 * snap.shapes.aws['cache.t4g.small'].memoryGiB);
    assert.equal(use('aws', 'msk/kafka.t3.small').vcpuHours, 730 * 2);
    assert.equal(use('gcp', 'compute/machine/e2-medium').vcpuHours, 730 * 2);
    assert.equal(use('gcp', 'compute/windows-licence/e2-medium').vcpuHours, 0);
    assert.deepEqual(use('gcp', 'compute/windows-licence/e2-medium').unknown, []);
    // A machine the snapshot has no shape for is said to be not estimated, never a silent zero.
    assert.deepEqual(use('gcp', 'cloudsql/shared/micro/zonal').unknown, ['cloudsql/shared/micro/zonal']);
  });
  it('every sample shows carbon per provider region', async () => {
    for (const s of ['carmaker-used-car-quotes', 'grocer-drive-shop', 'ridehailing-heroku', 'betting-operator', 'elearning-lamp']) {
      const plan = await assess(path.join(SAMPLES, s));
      for (const p of ['aws', 'gcp'] as const) assert.ok((plan.totals.carbon[p].kgCo2ePerMonth ?? 0) > 0, `${s} ${p}`);
    }
  });
});

describe('traffic scenarios', () => {
  it('the grocer sample shows baseline vs peak on both providers, from the HPA bounds', async () => {
    const plan = await assess(path.join(SAMPLES, 'grocer-drive-shop'));
    const front = workload(plan, 'web-front');
    assert.equal(front.peak.multiplier, 12); // 36 / 3
    assert.equal(front.peak.hoursPerMonth, 60);
    // What scales is the pods' node share: baseline + baseline × (12 − 1) × 60/730.
    assert.equal(front.peak.aws.monthlyUsd, round(front.cost.aws.monthlyUsd * (1 + 11 * 60 / 730), 2));
    assert.equal(front.peak.gcp.monthlyUsd, round(front.cost.gcp.monthlyUsd * (1 + 11 * 60 / 730), 2));
    const [base, peak, lockdown] = plan.scenarios;
    assert.deepEqual([base.name, peak.name, lockdown.name], ['baseline', 'peak', 'lockdown']);
    for (const p of ['aws', 'gcp'] as const) {
      assert.ok(peak.totals[p].monthlyUsd > base.totals[p].monthlyUsd);
      assert.ok(lockdown.totals[p].monthlyUsd > peak.totals[p].monthlyUsd);
    }
    // Storage and the export job do not scale: the peak adds only the front's and the API's extra.
    const extra = plan.workloads.reduce((s, w) => s + (w.peak.aws.monthlyUsd - w.cost.aws.monthlyUsd), 0);
    assert.equal(round(peak.totals.aws.monthlyUsd - base.totals.aws.monthlyUsd, 2), round(extra, 2));
    assert.equal(workload(plan, 'product-images').peak.aws.monthlyUsd, workload(plan, 'product-images').cost.aws.monthlyUsd);
  });
  it('functions scale with invocations; databases do not', async () => {
    const plan = await assess(repo({
      'serverless.yml': 'service: s\nprovider: { name: aws, memorySize: 512 }\nfunctions:\n  f: { handler: h.h }\n',
      'docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n',
      '.migration.yaml': 'scenarios:\n  peak: { multiplier: 3, hoursPerMonth: 73 }\n',
    }));
    const f = workload(plan, 's-f');
    assert.equal(f.peak.aws.monthlyUsd, round(f.cost.aws.monthlyUsd * (1 + 2 * 0.1), 2));
    const db = workload(plan, 'db');
    assert.equal(db.peak.aws.monthlyUsd, db.cost.aws.monthlyUsd);
  });
  it('nonsense numbers get a diagnostic at the key; the defaults are used and the plan says so', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': fargate,
      '.migration.yaml': 'scenarios:\n  peak: { multiplier: -4, hoursPerMonth: 0 }\n  extra:\n    - { name: silly, multiplier: 100000, hoursPerMonth: 10 }\nonPrem:\n  pue: 0.5\n',
    }));
    const d = plan.diagnostics.filter((x) => x.file === '.migration.yaml');
    assert.ok(d.some((x) => x.line === 2 && /multiplier/.test(x.message)), JSON.stringify(d));
    assert.ok(d.some((x) => x.line === 4 && /multiplier/.test(x.message)));
    assert.ok(d.some((x) => x.line === 6 && /pue/.test(x.message)));
    assert.ok(plan.assumptions.some((a) => /scenarios\.peak\.multiplier .* not valid; the default was used/.test(a)));
    assert.equal(workload(plan, 'api').peak.multiplier, 1);
    assert.equal(workload(plan, 'api').peak.hoursPerMonth, 60);
    assert.equal(plan.scenarios.length, 2, 'the invalid extra scenario is left out');
  });
});

describe('commitments', () => {
  it('are not invented: a plan with no line the data has a committed price for says so', async () => {
    const plan = await assess(repo({ 'docker-compose.yml': fargate }));
    assert.equal(plan.commitments.aws.onDemand, plan.totals.aws.monthlyUsd);
    assert.equal(plan.commitments.aws.oneYear, null);
    assert.equal(plan.commitments.gcp.sustainedUse, null);
    assert.ok(plan.commitments.gcp.reasons.some((r) => /no sourced committed-use price for any line/.test(r)), JSON.stringify(plan.commitments.gcp.reasons));
  });
  it('price each line at its sourced committed price and keep the rest on demand, naming them', () => {
    const cud1 = snap.price('gcp', 'us-central1', 'compute/machine/e2-standard-2/cud-1y-month');
    const cud3 = snap.price('gcp', 'us-central1', 'compute/machine/e2-standard-2/cud-3y-month');
    assert.ok(cud1 && cud3);
    const hourly = snap.price('gcp', 'us-central1', 'compute/machine/e2-standard-2')!.usd;
    const costs: Cost[] = [{ monthlyUsd: 0, complete: true, lines: [
      { resource: 'vm', quantity: 730, unit: 'instance-hour', unitPriceUsd: hourly, monthlyUsd: round(730 * hourly, 2), priceKey: 'compute/machine/e2-standard-2', source: 'snapshot' },
      { resource: 'bucket', quantity: 100, unit: 'gb-month', unitPriceUsd: 0.02, monthlyUsd: 2, priceKey: 'gcs/standard-regional/gb-month', source: 'snapshot' },
    ] }];
    costs[0].monthlyUsd = round(costs[0].lines.reduce((s, l) => s + (l.monthlyUsd ?? 0), 0), 2);
    const c = commitmentTotals(costs, 'gcp', 'us-central1', snap);
    // The reference data's month price for a 1-year commitment, for the 730 hours of the line.
    assert.equal(c.oneYear, round(round(cud1.usd, 2) + 2, 2));
    assert.equal(c.threeYear, round(round(cud3.usd, 2) + 2, 2));
    assert.ok(c.oneYear! < c.onDemand && c.threeYear! < c.oneYear!);
    assert.deepEqual(c.appliesTo.map((a) => [a.term, a.prefix, a.lines]), [['oneYear', 'compute/machine/', 1], ['threeYear', 'compute/machine/', 1]]);
    // E2 machines get no sustained-use discount: the data has no such price, and the plan says so.
    assert.equal(c.sustainedUse, null);
    assert.ok(c.reasons.some((r) => /^sustainedUse: /.test(r)));
    assert.ok(c.reasons.some((r) => /oneYear: no sourced committed price for gcs\/ \(kept at on-demand\)/.test(r)), JSON.stringify(c.reasons));
  });
  it('AWS reserved rates come from the data where it has them (ElastiCache, OpenSearch, RDS, EC2)', () => {
    for (const key of ['elasticache/redis/cache.t3.small', 'opensearch/m6g.large.search', 'rds/db.t3.large/mysql/single-az', 'ec2/m6i.large']) {
      const r = committedRate(snap, 'aws', 'us-east-1', key, 'oneYear');
      assert.ok(r, key);
      assert.ok(r.hourly < snap.price('aws', 'us-east-1', key)!.usd, key);
    }
    assert.equal(committedRate(snap, 'aws', 'us-east-1', 'fargate/linux-x86/vcpu-hour', 'oneYear'), undefined);
    assert.equal(committedRate(snap, 'aws', 'us-east-1', 'elasticache/redis/cache.t3.small', 'oneYear')!.hourly, 0.023);
  });
});

describe('on-premises baseline', () => {
  it('the betting-operator sample shows on-premises vs cloud cost and energy', async () => {
    const plan = await assess(path.join(SAMPLES, 'betting-operator'));
    const o = plan.onPrem;
    assert.ok(o);
    assert.equal(o?.monthlyUsd, 38000 + 14000 + 21000 + 16000 + 42000);
    assert.deepEqual(o?.workloads, ['bet-engine', 'data-lake', 'db2', 'oracle', 'pos-backend']);
    assert.ok((o?.cloud.aws.monthlyUsd ?? 0) < (o?.monthlyUsd ?? 0));
    // 312 vCPUs, 2,112 GB of memory and 406,000 GB of storage, all month, at 35%, PUE 1.8.
    const vcpuH = (32 * 2 + 16 * 2 + 16 + 8 + 16 * 12) * 730;
    const memH = (128 * 2 + 64 * 2 + 128 + 64 + 128 * 12) * 730;
    const tbH = ((4000 + 2000 + 400000) / 1024) * 730;
    const kwh = ((vcpuH * (0.74 + 0.35 * (3.5 - 0.74))) / 1000 + memH * 0.000392 + (tbH * 0.65) / 1000) * 1.8;
    assert.equal(o?.kwhPerMonth, round(kwh, 2));
    assert.equal(o?.kgCo2ePerMonth, round(kwh * 0.0511, 2));
  });
  it('without a grid factor, on-premises emissions are unknown and the plan says why', async () => {
    const plan = await assess(repo({ 'migration-inventory.yaml': 'workloads:\n  - { name: vm1, kind: vm, vcpu: 4, memoryGb: 8, onPremMonthlyUsd: 900 }\n' }));
    assert.equal(plan.onPrem?.kgCo2ePerMonth, null);
    assert.match(plan.onPrem?.reason ?? '', /gridKgCo2ePerKwh/);
    assert.ok((plan.onPrem?.kwhPerMonth ?? 0) > 0);
  });
});

describe('region what-if', () => {
  it('prices the same plan in other regions side by side, limited to regions the snapshot covers', async () => {
    const dir = repo({ 'docker-compose.yml': 'services:\n  vm:\n    image: acme/x:1\n    privileged: true\n' });
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, cwd: dir, env: {} };
    assert.equal(await runCli(['assess', '.', '--format', 'json', '--regions', 'aws:eu-west-3,gcp:europe-west9', '--regions', 'gcp:mars-central1'], io), EXIT.ok);
    const plan = JSON.parse(out.join(''));
    assert.deepEqual(plan.regionWhatIf.map((r: { regions: unknown }) => r.regions), [{ aws: 'us-east-1', gcp: 'us-central1' }, { aws: 'eu-west-3', gcp: 'europe-west9' }]);
    assert.ok(plan.diagnostics.some((d: { code: string; message: string }) => d.code === 'region-not-covered' && /gcp mars-central1/.test(d.message)));
    const paris = plan.regionWhatIf[1];
    assert.ok(paris.carbon.aws.kgCo2ePerMonth < plan.regionWhatIf[0].carbon.aws.kgCo2ePerMonth, 'the French grid emits less');
    assert.ok(paris.totals.gcp.monthlyUsd > 0);
    const bad = { ...io, stderr: { write: (s: string) => err.push(s) } };
    assert.equal(await runCli(['assess', '.', '--regions', 'azure:westeurope'], bad), EXIT.usage);
  });
});
