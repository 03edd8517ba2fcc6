#!/usr/bin/env node
// Builds the bundled price snapshot from the sourced, dated public price pack (prices-2026) and the
// machine-type tables beside it. Usage: node scripts/build-snapshot.mjs <reference-dir>
//   <reference-dir>/prices-2026/*.csv   prices: provider,region,service,item,unit,usd,as_of,source,derivation,confidence
//   <reference-dir>/gcp-machine-types.csv, carbon-coefficients.csv
// Output, deterministic (the same inputs give the same bytes):
//   data/prices/index.json              sources, regions, shapes (bundled: small)
//   data/prices/<provider>/<region>.json one file per region, read only when a plan prices that region
//   data/carbon-coefficients.json
// Nothing is extrapolated: a row becomes a snapshot price only under a key whose meaning it states.
// When two rows give the same key, the better confidence wins (committed-data > derived > vendor-doc >
// weak), then the newer date.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { load as loadYaml } from 'js-yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const refDir = process.argv[2];
if (!refDir) {
  console.error('usage: node scripts/build-snapshot.mjs <reference-dir>');
  process.exit(2);
}
const pack = path.join(refDir, 'prices-2026');
const csv = (file) => parse(fs.readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, relax_column_count: false });

const RANK = { 'committed-data': 4, derived: 3, 'vendor-doc': 2, weak: 1 };
/** provider|region → key → price row */
const byRegion = new Map();
let rejected = 0;
function put(r, key, opts = {}) {
  const usd = Number(r.usd) * (opts.scale ?? 1);
  if (!Number.isFinite(usd) || usd < 0) throw new Error(`not a price: ${JSON.stringify(r)}`);
  if (!RANK[r.confidence]) throw new Error(`unknown confidence ${r.confidence}`);
  const region = opts.region ?? r.region;
  const id = `${r.provider}|${region}`;
  if (!byRegion.has(id)) byRegion.set(id, new Map());
  const m = byRegion.get(id);
  const asOf = /^\d{4}(-\d{2}(-\d{2})?)?$/.test(r.as_of) ? r.as_of : 'undated';
  const p = { key, usd: Number(usd.toPrecision(10)), unit: opts.unit ?? r.unit, asOf, source: r.source, confidence: r.confidence, item: r.item };
  const old = m.get(key);
  if (old) {
    const better = RANK[p.confidence] - RANK[old.confidence] || (p.asOf > old.asOf ? 1 : p.asOf < old.asOf ? -1 : 0);
    if (better <= 0) return;
  }
  m.set(key, p);
}

// ---- GCP machine types: the families the planner sizes on, with shapes ----------------------------
const GCP_FAMILIES = new Set(['e2', 'n1', 'n2', 'n2d', 'n4', 'c3', 'c3d', 't2d']);
const SHARED_BILLED = { 'e2-micro': 0.25, 'e2-small': 0.5, 'e2-medium': 1 };
const gcpShapes = {};
for (const r of csv(path.join(refDir, 'gcp-machine-types.csv')).sort((a, b) => (a.machine_type < b.machine_type ? -1 : 1))) {
  const family = r.machine_type.split('-')[0];
  if (!GCP_FAMILIES.has(family)) continue;
  const s = { vcpu: Number(r.vcpus), memoryGiB: Number(r.memory_gb), family };
  if (r.shared_core === 'true' && SHARED_BILLED[r.machine_type]) s.billedVcpu = SHARED_BILLED[r.machine_type];
  if (r.deprecated && r.deprecated !== 'false') s.deprecated = true;
  s.regions = r.regions.split(' ').filter(Boolean).sort();
  gcpShapes[r.machine_type] = s;
}
// GPU machine types (G2, NVIDIA L4): shapes from the Cyclenerd pricing table in the pack (cpu, ram,
// l4 GPUs, and the regions it prices them in), for the GPU VM the planner compares with EC2 G6 (L4).
const cyclenerd = loadYaml(fs.readFileSync(path.join(pack, 'gcp-pricing-cyclenerd-2026-07-30.yml'), 'utf8'));
for (const [name, t] of Object.entries(cyclenerd?.compute?.instance ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
  if (!name.startsWith('g2-') || !(t?.l4 > 0)) continue;
  const regions = Object.entries(t.cost ?? {}).filter(([, c]) => typeof c?.hour === 'number').map(([r]) => r).sort();
  gcpShapes[name] = { vcpu: Number(t.cpu), memoryGiB: Number(t.ram), family: 'g2', gpus: Number(t.l4), regions };
}
const gcpType = (t) => gcpShapes[t] !== undefined;

// ---- AWS ------------------------------------------------------------------------------------------
for (const r of csv(path.join(pack, 'aws-ec2-ondemand.csv'))) {
  let m;
  if ((m = /^(\S+) Linux on-demand$/.exec(r.item)) || (m = /^Instance usage \(Linux\/UNIX, on-demand, (\S+)\)$/.exec(r.item))) put(r, `ec2/${m[1]}`);
  else if ((m = /^Instance usage \(Windows, on-demand, (\S+)\)$/.exec(r.item))) put(r, `ec2/windows/${m[1]}`);
  else rejected++;
}

const TERM = (s) => {
  const m = /reserved ([13])y (no|partial|all) upfront/.exec(s);
  return m ? `ri-${m[1]}y-${m[2]}-upfront` : undefined;
};
for (const r of csv(path.join(pack, 'aws-elasticache.csv'))) {
  const m = /^(cache\.\S+) (Redis|Memcached|Valkey) (on-demand node|reserved .*)$/.exec(r.item);
  if (!m) { rejected++; continue; }
  const base = `elasticache/${m[2].toLowerCase()}/${m[1]}`;
  if (m[3] === 'on-demand node') put(r, base);
  else if (TERM(m[3])) put(r, `${base}/${TERM(m[3])}`);
  else rejected++;
}
for (const r of csv(path.join(pack, 'aws-opensearch.csv'))) {
  const m = /^(\S+\.search) (on-demand instance|reserved .*)$/.exec(r.item);
  if (!m) { rejected++; continue; }
  if (m[2] === 'on-demand instance') put(r, `opensearch/${m[1]}`);
  else if (TERM(m[2])) put(r, `opensearch/${m[1]}/${TERM(m[2])}`);
  else rejected++;
}

/** RDS engine labels (Price List databaseEngine + databaseEdition + licenseModel) → engine codes. */
const RDS_ENGINE = {
  MySQL: 'mysql',
  PostgreSQL: 'postgresql',
  'PostgreSQL (tf setting DBEngine=postgres)': 'postgresql',
  MariaDB: 'mariadb',
  'Aurora MySQL': 'aurora-mysql',
  'Aurora PostgreSQL': 'aurora-postgresql',
  'Oracle SE1 License included': 'oracle-se1-li',
  'Oracle SE2 License included': 'oracle-se2-li',
  'Oracle SE Bring your own license': 'oracle-se-byol',
  'Oracle SE1 Bring your own license': 'oracle-se1-byol',
  'Oracle SE2 Bring your own license': 'oracle-se2-byol',
  'Oracle EE Bring your own license': 'oracle-ee-byol',
  'SQL Server Express License included': 'sqlserver-ex-li',
  'SQL Server Web License included': 'sqlserver-web-li',
  'SQL Server Standard License included': 'sqlserver-se-li',
  'SQL Server Enterprise License included': 'sqlserver-ee-li',
};
for (const r of csv(path.join(pack, 'aws-rds-2021-weak.csv'))) {
  const m = /^(db\.\S+) (.+) Single-AZ on-demand$/.exec(r.item);
  if (m && RDS_ENGINE[m[2]]) put(r, `rds/${m[1]}/${RDS_ENGINE[m[2]]}/single-az`);
  else rejected++;
}

/** aws-managed-services.csv (infracost goldens): item → key, per service. */
const AWS_MANAGED = [
  ['rds', /^Database instance \(on-demand, (Single-AZ|Multi-AZ), (db\.\S+)\) \[(.+)\]$/, (m) => RDS_ENGINE[m[3]] && `rds/${m[2]}/${RDS_ENGINE[m[3]]}/${m[1].toLowerCase()}`],
  ['rds', /^Storage \(general purpose SSD, (gp2|gp3)\) \[Single-AZ\]$/, (m) => `rds/storage/${m[1]}/gb-month`],
  ['rds', /^Storage \(general purpose SSD, (gp2|gp3)\) \[Multi-AZ\]$/, (m) => `rds/storage/${m[1]}/multi-az/gb-month`],
  ['documentdb', /^Database instance \(on-demand, (db\.\S+)\)$/, (m) => `documentdb/${m[1]}`],
  ['documentdb', /^Storage$/, () => 'documentdb/storage/gb-month'],
  ['documentdb', /^I\/O requests$/, () => 'documentdb/io/million-requests'],
  ['amazon-mq', /^Instance usage \((RabbitMQ|ActiveMQ), (mq\.\S+), (single_instance|cluster_multi_az|active_standby_multi_az)\)$/, (m) => `mq/${m[1].toLowerCase()}/${m[2]}/${m[3].replace(/_/g, '-')}`],
  ['amazon-mq', /^Storage \((RabbitMQ|ActiveMQ), EBS\)$/, (m) => `mq/${m[1].toLowerCase()}/storage/gb-month`],
  ['msk', /^Instance \((kafka\.\S+)\)$/, (m) => `msk/${m[1]}`],
  ['msk', /^Storage$/, () => 'msk/storage/gb-month'],
  ['mwaa-environment', /^Environment \((Small|Medium|Large)\)$/, (m) => `mwaa/environment/${m[1].toLowerCase()}/hour`],
  ['opensearch', /^Storage \(gp3\)$/, () => 'opensearch/storage/gp3/gb-month'],
  ['efs', /^Storage \(standard\)$/, () => 'efs/standard/gb-month'],
  ['ebs', /^Storage \(general purpose SSD, (gp2|gp3)\)$/, (m) => `ebs/${m[1]}/gb-month`],
  ['elb', /^Application load balancer$/, () => 'elb/alb/hour'],
  ['elb', /^Load balancer capacity units \[ALB\]$/, () => 'elb/alb/lcu-month'],
  ['elb', /^Network load balancer$/, () => 'elb/nlb/hour'],
  ['vpc-nat-gateway', /^NAT gateway$/, () => 'nat/hour'],
  ['vpc-nat-gateway', /^Data processed$/, () => 'nat/gb'],
  ['sqs', /^Requests \[standard queue\]$/, () => 'sqs/standard/million-requests'],
  ['sns', /^API requests \(over 1M\)$/, () => 'sns/publish/million-requests'],
  ['sqs', /^Requests \[FIFO queue\]$/, () => 'sqs/fifo/million-requests'],
  ['dynamodb', /^Write request unit \(WRU\)$/, () => 'dynamodb/on-demand/million-write-units', 1e6, 'million-write-request-units'],
  ['dynamodb', /^Read request unit \(RRU\)$/, () => 'dynamodb/on-demand/million-read-units', 1e6, 'million-read-request-units'],
  ['dynamodb', /^Data storage$/, () => 'dynamodb/storage/gb-month'],
  ['cloudwatch-logs', /^Data ingested$/, () => 'cloudwatch-logs/ingest/gb'],
  ['cloudwatch-logs', /^Archival Storage$/, () => 'cloudwatch-logs/storage/gb-month'],
  ['fargate', /^Per vCPU per hour$/, () => 'fargate/linux-x86/vcpu-hour'],
  ['fargate', /^Per GB per hour$/, () => 'fargate/linux-x86/gb-hour'],
  ['lambda', /^Duration \(first 6B\) \[x86_64\]$/, () => 'lambda/x86/gb-second/tier1'],
  ['lambda', /^Duration \(next 9B\) \[x86_64\]$/, () => 'lambda/x86/gb-second/tier2'],
  ['lambda', /^Duration \(over 15B\) \[x86_64\]$/, () => 'lambda/x86/gb-second/tier3'],
  ['lambda', /^Requests \[x86_64\]$/, () => 'lambda/requests/million'],
  ['eks', /^EKS cluster$/, () => 'eks/cluster-hour/standard'],
  ['eks', /^EKS cluster \(extended support\)$/, () => 'eks/cluster-hour/extended'],
  ['s3', /^Standard \/ Storage$/, () => 's3/standard/gb-month'],
  ['data-transfer', /^Outbound data transfer to Internet \(first 10TB\)$/, () => 'egress/internet/gb'],
];
function mapRows(file, table) {
  for (const r of csv(path.join(pack, file))) {
    let hit = false;
    for (const [service, re, key, scale, unit] of table) {
      if (r.service !== service) continue;
      const m = re.exec(r.item);
      const k = m && key(m);
      if (!k) continue;
      put(r, k, scale ? { scale, unit } : {});
      hit = true;
      break;
    }
    if (!hit) rejected++;
  }
}
mapRows('aws-managed-services.csv', AWS_MANAGED);
// CloudFront is priced by where viewers are, not by the origin's region: its prices answer in every region.
for (const r of csv(path.join(pack, 'aws-managed-services.csv'))) {
  if (r.service === 'cloudfront-distribution' && r.item === 'US, Mexico, Canada / Data transfer out to internet (first 10TB)') put(r, 'cloudfront/north-america/egress/gb', { region: 'global' });
}

// ---- GCP ------------------------------------------------------------------------------------------
for (const r of csv(path.join(pack, 'gcp-compute-ondemand.csv'))) {
  let m;
  if ((m = /^(\S+) on-demand \(Linux, no OS licence\)$/.exec(r.item)) && gcpType(m[1])) put(r, `compute/machine/${m[1]}`);
  else if ((m = /^(\S+) on-demand full month with sustained-use discount$/.exec(r.item)) && gcpType(m[1])) put(r, `compute/machine/${m[1]}/sud-month`);
  else if ((m = /^windows licence fee on (\S+)$/.exec(r.item)) && gcpType(m[1])) put(r, `compute/windows-licence/${m[1]}`);
  else rejected++;
}
for (const r of csv(path.join(pack, 'commitments.csv'))) {
  let m;
  if (r.provider === 'gcp' && (m = /^(\S+) ([13])-year resource-based committed use discount$/.exec(r.item)) && gcpType(m[1])) put(r, `compute/machine/${m[1]}/cud-${m[2]}y-month`);
  // AWS golden reserved lines show the recurring fee only: a no-upfront term is the whole price.
  else if (r.provider === 'aws' && (m = /^Database instance \(reserved, (Single-AZ|Multi-AZ), (db\.\S+)\) \[(MySQL|PostgreSQL); ([13])-year no upfront\]$/.exec(r.item))) put(r, `rds/${m[2]}/${RDS_ENGINE[m[3]]}/${m[1].toLowerCase()}/ri-${m[4]}y-no-upfront`);
  else if (r.provider === 'aws' && (m = /^(\S+) Linux standard RI 1-year all upfront \(effective hourly\)$/.exec(r.item))) put(r, `ec2/${m[1]}/ri-1y-all-upfront`);
  else if (r.provider === 'aws' && (m = /^Instance usage \(Linux\/UNIX, reserved, (\S+)\) \[standard ([13])-year no upfront\]$/.exec(r.item))) put(r, `ec2/${m[1]}/ri-${m[2]}y-no-upfront`);
  else rejected++;
}
const GCP_STORAGE = [
  ['persistent-disk', /^pd-balanced \(balanced\) capacity$/, () => 'pd/balanced/gb-month'],
  ['persistent-disk', /^pd-ssd \(ssd\) capacity$/, () => 'pd/ssd/gb-month'],
  ['persistent-disk', /^pd-standard \(hdd\) capacity$/, () => 'pd/standard/gb-month'],
  ['cloud-storage', /^standard bucket storage$/, () => 'gcs/standard-regional/gb-month'],
  ['network-egress', /^Premium-tier internet egress to worldwide excl\. China and Australia \(first 1 TiB per month\)$/, () => 'egress/premium/worldwide/gib'],
  ['cloud-nat', /^Cloud NAT gateway uptime$/, () => 'nat/hour'],
  ['cloud-nat', /^Cloud NAT data processed$/, () => 'nat/gb'],
];
mapRows('gcp-storage-network.csv', GCP_STORAGE);

// Cloud Run's Tier 1 regions, as the pricing page lists them (only the vendor-doc CPU prices use this).
const RUN_TIER1 = ['asia-east1', 'asia-northeast1', 'asia-northeast2', 'europe-north1', 'europe-southwest1', 'europe-west1', 'europe-west4', 'europe-west8', 'europe-west9', 'me-west1', 'us-central1', 'us-east1', 'us-east4', 'us-east5', 'us-south1', 'us-west1'];
const SQL = '(?:MYSQL_8_0|POSTGRES_15)';
const GCP_MANAGED = [
  ['cloud-sql', new RegExp(`^vCPU \\(zonal\\) \\[${SQL}\\]$`), () => 'cloudsql/enterprise-zonal/vcpu-hour'],
  ['cloud-sql', new RegExp(`^Memory \\(zonal\\) \\[${SQL}\\]$`), () => 'cloudsql/enterprise-zonal/gb-hour'],
  ['cloud-sql', new RegExp(`^vCPU \\(regional\\) \\[${SQL}\\]$`), () => 'cloudsql/enterprise-regional/vcpu-hour'],
  ['cloud-sql', new RegExp(`^Memory \\(regional\\) \\[${SQL}\\]$`), () => 'cloudsql/enterprise-regional/gb-hour'],
  ['cloud-sql', new RegExp(`^Storage \\(SSD, zonal\\) \\[${SQL}\\]$`), () => 'cloudsql/storage/ssd/gb-month'],
  ['cloud-sql', new RegExp(`^SQL instance \\(db-(f1-micro|g1-small), (zonal|regional)\\) \\[${SQL}\\]$`), (m) => `cloudsql/shared/${m[1] === 'f1-micro' ? 'micro' : 'small'}/${m[2]}`],
  ['cloud-sql', /^Cloud SQL for (?:PostgreSQL|MySQL): (Zonal|Regional) - (Micro|Small) instance in /, (m) => `cloudsql/shared/${m[2].toLowerCase()}/${m[1].toLowerCase()}`],
  ['cloud-sql', /^Cloud SQL for (?:PostgreSQL|MySQL): Zonal - vCPU in /, () => 'cloudsql/enterprise-zonal/vcpu-hour'],
  ['cloud-sql', /^Cloud SQL for (?:PostgreSQL|MySQL): Zonal - RAM in /, () => 'cloudsql/enterprise-zonal/gb-hour'],
  ['cloud-sql', /^Cloud SQL for (?:PostgreSQL|MySQL): Zonal - Standard storage in /, () => 'cloudsql/storage/ssd/gb-month'],
  ['memorystore-redis', /^Redis instance \((basic|standard), (M[1-5])\)$/, (m) => `memorystore-redis/${m[1]}/${m[2].toLowerCase()}/gb-hour`],
  ['cloud-run', /^CPU allocation time \(tier 2\) \[CPU always allocated \(instance-based billing\)\]$/, () => 'run/instance/vcpu-second'],
  ['cloud-run', /^Memory allocation time \(tier 2\) \[CPU always allocated \(instance-based billing\)\]$/, () => 'run/instance/gib-second'],
  ['cloud-run', /^CPU allocation time \(tier 2\) \[CPU only during requests \(request-based billing\)\]$/, () => 'run/request/vcpu-second'],
  ['cloud-run', /^Memory allocation time \(tier 2\) \[CPU only during requests \(request-based billing\)\]$/, () => 'run/request/gib-second'],
  ['cloud-run', /^Number of requests \[CPU only during requests \(request-based billing\)\]$/, () => 'run/requests/million', 1e6, 'million-requests'],
  ['cloud-run-jobs', /^CPU allocation time \(tier 2\)$/, () => 'run/jobs/vcpu-second'],
  ['cloud-run-jobs', /^Memory allocation time \(tier 2\)$/, () => 'run/jobs/gib-second'],
  ['cloud-run-functions-1st-gen', /^CPU$/, () => 'functions/gen1/ghz-second'],
  ['cloud-run-functions-1st-gen', /^Memory$/, () => 'functions/gen1/gb-second'],
  ['cloud-run-functions-1st-gen', /^Invocations$/, () => 'functions/gen1/invocations-million', 1e6, 'million-invocations'],
  ['gke', /^Cluster management fee$/, () => 'gke/cluster-hour'],
  // Autopilot pods are billed by their requests; the pack states a month of 730 hours (the goldens'),
  // so a vCPU-month or GB-month is 730 vCPU-hours or GB-hours.
  ['gke', /^Autopilot$/, () => 'gke-autopilot/cluster-hour'],
  ['gke', /^Autopilot vCPU$/, () => 'gke-autopilot/vcpu-hour', 1 / 730, 'vcpu-hour'],
  ['gke', /^Autopilot memory$/, () => 'gke-autopilot/gb-hour', 1 / 730, 'gb-hour'],
  ['pubsub', /^Message ingestion data$/, () => 'pubsub/ingest/tib'],
  ['pubsub', /^Message delivery data$/, () => 'pubsub/delivery/tib'],
  ['logging-project-sink', /^Logging data$/, () => 'cloud-logging/ingest/gb'],
  ['compute-forwarding-rule', /^Forwarding rules$/, () => 'lb/forwarding-rule/hour'],
];
for (const r of csv(path.join(pack, 'gcp-managed-services.csv'))) {
  if (r.service === 'dataproc' && /management fee$/.test(r.item)) { put(r, 'dataproc/fee/vcpu-hour', { region: 'global' }); continue; }
  if (r.service === 'cloud-run' && /^tier-1 regions/.test(r.region)) {
    const key = /CPU always allocated, and Jobs: CPU/.test(r.item) ? ['run/instance/vcpu-second', 'run/jobs/vcpu-second'] : /request-based/.test(r.item) ? ['run/request/vcpu-second'] : [];
    for (const k of key) for (const region of RUN_TIER1) put(r, k, { region });
    if (!key.length) rejected++;
    continue;
  }
  let hit = false;
  for (const [service, re, key, scale, unit] of GCP_MANAGED) {
    if (r.service !== service) continue;
    const m = re.exec(r.item);
    if (!m) continue;
    put(r, key(m), scale ? { scale, unit } : {});
    hit = true;
    break;
  }
  if (!hit) rejected++;
}

// ---- AWS shapes: vCPU and memory (no prices) ------------------------------------------------------
const awsShapes = JSON.parse(fs.readFileSync(path.join(here, '..', 'data', 'aws-instance-shapes.json'), 'utf8'));
const shapes = { aws: {}, gcp: gcpShapes };
// Managed-service classes share the EC2 specifications of their family and size (RDS, DocumentDB,
// OpenSearch, MSK, Amazon MQ); ElastiCache nodes state their own memory (ElastiCache user guide).
const SIZES = {
  t: { micro: [2, 1], small: [2, 2], medium: [2, 4], large: [2, 8], xlarge: [4, 16], '2xlarge': [8, 32] },
  m: { large: [2, 8], xlarge: [4, 16], '2xlarge': [8, 32], '4xlarge': [16, 64], '8xlarge': [32, 128], '12xlarge': [48, 192], '16xlarge': [64, 256], '24xlarge': [96, 384] },
  r: { large: [2, 16], xlarge: [4, 32], '2xlarge': [8, 64], '4xlarge': [16, 128], '8xlarge': [32, 256], '12xlarge': [48, 384], '16xlarge': [64, 512], '24xlarge': [96, 768] },
};
const FAMILY_KIND = { t3: 't', t4g: 't', m5: 'm', m6g: 'm', m6i: 'm', m7g: 'm', r5: 'r', r6g: 'r', r6i: 'r', r7g: 'r' };
const CACHE_GIB = {
  't3.micro': 0.5, 't3.small': 1.37, 't3.medium': 3.09, 't4g.micro': 0.5, 't4g.small': 1.37, 't4g.medium': 3.09,
  'm5.large': 6.38, 'm5.xlarge': 12.93, 'm5.2xlarge': 26.04, 'm5.4xlarge': 52.26, 'm5.12xlarge': 157.12, 'm5.24xlarge': 314.32,
  'm6g.large': 6.38, 'm6g.xlarge': 12.93, 'm6g.2xlarge': 26.04, 'm6g.4xlarge': 52.26, 'm6g.8xlarge': 103.68, 'm6g.12xlarge': 157.12, 'm6g.16xlarge': 209.55,
  'r5.large': 13.07, 'r5.xlarge': 26.32, 'r5.2xlarge': 52.82, 'r5.4xlarge': 105.81, 'r5.12xlarge': 317.77, 'r5.24xlarge': 635.61,
  'r6g.large': 13.07, 'r6g.xlarge': 26.32, 'r6g.2xlarge': 52.82, 'r6g.4xlarge': 105.81, 'r6g.8xlarge': 209.55, 'r6g.12xlarge': 317.77, 'r6g.16xlarge': 419.09,
};
const CACHE_VCPU = { micro: 2, small: 2, medium: 2, large: 2, xlarge: 4, '2xlarge': 8, '4xlarge': 16, '8xlarge': 32, '12xlarge': 48, '16xlarge': 64, '24xlarge': 96 };
function managedShape(key) {
  let m;
  if ((m = /^elasticache\/[a-z]+\/cache\.(([a-z0-9]+)\.([a-z0-9]+))$/.exec(key))) {
    return CACHE_GIB[m[1]] !== undefined ? [`cache.${m[1]}`, CACHE_VCPU[m[3]], CACHE_GIB[m[1]]] : undefined;
  }
  if (!(m = /^(?:rds|documentdb|msk|opensearch|mq\/[a-z]+)\/((db|kafka|mq)\.)?([a-z0-9]+)\.([a-z0-9]+)(\.search)?(?:\/|$)/.exec(key))) return undefined;
  const kind = FAMILY_KIND[m[3]];
  const size = kind && SIZES[kind][m[4]];
  return size ? [`${m[1] ?? ''}${m[3]}.${m[4]}${m[5] ?? ''}`, size[0], size[1]] : undefined;
}
for (const [name, [vcpu, mem, gpus]] of Object.entries(awsShapes.shapes).sort()) {
  shapes.aws[name] = { vcpu, memoryGiB: mem, family: name.split('.').slice(0, -1).join('.'), ...(gpus ? { gpus } : {}) };
}
for (const m of byRegion.values()) {
  for (const key of m.keys()) {
    const s = managedShape(key);
    if (s && !shapes.aws[s[0]]) shapes.aws[s[0]] = { vcpu: s[1], memoryGiB: s[2], family: s[0].split('.').slice(0, -1).join('.') };
  }
}
// Classes the services offer, priced or not, so that sizing can name the smallest one that fits
// (and say it has no price) instead of jumping to a larger class that happens to have one.
const OFFERED = [
  'kafka.t3.small', ...['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge'].map((x) => `kafka.m5.${x}`),
  'mq.t3.micro', 'mq.m5.large', 'mq.m5.xlarge', 'mq.m5.2xlarge', 'mq.m5.4xlarge',
  'db.t3.medium', 'db.t4g.medium', ...['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge'].map((x) => `db.r5.${x}`),
];
for (const name of OFFERED) {
  const s = managedShape(`${name.startsWith('kafka.') ? 'msk' : name.startsWith('mq.') ? 'mq/rabbitmq' : 'documentdb'}/${name}`);
  if (!s) throw new Error(`no shape for ${name}`);
  if (!shapes.aws[s[0]]) shapes.aws[s[0]] = { vcpu: s[1], memoryGiB: s[2], family: s[0].split('.').slice(0, -1).join('.') };
}
shapes.aws = Object.fromEntries(Object.entries(shapes.aws).sort(([a], [b]) => (a < b ? -1 : 1)));

// A GCP region with no Compute Engine price at all (us-central2 holds one captured Cloud SQL row)
// cannot price a plan: it is left out rather than listed as covered.
for (const id of [...byRegion.keys()]) {
  const [provider, region] = id.split('|');
  if (provider === 'gcp' && region !== 'global' && ![...byRegion.get(id).keys()].some((k) => k.startsWith('compute/machine/'))) {
    rejected += byRegion.get(id).size;
    byRegion.delete(id);
  }
}

// ---- Write ----------------------------------------------------------------------------------------
const sources = [];
const sourceIndex = new Map();
const srcId = (p) => {
  const k = `${p.source}\u0000${p.asOf}\u0000${p.confidence}`;
  if (!sourceIndex.has(k)) {
    sourceIndex.set(k, sources.length);
    sources.push({ source: p.source, asOf: p.asOf, confidence: p.confidence });
  }
  return sourceIndex.get(k);
};
const outDir = path.join(here, '..', 'data', 'prices');
fs.rmSync(outDir, { recursive: true, force: true });
const regions = { aws: {}, gcp: {} };
const dates = [];
let total = 0;
// The same order as the serializer's: by provider|region|key.
for (const id of [...byRegion.keys()].sort((a, b) => (`${a}|` < `${b}|` ? -1 : 1))) {
  const [provider, region] = id.split('|');
  const rows = [...byRegion.get(id).values()].sort((a, b) => (a.key < b.key ? -1 : 1));
  fs.mkdirSync(path.join(outDir, provider), { recursive: true });
  // One price per line: [key, usd, unit, source id]; a changed price is a one-line diff.
  const body = rows.map((p) => '  ' + JSON.stringify([p.key, p.usd, p.unit, srcId(p)])).join(',\n');
  fs.writeFileSync(path.join(outDir, provider, `${region}.json`), `[\n${body}\n]\n`);
  regions[provider][region] = rows.length;
  total += rows.length;
  for (const p of rows) dates.push(p.asOf);
}
const isoDates = dates.filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort();
const index = {
  version: 2,
  asOf: isoDates[isoDates.length - 1],
  oldestAsOf: isoDates[0],
  currency: 'USD',
  hoursPerMonth: 730,
  pack: 'prices-2026 (sourced public list prices; see each source)',
  shapeSources: {
    aws: awsShapes.source,
    gcp: 'Compute Engine machine types (reference table gcp-machine-types.csv, 2026-08-17); shared-core E2 bills 0.25/0.5/1 vCPU; G2 (NVIDIA L4) shapes from the Cyclenerd pricing table in the pack',
  },
  regions,
  sources,
  shapes,
};
const lines = ['{'];
for (const k of ['version', 'asOf', 'oldestAsOf', 'currency', 'hoursPerMonth', 'pack', 'shapeSources', 'regions']) lines.push(`  ${JSON.stringify(k)}: ${JSON.stringify(index[k])},`);
lines.push('  "sources": [');
lines.push(sources.map((s) => '    ' + JSON.stringify(s)).join(',\n'));
lines.push('  ],');
lines.push('  "shapes": {');
lines.push(['aws', 'gcp'].map((pv) => `    "${pv}": {\n` + Object.entries(shapes[pv]).map(([n, s]) => `      ${JSON.stringify(n)}: ${JSON.stringify(s)}`).join(',\n') + '\n    }').join(',\n'));
lines.push('  }');
lines.push('}');
fs.writeFileSync(path.join(outDir, 'index.json'), lines.join('\n') + '\n');
console.error(`wrote data/prices: ${total} prices in ${Object.keys(regions.aws).length} AWS and ${Object.keys(regions.gcp).length} GCP regions, ${sources.length} sources; ${rejected} reference rows have no planner key`);

// ---- Carbon coefficients (Cloud Carbon Footprint method), with their sources ----------------
const carbonRows = csv(path.join(refDir, 'carbon-coefficients.csv'));
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
