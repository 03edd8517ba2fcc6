import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { bundledSnapshot, serializeSnapshot, snapshotFromDir, type SnapshotIndex } from '../src/core/price/snapshot';
import { validator } from '../src/core/parse/schemas';
import { chooseVm, cloudRunInstance, fargateTask, gcpMachineHourly, runsPerMonth } from '../src/core/target/size';
import { assessFiles, repo, ROOT, workload } from './helpers';
import { assess } from '../src/core/plan/assess';

const snap = bundledSnapshot();
const REF = path.join(ROOT, '..', 'shared', 'reference');

const PACK = path.join(REF, 'prices-2026');
type Row = Record<string, string>;
const packRows = new Map<string, Row[]>();
function pack(file: string): Row[] {
  if (!packRows.has(file)) packRows.set(file, parse(fs.readFileSync(path.join(PACK, file), 'utf8'), { columns: true, skip_empty_lines: true }) as Row[]);
  return packRows.get(file)!;
}
function packPrice(file: string, region: string, item: string): number {
  const r = pack(file).find((x) => x.region === region && x.item === item);
  assert.ok(r, `${file}: no row "${item}" in ${region}`);
  return Number(r.usd);
}

describe('price snapshot', () => {
  it('validates against its schema, and every price has a source, a date and a confidence', () => {
    const v = validator('snapshot');
    assert.ok(v(snap.data), JSON.stringify(v.errors?.slice(0, 3)));
    for (const p of snap.data.prices) {
      assert.ok(p.source.length > 0 && /^(\d{4}|undated)/.test(p.asOf) && p.confidence, JSON.stringify(p));
    }
  });
  it('the files on disk are exactly what the serializer writes (so an update is a minimal diff)', () => {
    const files = serializeSnapshot(snap.data);
    const globals = (['aws', 'gcp'] as const).filter((p) => snap.data.prices.some((x) => x.provider === p && x.region === 'global')).length;
    assert.equal(globals, 2, 'CloudFront (AWS) and licence fees (GCP) are priced globally');
    assert.equal(files.size, snap.regions('aws').length + snap.regions('gcp').length + globals + 1); // + each global + index
    for (const [rel, text] of files) assert.equal(text, fs.readFileSync(path.join(ROOT, 'data', 'prices', rel), 'utf8'), rel);
  });
  it('reads a region only when a plan asks for it', () => {
    const fresh = snapshotFromDir(path.join(ROOT, 'data', 'prices'), JSON.parse(fs.readFileSync(path.join(ROOT, 'data', 'prices', 'index.json'), 'utf8')) as SnapshotIndex);
    assert.equal(fresh.price('aws', 'eu-west-3', 'elasticache/redis/cache.t3.small')?.confidence, 'committed-data');
    assert.equal(fresh.price('aws', 'nowhere-1', 'ec2/m5.large'), undefined);
    assert.ok(fresh.regions('aws').includes('us-east-1') && !fresh.regions('gcp').includes('global'));
    // A licence fee is priced once, for every region.
    assert.ok(fresh.price('gcp', 'europe-west9', 'compute/windows-licence/e2-standard-2'));
  });
  it('has every EC2 Linux price of the us-east-1 table, equal to the reference data', function () {
    if (!fs.existsSync(PACK)) this.skip();
    const rows = pack('aws-ec2-ondemand.csv').filter((r) => r.region === 'us-east-1' && /^\S+ Linux on-demand$/.test(r.item));
    assert.ok(rows.length > 1000);
    for (const r of rows) assert.equal(snap.price('aws', 'us-east-1', `ec2/${r.item.split(' ')[0]}`)?.usd, Number(r.usd), r.item);
  });
  it('keeps unit prices equal to the reference data (a sample across services and regions)', function () {
    if (!fs.existsSync(PACK)) this.skip();
    const samples: [string, string, string, string, string][] = [
      ['aws', 'us-east-1', 'elasticache/redis/cache.t3.small', 'aws-elasticache.csv', 'cache.t3.small Redis on-demand node'],
      ['aws', 'eu-west-1', 'elasticache/memcached/cache.m5.large', 'aws-elasticache.csv', 'cache.m5.large Memcached on-demand node'],
      ['aws', 'eu-west-3', 'elasticache/redis/cache.r6g.large/ri-1y-no-upfront', 'aws-elasticache.csv', 'cache.r6g.large Redis reserved 1y no upfront (effective hourly)'],
      ['aws', 'us-east-1', 'opensearch/m6g.large.search', 'aws-opensearch.csv', 'm6g.large.search on-demand instance'],
      ['aws', 'us-east-1', 'rds/db.t3.large/postgresql/single-az', 'aws-managed-services.csv', 'Database instance (on-demand, Single-AZ, db.t3.large) [PostgreSQL]'],
      ['aws', 'us-east-1', 'rds/db.m5.xlarge/sqlserver-se-li/single-az', 'aws-managed-services.csv', 'Database instance (on-demand, Single-AZ, db.m5.xlarge) [SQL Server Standard License included]'],
      ['aws', 'eu-west-2', 'rds/db.t3.medium/mysql/single-az', 'aws-rds-2021-weak.csv', 'db.t3.medium MySQL Single-AZ on-demand'],
      ['aws', 'us-east-1', 'rds/storage/gp3/gb-month', 'aws-managed-services.csv', 'Storage (general purpose SSD, gp3) [Single-AZ]'],
      ['aws', 'us-east-1', 'documentdb/db.t3.medium', 'aws-managed-services.csv', 'Database instance (on-demand, db.t3.medium)'],
      ['aws', 'us-east-1', 'msk/kafka.t3.small', 'aws-managed-services.csv', 'Instance (kafka.t3.small)'],
      ['aws', 'us-east-1', 'elb/alb/hour', 'aws-managed-services.csv', 'Application load balancer'],
      ['aws', 'us-east-1', 'fargate/linux-x86/vcpu-hour', 'aws-managed-services.csv', 'Per vCPU per hour'],
      ['aws', 'us-east-1', 'ec2/windows/t3.medium', 'aws-ec2-ondemand.csv', 'Instance usage (Windows, on-demand, t3.medium)'],
      ['gcp', 'us-central1', 'compute/machine/e2-standard-2', 'gcp-compute-ondemand.csv', 'e2-standard-2 on-demand (Linux, no OS licence)'],
      ['gcp', 'europe-west9', 'compute/machine/n2-standard-4', 'gcp-compute-ondemand.csv', 'n2-standard-4 on-demand (Linux, no OS licence)'],
      ['gcp', 'global', 'compute/windows-licence/e2-standard-2', 'gcp-compute-ondemand.csv', 'windows licence fee on e2-standard-2'],
      ['gcp', 'us-central1', 'compute/machine/e2-standard-2/cud-1y-month', 'commitments.csv', 'e2-standard-2 1-year resource-based committed use discount'],
      ['gcp', 'europe-west1', 'pd/balanced/gb-month', 'gcp-storage-network.csv', 'pd-balanced (balanced) capacity'],
      ['gcp', 'us-central1', 'memorystore-redis/basic/m2/gb-hour', 'gcp-managed-services.csv', 'Redis instance (basic, M2)'],
      ['gcp', 'europe-west3', 'run/instance/gib-second', 'gcp-managed-services.csv', 'Memory allocation time (tier 2) [CPU always allocated (instance-based billing)]'],
    ];
    for (const [provider, region, key, file, item] of samples) {
      assert.equal(snap.price(provider as 'aws' | 'gcp', region, key)?.usd, packPrice(file, region, item), `${provider} ${region} ${key}`);
    }
    // Scaled only by a unit: Pub/Sub is per TiB as published; SQS per million requests as published.
    assert.equal(snap.price('gcp', 'us-central1', 'pubsub/ingest/tib')?.usd, packPrice('gcp-managed-services.csv', 'us-central1', 'Message ingestion data'));
  });
  it('prefers a committed price to a weak one for the same item, and keeps the weak one where it is alone', () => {
    // db.t3.large PostgreSQL in us-east-1: the 2026 golden (derived from its printed cost) over the 2021 file (weak).
    assert.equal(snap.price('aws', 'us-east-1', 'rds/db.t3.large/postgresql/single-az')?.confidence, 'derived');
    assert.equal(snap.price('aws', 'us-east-1', 'rds/db.t3.large/postgresql/single-az')?.asOf, '2026-05-03');
    assert.equal(snap.price('aws', 'eu-west-3', 'rds/db.t3.large/postgresql/single-az')?.confidence, 'weak');
  });
  it('never extrapolates: no Cloud Run memory price where the data has none (us-central1)', () => {
    assert.equal(snap.price('gcp', 'us-central1', 'run/instance/gib-second'), undefined);
    assert.equal(snap.price('gcp', 'us-central1', 'run/instance/vcpu-second')?.confidence, 'vendor-doc');
    assert.equal(snap.price('gcp', 'us-central1', 'memorystore-memcached/gb-hour'), undefined);
  });
  it('publishes GCP machine prices per machine type (e2-medium is shared-core)', () => {
    assert.equal(gcpMachineHourly(snap, 'us-central1', 'e2-standard-2'), 0.06701142);
    assert.equal(gcpMachineHourly(snap, 'us-central1', 'n2-standard-4'), 0.194236);
    assert.equal(gcpMachineHourly(snap, 'us-central1', 'e2-medium'), 0.03350571);
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

describe('small always-on workers on GCP', () => {
  const worker = (name: string, extra = '') => `  ${name}:\n    image: acme/${name}:1\n    command: ["./run", "${name}"]\n${extra}`;
  it('puts two or more on GKE Autopilot, billed by their requests like the Fargate task, with one cluster fee', async () => {
    const plan = await assess(repo({ 'compose.yaml': `services:\n${worker('mailer')}${worker('indexer', '    mem_limit: 2g\n')}` }));
    const mailer = workload(plan, 'mailer');
    assert.equal(mailer.targets.gcp?.service, 'gcp.gke-autopilot');
    assert.equal(mailer.targets.aws?.service, 'aws.ecs-fargate');
    // 0.25 vCPU / 0.5 GiB at the Autopilot list prices of the reference pack (per vCPU-month and GB-month).
    assert.equal(mailer.cost.gcp.monthlyUsd, Math.round((0.25 * 32.485 + 0.5 * 3.5934) * 100) / 100);
    assert.ok(mailer.cost.gcp.complete);
    // 2 GB on 0.25 vCPU is more than Autopilot's 6.5 GiB per vCPU: the vCPU goes up to 2 / 6.5.
    const indexer = workload(plan, 'indexer').targets.gcp;
    assert.equal(indexer?.sizing.vcpu, 0.308);
    assert.ok(indexer?.sizing.basis.some((b) => /at most 6.5 GiB per vCPU/.test(b)));
    const fee = plan.shared.gcp.lines.filter((l) => l.priceKey === 'gke-autopilot/cluster-hour');
    assert.equal(fee.length, 1);
    assert.equal(fee[0].monthlyUsd, 73);
  });
  it('keeps a lone one on Cloud Run: one worker does not pay for a cluster', async () => {
    const plan = await assess(repo({ 'compose.yaml': `services:\n${worker('mailer')}` }));
    assert.equal(workload(plan, 'mailer').targets.gcp?.service, 'gcp.cloud-run');
    assert.match(workload(plan, 'mailer').targets.aws?.note ?? '', /no load balancer/);
    assert.ok(!plan.shared.gcp.lines.some((l) => l.priceKey.startsWith('gke-autopilot/')));
  });
});

describe('cost arithmetic against the reference prices', () => {
  it('a small declared database gets a burstable RDS class and a Cloud SQL shared-core tier, not a dedicated 1 vCPU / 3.75 GB instance', async () => {
    const db = (cpus: string, memory: string) => `    image: postgres:16\n    deploy: { resources: { limits: { cpus: "${cpus}", memory: ${memory} } } }\n`;
    const plan = await assessFiles({ 'docker-compose.yml': `services:\n  tiny:\n${db('0.1', '256M')}  small:\n${db('0.4', '1G')}  big:\n${db('2', '6G')}  memonly:\n    image: postgres:16\n    deploy: { resources: { limits: { memory: 80M } } }\n  undeclared:\n    image: postgres:16\n` });
    // Memory stated, CPU not: the memory decides, as it does for RDS's burstable classes.
    assert.match(workload(plan, 'memonly').targets.gcp?.sizing.summary ?? '', /^db-f1-micro/);
    assert.match(workload(plan, 'undeclared').targets.gcp?.sizing.summary ?? '', /^2 vCPU \/ 4 GB postgresql/);
    // The two sides are not the same kind of capacity, and the plan says so; the container defaults are not its basis.
    const undeclaredAws = workload(plan, 'undeclared').targets.aws?.sizing.basis ?? [];
    assert.ok(undeclaredAws.some((b) => /^db\.t3\.medium is a burstable class .* the GCP side's vCPUs are dedicated/.test(b)), undeclaredAws.join('; '));
    assert.ok(!undeclaredAws.some((b) => /default: not declared\)$/.test(b) && /^(cpu|memory) /.test(b)), undeclaredAws.join('; '));
    const tiny = workload(plan, 'tiny');
    assert.match(tiny.targets.gcp?.sizing.summary ?? '', /^db-f1-micro \(shared core, 0\.6 GB\) postgresql/);
    const line = tiny.cost.gcp.lines[0];
    assert.equal(line.priceKey, 'cloudsql/shared/micro/zonal');
    assert.equal(line.unitPriceUsd, 0.0105); // infracost golden, SQL instance (db-f1-micro, zonal) [POSTGRES_15]
    assert.ok(tiny.targets.gcp?.sizing.basis.some((b) => /no Cloud SQL SLA/.test(b)));
    assert.match(tiny.targets.aws?.sizing.summary ?? '', /^db\.t[34]g?\.micro/);
    assert.match(workload(plan, 'small').targets.gcp?.sizing.summary ?? '', /^db-g1-small \(shared core, 1\.7 GB\)/);
    assert.equal(workload(plan, 'small').cost.gcp.lines[0].unitPriceUsd, 0.035);
    // A limit is sized as stated (no headroom on top of it): 2 vCPU / 6 GB, like db.t3.large on RDS.
    assert.match(workload(plan, 'big').targets.gcp?.sizing.summary ?? '', /^2 vCPU \/ 6 GB postgresql/);
    assert.match(workload(plan, 'big').targets.aws?.sizing.summary ?? '', /^db\.t3\.large /);
  });

  it('a search engine self-managed on the plan\'s GKE cluster is no smaller than the managed service\'s smallest node, and a pod too big for the default node gets a larger one', async () => {
    const plan = await assessFiles({
      'docker-compose.yml': 'services:\n  search:\n    image: opensearchproject/opensearch:2\n    ports: ["9200:9200"]\n  big:\n    image: elasticsearch:8.14.0\n    deploy: { resources: { reservations: { cpus: "2", memory: 4G } } }\n',
      'k8s/api.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: acme/api:1\n',
    });
    const search = workload(plan, 'search');
    assert.equal(search.targets.aws?.sizing.summary, '1 × t3.small.search');
    assert.equal(search.targets.gcp?.service, 'gcp.gke');
    // Undeclared: not the 0.25 vCPU / 0.5 GiB container default, but OpenSearch's smallest node (2 vCPU / 2 GiB).
    assert.equal(search.targets.gcp?.sizing.summary, '1 pod × 2 vCPU / 2 GiB on e2-standard-2 nodes');
    assert.ok(search.cost.gcp.lines.some((l) => l.priceKey === 'pd/balanced/gb-month' && l.quantity === 20), 'storage on both sides');
    // Reserved 2 vCPU / 4 GiB + 20% headroom does not fit a 2-vCPU node: priced on e2-standard-4.
    const big = workload(plan, 'big');
    assert.equal(big.targets.gcp?.sizing.summary, '1 pod × 2.4 vCPU / 4.8 GiB on e2-standard-4 nodes');
    assert.equal(big.cost.gcp.lines[0].priceKey, 'compute/machine/e2-standard-4');
    assert.equal(big.cost.gcp.lines[0].quantity, 730 * 0.6);
  });

  it('a search engine with no GKE cluster in the plan runs on a Compute Engine VM, not on a cluster of its own', async () => {
    const plan = await assessFiles({ 'docker-compose.yml': 'services:\n  search:\n    image: opensearchproject/opensearch:2\n    ports: ["9200:9200"]\n  web:\n    image: acme/web:1\n    ports: ["80:80"]\n' });
    const search = workload(plan, 'search');
    assert.equal(search.targets.gcp?.service, 'gcp.compute-engine');
    assert.equal(search.targets.gcp?.sizing.summary, '1 × e2-small'); // OpenSearch's smallest node, 2 vCPU / 2 GiB
    assert.deepEqual(search.cost.gcp.lines.map((l) => l.priceKey), ['compute/machine/e2-small', 'pd/balanced/gb-month']);
    assert.ok(!plan.shared.gcp.lines.some((l) => l.priceKey.startsWith('gke')), 'no cluster fee for it');
  });

  it('a CronJob kept on the cluster bills its pods\' node share only while they run', async () => {
    const plan = await assessFiles({
      'k8s/backup.yaml': 'apiVersion: batch/v1\nkind: CronJob\nmetadata: { name: backup }\nspec:\n  schedule: "0 0 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: b\n              image: acme/backup:1\n              resources: { requests: { cpu: "1", memory: 2Gi } }\n',
      'k8s/widget.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\nspec: {}\n',
    });
    const backup = workload(plan, 'backup');
    assert.equal(backup.targets.aws?.service, 'aws.eks', 'custom resources beside it keep it on the cluster');
    assert.equal(backup.targets.aws?.sizing.summary, '1 pod × 1 vCPU / 2 GiB on m6i.large nodes, 30.42 runs × 10 min');
    // 1.2 vCPU of a 2-vCPU node = 0.6 of it, for 30.42 × 10 min = 5.07 h a month.
    assert.equal(backup.cost.aws.lines[0].quantity, Number((0.6 * (30.42 * 10) / 60).toFixed(4)));
  });

  it('a static site (built files copied into nginx, nothing else run) goes to S3 + CloudFront / Cloud Storage, priced on storage and egress', async () => {
    const spa = 'FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nFROM nginx:1.27-alpine\nCOPY --from=build /app/dist /usr/share/nginx/html\nEXPOSE 80\nCMD ["nginx", "-g", "daemon off;"]\n';
    const plan = await assessFiles({
      'compose.yaml': 'services:\n  frontend:\n    build: ./frontend\n    ports: ["80:80"]\n  gateway:\n    build: ./gateway\n    ports: ["8080:8080"]\n',
      'frontend/Dockerfile': spa,
      // An entrypoint script of its own (renders a proxy configuration): more than files.
      'gateway/Dockerfile': 'FROM nginx:1.21\nCOPY entrypoint.sh /root/\nENTRYPOINT ["/root/entrypoint.sh"]\nCOPY static /usr/share/nginx/html\nEXPOSE 8080\n',
    });
    const front = workload(plan, 'frontend');
    assert.deepEqual([front.targets.aws?.service, front.targets.gcp?.service], ['aws.s3-cloudfront', 'gcp.gcs-website']);
    assert.ok(front.evidence.some((e) => e.rule === 'static.site' && /\/usr\/share\/nginx\/html \(nginx\)/.test(e.message)));
    // 50 GiB a month at CloudFront's $0.085 / GB (US) and GCP's Premium tier $0.12 / GiB; 1 GiB stored.
    assert.deepEqual(front.cost.aws.lines.map((l) => [l.priceKey, l.quantity, l.unitPriceUsd]), [['s3/standard/gb-month', 1, 0.023], ['cloudfront/north-america/egress/gb', 50, 0.085]]);
    assert.deepEqual(front.cost.gcp.lines.map((l) => [l.priceKey, l.quantity, l.unitPriceUsd]), [['gcs/standard-regional/gb-month', 1, 0.02], ['egress/premium/worldwide/gib', 50, 0.12]]);
    assert.equal(workload(plan, 'gateway').targets.aws?.service, 'aws.ecs-fargate');
    // CloudFront is priced by where viewers are: the same price whatever the plan's region.
    assert.equal(snap.price('aws', 'eu-west-3', 'cloudfront/north-america/egress/gb')?.usd, 0.085);
  });

  it('a job that runs more often than its assumed length is not billed for overlapping runs', async () => {
    const cron = (name: string, schedule: string) => `apiVersion: batch/v1\nkind: CronJob\nmetadata: { name: ${name} }\nspec:\n  schedule: "${schedule}"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n            - name: c\n              image: acme/${name}:1\n`;
    const plan = await assessFiles({ 'k8s/often.yaml': cron('often', '*/5 * * * *'), 'k8s/daily.yaml': cron('daily', '0 0 * * *') });
    const often = workload(plan, 'often');
    assert.equal(often.targets.aws?.service, 'aws.ecs-fargate');
    // 8,760 runs of 10 minutes would be 1,460 task-hours in a 730-hour month: each run is capped at 5 minutes.
    assert.match(often.targets.aws?.sizing.summary ?? '', /^8760 runs × 5 min/);
    assert.equal(often.cost.aws.lines[0].quantity, 730 * 0.25);
    assert.ok(often.targets.aws?.sizing.basis.some((b) => /capped at the time between runs/.test(b)));
    const daily = workload(plan, 'daily');
    assert.match(daily.targets.aws?.sizing.summary ?? '', /^30\.42 runs × 10 min/);
  });
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
    // The bundled data has no Tier 1 Cloud Run memory price: the line says so and is not guessed.
    assert.equal(rm.monthlyUsd, null);
    assert.match(rm.missing ?? '', /no published price in the bundled data for us-central1 \(it has one for europe-west3\)/);
    assert.equal(w.cheaper, null);
    // One Application Load Balancer (730 h × 0.0225 + 1 LCU × 5.84) in front of the Fargate service.
    assert.equal(plan.shared.aws.monthlyUsd, 22.27);
    assert.equal(plan.totals.aws.monthlyUsd, 36.04 + 22.27);
    assert.equal(plan.totals.gcp.monthlyUsd, 63.07);
    assert.ok(plan.diagnostics.some((d) => d.code === 'pricing-region' && /GCP region us-central1/.test(d.message)));
  });
  it('prices a managed PostgreSQL: db.t3.medium on RDS, 2 vCPU / 4 GB on Cloud SQL', async () => {
    const plan = await assessFiles({ 'docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n' });
    const w = workload(plan, 'db');
    assert.equal(w.targets.aws?.sizing.instanceType, 'db.t3.medium');
    assert.equal(w.cost.aws.monthlyUsd, 54.86); // 730 × 0.072 + 20 GiB gp3 × 0.115
    assert.equal(w.cost.aws.lines[0].confidence, 'weak'); // db.t3.medium: only the 2021 file has it
    assert.equal(w.cost.gcp.monthlyUsd, Number((730 * 2 * 0.0413 + 730 * 4 * 0.007 + 20 * 0.17).toFixed(2))); // 60.30 + 20.44 + 3.40
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
  it('reports a price the bundled data does not have as missing, never guessed', async () => {
    const plan = await assessFiles({ 'docker-compose.yml': 'services:\n  cache:\n    image: memcached:1.6\n' });
    const w = workload(plan, 'cache');
    assert.equal(w.cost.gcp.complete, false);
    assert.equal(w.cost.gcp.lines[0].monthlyUsd, null);
    assert.equal(w.cost.gcp.lines[0].source, 'missing');
    assert.equal(w.cost.gcp.lines[0].missing, 'no published price in the bundled data');
    // ElastiCache for Memcached: the smallest node that holds the 1 GiB default, cache.t3.small before cache.t3.medium.
    assert.match(w.targets.aws?.sizing.instanceType ?? '', /^cache\.t[34]g?\.small$/);
    assert.equal(w.cheaper, null);
    assert.equal(plan.totals.gcp.complete, false);
    assert.equal(plan.totals.cheaper, null);
  });
  it('prices OpenSearch, DocumentDB, MSK and Amazon MQ from the catalog, and DynamoDB / Pub/Sub / SQS on usage', async () => {
    const plan = await assessFiles({ 'docker-compose.yml': 'services:\n  search:\n    image: opensearchproject/opensearch:2\n  mongo:\n    image: mongo:7\n  kafka:\n    image: bitnami/kafka:3\n  rabbit:\n    image: rabbitmq:3\n' });
    const search = workload(plan, 'search');
    assert.ok(search.cost.aws.complete, JSON.stringify(search.cost.aws));
    assert.match(search.cost.aws.lines[0].priceKey, /^opensearch\/.+\.search$/);
    assert.ok(workload(plan, 'mongo').cost.aws.complete);
    const kafka = workload(plan, 'kafka');
    assert.ok(kafka.cost.aws.complete);
    assert.equal(kafka.targets.aws?.sizing.count, 2, 'MSK runs at least two brokers');
    const rabbit = workload(plan, 'rabbit');
    // The smallest broker Amazon MQ offers, even though only a larger one has a price in the data:
    // the line says so instead of pricing a bigger broker than the workload needs.
    assert.equal(rabbit.targets.aws?.sizing.instanceType, 'mq.t3.micro');
    assert.equal(rabbit.cost.aws.lines[0].monthlyUsd, null);
    assert.equal(rabbit.cost.aws.lines[0].missing, 'no published price in the bundled data');
    assert.ok(rabbit.cost.gcp.complete, JSON.stringify(rabbit.cost.gcp));
    assert.deepEqual(rabbit.cost.gcp.lines.map((l) => l.priceKey), ['pubsub/ingest/tib', 'pubsub/delivery/tib']);
    // 10 M messages × 1 KiB = 0.0093 TiB, each way, at $40 a TiB.
    assert.equal(rabbit.cost.gcp.lines[0].quantity, Number(((10_000_000 * 1024) / 2 ** 40).toFixed(6)));
  });
  it('an SNS topic is priced as SNS publishes, an SQS queue as SQS requests; both as Pub/Sub on GCP', async () => {
    const plan = await assessFiles({
      'serverless.yml': 'service: shop\nprovider: { name: aws, runtime: nodejs20.x }\nfunctions:\n  hello: { handler: h.main }\nresources:\n  Resources:\n    Events:\n      Type: AWS::SNS::Topic\n    Jobs:\n      Type: AWS::SQS::Queue\n',
    });
    const topic = workload(plan, 'Events');
    assert.equal(topic.targets.aws?.service, 'aws.sns');
    assert.equal(topic.targets.gcp?.service, 'gcp.pubsub');
    // 10 M messages of 1 KiB: 10 M publishes at the pack's $0.50 per million (infracost golden, us-east-1).
    assert.deepEqual(topic.cost.aws.lines.map((l) => [l.priceKey, l.quantity, l.unitPriceUsd, l.monthlyUsd]), [['sns/publish/million-requests', 10, 0.5, 5]]);
    const queue = workload(plan, 'Jobs');
    assert.equal(queue.targets.aws?.service, 'aws.sqs');
    assert.equal(queue.cost.aws.lines[0].quantity, 30, 'send, receive and delete');
  });
  it('uses the snapshot for other regions where it has prices, and says so where it has none', async () => {
    const files = { 'docker-compose.yml': 'services:\n  vm:\n    image: acme/x:1\n    privileged: true\n    deploy: { resources: { limits: { cpus: "1.5", memory: 6G } } }\n', '.migration.yaml': 'regions: { aws: eu-west-3, gcp: europe-west9 }\n' };
    const plan = await assessFiles(files);
    assert.deepEqual(plan.regions, { aws: 'eu-west-3', gcp: 'europe-west9' });
    const w = workload(plan, 'vm');
    // 1.8 vCPU / 7.2 GiB → t3.large in us-east-1 terms; the bundled data has no EC2 price in eu-west-3.
    assert.equal(w.targets.aws?.sizing.instanceType, 't3.large');
    assert.equal(w.cost.aws.lines[0].monthlyUsd, null);
    assert.match(w.cost.aws.lines[0].missing ?? '', /no published price in the bundled data for eu-west-3 \(it has one for us-east-1\)/);
    assert.ok(plan.diagnostics.some((d) => d.code === 'pricing-region' && d.severity === 'warning' && /AWS region eu-west-3/.test(d.message)));
    // europe-west9 has every machine type: e2-standard-2 at 0.077732 an hour.
    assert.equal(w.cost.gcp.monthlyUsd, Number((730 * 0.077732).toFixed(2)));
  });
});
