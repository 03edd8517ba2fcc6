import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundledSnapshot } from '../src/core/price/snapshot';
import { validator } from '../src/core/parse/schemas';
import { chooseVm, cloudRunInstance, fargateTask, gcpMachineHourly, runsPerMonth } from '../src/core/target/size';
import { assessFiles, ROOT, workload } from './helpers';

const snap = bundledSnapshot();
const REF = path.join(ROOT, '..', 'shared', 'reference');

describe('price snapshot', () => {
  it('validates against its schema, and every price has a source and a date', () => {
    const v = validator('snapshot');
    assert.ok(v(snap.data), JSON.stringify(v.errors?.slice(0, 3)));
    for (const p of snap.data.prices) {
      assert.ok(p.source.length > 0 && /^\d{4}/.test(p.asOf), JSON.stringify(p));
    }
  });
  it('has the EC2 prices of the us-east-1 reference table', () => {
    // All rows when the reference folder sits beside the checkout (it does in CI); a fixed sample of
    // published rows otherwise, so the test always checks something.
    const rows = fs.existsSync(REF)
      ? fs.readFileSync(path.join(REF, 'aws-ec2-linux-ondemand-us-east-1.csv'), 'utf8').trim().split('\n').slice(1)
      : ['m5.large,0.096', 't3.medium,0.0416', 'c5.xlarge,0.17', 'm6i.large,0.096', 'g4dn.xlarge,0.526', 'r6i.large,0.126'];
    assert.ok(rows.length >= 6);
    for (const r of rows) {
      const [type, usd] = r.split(',');
      assert.equal(snap.price('aws', 'us-east-1', `ec2/${type}`)?.usd, Number(usd), type);
    }
  });
  it('reproduces published GCP machine prices from core and RAM SKUs', () => {
    // e2-standard-2 in us-central1 is published at 0.06701142/h; n2-standard-4 at 0.194236/h.
    assert.equal(Number((gcpMachineHourly(snap, 'us-central1', 'e2-standard-2') as number).toFixed(8)), 0.06701142);
    assert.equal(Number((gcpMachineHourly(snap, 'us-central1', 'n2-standard-4') as number).toFixed(6)), 0.194236);
    // e2-medium is shared-core, billed as 1 vCPU and 4 GB: 0.03350571/h.
    assert.equal(Number((gcpMachineHourly(snap, 'us-central1', 'e2-medium') as number).toFixed(8)), 0.03350571);
  });
});

describe('sizing', () => {
  it('picks the smallest valid Fargate task', () => {
    assert.deepEqual(fargateTask(0.2, 0.4), { cpu: 0.25, memGiB: 0.5 });
    assert.deepEqual(fargateTask(0.6, 0.6), { cpu: 1, memGiB: 2 });
    assert.deepEqual(fargateTask(1.2, 1.2), { cpu: 2, memGiB: 4 });
    assert.deepEqual(fargateTask(4, 9.5), { cpu: 4, memGiB: 10 });
    assert.deepEqual(fargateTask(7, 40), { cpu: 8, memGiB: 40 });
  });
  it('picks valid Cloud Run instance sizes', () => {
    assert.deepEqual(cloudRunInstance(0.3, 0.25), { cpu: 0.3, memGiB: 0.25 });
    assert.deepEqual(cloudRunInstance(0.3, 0.6), { cpu: 1, memGiB: 0.625 });
    assert.deepEqual(cloudRunInstance(3, 1), { cpu: 4, memGiB: 2 });
  });
  it('chooses the cheapest instance type that fits', () => {
    assert.equal(chooseVm(snap, 'aws', 2, 8), 't3.large');
    assert.equal(chooseVm(snap, 'aws', 3, 4), 't3.xlarge'); // 0.1664 < c6i.xlarge 0.17
    assert.equal(chooseVm(snap, 'aws', 2, 60), 'r6i.2xlarge');
    assert.equal(chooseVm(snap, 'gcp', 2, 8), 'e2-standard-2');
    assert.equal(chooseVm(snap, 'gcp', 4, 30), 'e2-highmem-4');
  });
  it('counts runs per month from schedules', () => {
    assert.equal(runsPerMonth('0 * * * *'), 730);
    assert.equal(runsPerMonth('30 2 * * *'), 30.42);
    assert.equal(runsPerMonth('*/15 * * * *'), 4 * 730);
    assert.equal(runsPerMonth('0 9 * * 1-5'), 21.73);
    assert.equal(runsPerMonth('rate(1 day)'), 30.42);
    assert.equal(runsPerMonth('rate(5 minutes)'), 8760);
    assert.equal(runsPerMonth('@hourly'), 730);
    assert.equal(runsPerMonth('whenever'), undefined);
  });
});

describe('cost arithmetic against the reference prices', () => {
  it('prices a Fargate service and its Cloud Run counterpart line by line', async () => {
    const plan = await assessFiles({ 'docker-compose.yml': 'services:\n  api:\n    image: acme/api:1\n    ports: ["80:80"]\n    deploy:\n      replicas: 2\n      resources: { reservations: { cpus: "0.4", memory: 800M } }\n' });
    const w = workload(plan, 'api');
    // 0.4 vCPU × 1.2 = 0.48 → 0.5 vCPU; 800 MiB × 1.2 = 960 MiB → 1 GB task.
    assert.equal(w.targets.aws?.sizing.summary, '2 tasks × 0.5 vCPU / 1 GB');
    const [vcpu, mem] = w.cost.aws.lines;
    assert.equal(vcpu.quantity, 2 * 0.5 * 730);
    assert.equal(vcpu.unitPriceUsd, 0.04048);
    assert.equal(vcpu.monthlyUsd, 29.55); // 730 × 0.04048
    assert.equal(mem.quantity, 2 * 1 * 730);
    assert.equal(mem.monthlyUsd, 6.49); // 1460 × 0.004445
    assert.equal(w.cost.aws.monthlyUsd, 36.04);
    // Like for like: the same 0.5 vCPU / 1 GiB on Cloud Run, request-based billing (an HTTP
    // service; below 1 vCPU Cloud Run requires it), priced as if busy all month.
    assert.equal(w.targets.gcp?.sizing.summary, '2 min instances × 0.5 vCPU / 1 GiB, request-based billing');
    assert.equal(w.targets.gcp?.sizing.vcpu, w.targets.aws?.sizing.vcpu);
    assert.equal(w.targets.gcp?.sizing.memoryGiB, w.targets.aws?.sizing.memoryGiB);
    const [rc, rm] = w.cost.gcp.lines;
    assert.equal(rc.priceKey, 'run/request/vcpu-second');
    assert.equal(rc.quantity, 2 * 730 * 3600 * 0.5);
    assert.equal(rc.monthlyUsd, 63.07); // 2,628,000 vCPU-s × 0.000024
    assert.equal(rm.quantity, 2 * 730 * 3600 * 1);
    assert.equal(rm.monthlyUsd, 13.14); // 5,256,000 GiB-s × 0.0000025
    assert.equal(w.cheaper, 'aws');
    assert.equal(plan.totals.aws.monthlyUsd, 36.04);
    assert.equal(plan.totals.gcp.monthlyUsd, 76.21);
  });
  it('prices a managed PostgreSQL: db.t3.medium on RDS, 2 vCPU / 4 GB on Cloud SQL', async () => {
    const plan = await assessFiles({ 'docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n' });
    const w = workload(plan, 'db');
    assert.equal(w.cost.aws.monthlyUsd, 52.56); // 730 × 0.072
    assert.equal(w.cost.gcp.monthlyUsd, Number((730 * 2 * 0.0413 + 730 * 4 * 0.007).toFixed(2))); // 60.30 + 20.44
  });
  it('prices Lambda and Cloud Functions from memory and the stated invocation volume', async () => {
    const plan = await assessFiles({ 'serverless.yml': 'service: s\nprovider: { name: aws, memorySize: 512 }\nfunctions:\n  f: { handler: h.h }\n', '.migration.yaml': 'sizing: { functionInvocationsPerMonth: 2000000, functionDurationMs: 100 }\n' });
    const w = workload(plan, 's-f');
    // 2e6 × 0.1 s × 0.5 GB = 100,000 GB-s × 0.0000166667 = 1.67; 2 M requests × 0.20 = 0.40.
    assert.equal(w.cost.aws.monthlyUsd, 2.07);
    // 100,000 GB-s × 0.0000025 = 0.25; 2e6 × 0.1 × 0.8 GHz = 160,000 GHz-s × 0.00001 = 1.60; 2 × 0.40 = 0.80.
    assert.equal(w.cost.gcp.monthlyUsd, 2.65);
  });
  it('adds one cluster fee per provider when anything runs on Kubernetes', async () => {
    const plan = await assessFiles({ 'k8s/d.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: a }\nspec: { replicas: 2, template: { spec: { containers: [{ name: a, image: acme/a:1, resources: { requests: { cpu: "1", memory: 1Gi } } }] } } }\n' });
    assert.equal(plan.shared.aws.monthlyUsd, 73);
    assert.equal(plan.shared.gcp.monthlyUsd, 73);
    const w = workload(plan, 'a');
    // share of an m6i.large (2 vCPU / 8 GiB): max(1.2/2, 1.2/8) = 0.6 per pod; 2 pods × 0.6 × 730 h × 0.096.
    assert.equal(w.cost.aws.monthlyUsd, 84.1);
    assert.equal(plan.totals.aws.monthlyUsd, 157.1);
  });
  it('reports a price the snapshot does not have as missing, never guessed', async () => {
    const plan = await assessFiles({ 'docker-compose.yml': 'services:\n  search:\n    image: opensearchproject/opensearch:2\n' });
    const w = workload(plan, 'search');
    assert.equal(w.cost.aws.complete, false);
    assert.equal(w.cost.aws.lines[0].monthlyUsd, null);
    assert.equal(w.cost.aws.lines[0].source, 'missing');
    assert.match(w.cost.aws.lines[0].missing ?? '', /no price for opensearch/);
    assert.equal(w.cheaper, null);
    assert.equal(plan.totals.aws.complete, false);
    assert.equal(plan.totals.cheaper, null);
  });
  it('uses the snapshot for other regions where it has prices, and says so where it has none', async () => {
    const files = { 'docker-compose.yml': 'services:\n  vm:\n    image: acme/x:1\n    privileged: true\n    deploy: { resources: { limits: { cpus: "1.5", memory: 6G } } }\n', '.migration.yaml': 'regions: { aws: eu-west-3, gcp: europe-west9 }\n' };
    const plan = await assessFiles(files);
    assert.deepEqual(plan.regions, { aws: 'eu-west-3', gcp: 'europe-west9' });
    const w = workload(plan, 'vm');
    // t3.large? No: 1.8 vCPU / 7.2 GiB → t3.large in us-east-1 terms; eu-west-3 has no t3.large price.
    assert.equal(w.targets.aws?.sizing.instanceType, 't3.large');
    assert.equal(w.cost.aws.lines[0].monthlyUsd, null);
    // europe-west9 has E2 core and RAM prices: e2-standard-2 = 2 × 0.025302 + 8 × 0.003391 per hour.
    assert.equal(w.cost.gcp.monthlyUsd, Number((730 * 2 * 0.025302 + 730 * 8 * 0.003391).toFixed(2)));
  });
});
