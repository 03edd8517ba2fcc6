/**
 * Loopback emulators of the two price APIs, speaking their real wire protocols:
 * - AWS Price List Query API: awsJson1.1, `POST /` with `X-Amz-Target: AWSPriceListService.GetProducts`,
 *   TERM_MATCH filters, NextToken pagination, errors as `{__type, message}`;
 * - GCP Cloud Billing Catalog API (REST): `GET /v1/services/{id}/skus` with `pageToken`, the API key in
 *   `x-goog-api-key`, errors as `{error: {code, message, status}}`.
 * The entries are shaped like the real ones and carry the snapshot's prices, so a live plan can be
 * compared with the snapshot plan. Faults are switched on per test.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { Snapshot, type SnapshotPrice } from '../src/core/price/snapshot';

export interface Faults {
  /** Answer the first N requests with a throttling error. */
  throttleFirst?: number;
  /** Answer every request with a 500 (or the first N, when a number). */
  serverError?: boolean | number;
  /** Delay each answer (ms). */
  delayMs?: number;
  /** Return the same next token forever. */
  endlessToken?: boolean;
  /** Add malformed entries. */
  malformed?: boolean;
  /** Return nothing. */
  empty?: boolean;
}

export interface Emulator {
  url: string;
  requests: { path: string; body: string; headers: http.IncomingHttpHeaders }[];
  faults: Faults;
  close(): Promise<void>;
}

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

async function serve(handler: (req: http.IncomingMessage, body: string, faults: Faults, n: number) => Reply): Promise<Emulator> {
  const em = { requests: [] as Emulator['requests'], faults: {} as Faults } as Emulator;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      em.requests.push({ path: req.url ?? '', body, headers: req.headers });
      const r = handler(req, body, em.faults, em.requests.length);
      const send = () => {
        res.writeHead(r.status, { 'content-type': 'application/json', ...(r.headers ?? {}) });
        res.end(JSON.stringify(r.body));
      };
      if (em.faults.delayMs) setTimeout(send, em.faults.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  em.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  em.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return em;
}

// ---- AWS ---------------------------------------------------------------------------------------

interface AwsProductEntry {
  product: { productFamily: string; attributes: Record<string, string>; sku: string };
  serviceCode: string;
  terms: { OnDemand: Record<string, { priceDimensions: Record<string, { unit: string; beginRange: string; endRange: string; description: string; pricePerUnit: { USD: string }; rateCode: string; appliesTo: string[] }>; sku: string; effectiveDate: string; offerTermCode: string; termAttributes: Record<string, string> }> };
  version: string;
  publicationDate: string;
}

let skuCounter = 0;
function awsEntry(serviceCode: string, family: string, attributes: Record<string, string>, dims: { usd: number; unit: string; begin: number; end: number | 'Inf' }[], publication: string): AwsProductEntry {
  const sku = `SKU${String(++skuCounter).padStart(10, '0')}`;
  const term = `${sku}.JRTCKXETXF`;
  const priceDimensions: AwsProductEntry['terms']['OnDemand'][string]['priceDimensions'] = {};
  dims.forEach((d, i) => {
    const rate = `${term}.${String(6 + i)}YS6EN2CT7`;
    priceDimensions[rate] = { unit: d.unit, beginRange: String(d.begin), endRange: String(d.end), description: `${d.usd} per ${d.unit}`, pricePerUnit: { USD: d.usd.toFixed(10) }, rateCode: rate, appliesTo: [] };
  });
  return {
    product: { productFamily: family, attributes: { servicecode: serviceCode, ...attributes }, sku },
    serviceCode,
    terms: { OnDemand: { [term]: { priceDimensions, sku, effectiveDate: `${publication}T00:00:00Z`, offerTermCode: 'JRTCKXETXF', termAttributes: {} } } },
    version: publication.replace(/-/g, '') + '000000',
    publicationDate: `${publication}T00:00:00Z`,
  };
}

/** Where the public reference pack is: beside the checkout, or MIGRATION_PLANNER_REFERENCE_DIR. */
export function referenceDir(): string {
  if (process.env.MIGRATION_PLANNER_REFERENCE_DIR) return process.env.MIGRATION_PLANNER_REFERENCE_DIR;
  let d = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(d, 'package.json')) && fs.existsSync(path.join(d, 'data', 'prices'))) return path.join(d, '..', 'shared', 'reference', 'prices-2026');
    d = path.dirname(d);
  }
  return path.join(process.cwd(), '..', 'shared', 'reference', 'prices-2026');
}

export function hasReference(): boolean {
  return fs.existsSync(path.join(referenceDir(), 'gcp-sku-names.csv')) && fs.existsSync(path.join(referenceDir(), 'aws-price-list-attributes.csv'));
}

type Row = Record<string, string>;
const tables = new Map<string, Row[]>();
function table(file: string): Row[] {
  if (!tables.has(file)) tables.set(file, parse(fs.readFileSync(path.join(referenceDir(), file), 'utf8'), { columns: true, skip_empty_lines: true }) as Row[]);
  return tables.get(file)!;
}

/** An AWS Price List attribute value as the reference table lists it; throws when it does not. */
export function awsAttribute(service: string, attribute: string, value: string): string {
  const ok = table('aws-price-list-attributes.csv').some((r) => r.service_code === service && r.attribute === attribute && r.value === value);
  if (!ok) throw new Error(`aws-price-list-attributes.csv has no ${service} ${attribute} = ${value}`);
  return value;
}

/** A usagetype that matches the reference table's pattern for it (the emulator's names are checked, never assumed). */
function awsUsagetype(service: string, pattern: string, usagetype: string): string {
  const rows = table('aws-price-list-attributes.csv').filter((r) => r.service_code === service && /usagetype/.test(r.attribute) && r.value.includes(pattern));
  if (rows.length === 0) throw new Error(`aws-price-list-attributes.csv has no ${service} usagetype like ${pattern}`);
  if (!usagetype.includes(pattern.replace(/^[/^]|[/$]$/g, '').replace(/\\/g, ''))) throw new Error(`${usagetype} does not carry ${pattern}`);
  return usagetype;
}

/** RDS engine codes → the engineCode row of the reference table (databaseEngine / databaseEdition / licenseModel). */
const RDS_ENGINE_CODES: Record<string, string> = { 'aurora-postgresql': '21', mysql: '2', postgresql: '14', mariadb: '18', 'aurora-mysql': '16', 'oracle-se1-byol': '3', 'oracle-se-byol': '4', 'oracle-ee-byol': '5', 'oracle-se1-li': '6', 'sqlserver-ex-li': '10', 'sqlserver-web-li': '11', 'sqlserver-se-li': '12', 'sqlserver-ee-li': '15', 'oracle-se2-byol': '19', 'oracle-se2-li': '20' };
function rdsAttributes(code: string, az: 'Single-AZ' | 'Multi-AZ'): Record<string, string> | undefined {
  const n = RDS_ENGINE_CODES[code];
  // The engine's real attribute combination; the deployment option is one the table lists for RDS.
  const row = n && table('aws-price-list-attributes.csv').find((r) => r.service_code === 'AmazonRDS' && r.attribute.startsWith('engineCode /') && r.value.startsWith(`${n} /`));
  if (!row) {
    // Aurora PostgreSQL has no engineCode example in the table; its engine value is listed, without licence.
    return code === 'aurora-postgresql' ? { databaseEngine: awsAttribute('AmazonRDS', 'databaseEngine', 'Aurora PostgreSQL'), licenseModel: 'No license required', deploymentOption: awsAttribute('AmazonRDS', 'deploymentOption', az) } : undefined;
  }
  const [engineCode, databaseEngine, databaseEdition, licenseModel] = row.value.split(' / ');
  return { engineCode, databaseEngine, ...(databaseEdition !== '-' ? { databaseEdition } : {}), licenseModel, deploymentOption: awsAttribute('AmazonRDS', 'deploymentOption', az) };
}

const USAGE_PREFIX: Record<string, string> = { 'us-east-1': 'USE1-', 'us-east-2': 'USE2-', 'eu-west-1': 'EU-', 'eu-west-3': 'EUW3-' };

/**
 * Price List products for the snapshot's AWS prices, with the attribute values of the reference
 * table (aws-price-list-attributes.csv), plus decoys the filters must exclude. `regions`: the
 * regions to serve (default: all).
 */
export function awsProductsFromSnapshot(snap: Snapshot, regions?: string[]): AwsProductEntry[] {
  const out: AwsProductEntry[] = [];
  const A = awsAttribute;
  const ec2 = { operatingSystem: A('AmazonEC2', 'operatingSystem', 'Linux'), tenancy: A('AmazonEC2', 'tenancy', 'Shared'), preInstalledSw: A('AmazonEC2', 'preInstalledSw', 'NA'), capacitystatus: A('AmazonEC2', 'capacitystatus', 'Used'), licenseModel: A('AmazonEC2', 'licenseModel', 'No License required'), marketoption: A('AmazonEC2', 'marketoption', 'OnDemand') };
  for (const p of snap.data.prices) {
    if (p.provider !== 'aws' || (regions && !regions.includes(p.region))) continue;
    const reg = { regionCode: p.region, location: p.region };
    const pre = USAGE_PREFIX[p.region] ?? '';
    const pub = /^\d{4}-\d{2}-\d{2}$/.test(p.asOf) ? p.asOf : /^\d{4}/.test(p.asOf) ? `${p.asOf.slice(0, 4)}-01-01` : '2026-01-01';
    const hourly = (service: string, family: string, attrs: Record<string, string>) => out.push(awsEntry(service, family, { ...reg, ...attrs }, [{ usd: p.usd, unit: 'Hrs', begin: 0, end: 'Inf' }], pub));
    let m: RegExpExecArray | null;
    if ((m = /^ec2\/([a-z0-9-]+\.[a-z0-9-]+)$/.exec(p.key))) {
      hourly('AmazonEC2', 'Compute Instance', { ...ec2, instanceType: m[1], usagetype: `${pre}BoxUsage:${m[1]}` });
      // A decoy the filters must exclude: the same type with Windows.
      if (m[1] === 'm5.large') out.push(awsEntry('AmazonEC2', 'Compute Instance', { ...reg, ...ec2, instanceType: m[1], operatingSystem: 'Windows', usagetype: `${pre}BoxUsage:${m[1]}` }, [{ usd: 9.99, unit: 'Hrs', begin: 0, end: 'Inf' }], pub));
    } else if ((m = /^ec2\/windows\/([a-z0-9-]+\.[a-z0-9-]+)$/.exec(p.key))) {
      hourly('AmazonEC2', 'Compute Instance', { ...ec2, operatingSystem: 'Windows', instanceType: m[1], usagetype: `${pre}BoxUsage:${m[1]}` });
    } else if (p.key === 'fargate/linux-x86/vcpu-hour') {
      out.push(awsEntry('AmazonECS', 'Compute', { ...reg, usagetype: awsUsagetype('AmazonECS', 'Fargate-vCPU-Hours:perCPU', `${pre}Fargate-vCPU-Hours:perCPU`) }, [{ usd: p.usd, unit: 'hours', begin: 0, end: 'Inf' }], pub));
      out.push(awsEntry('AmazonECS', 'Compute', { ...reg, usagetype: `${pre}Fargate-Windows-vCPU-Hours:perCPU` }, [{ usd: 9.99, unit: 'hours', begin: 0, end: 'Inf' }], pub));
    } else if (p.key === 'fargate/linux-x86/gb-hour') {
      out.push(awsEntry('AmazonECS', 'Compute', { ...reg, usagetype: awsUsagetype('AmazonECS', 'Fargate-GB-Hours', `${pre}Fargate-GB-Hours`) }, [{ usd: p.usd, unit: 'GB-Hours', begin: 0, end: 'Inf' }], pub));
    } else if (p.key === 'lambda/x86/gb-second/tier1') {
      const t2 = snap.price('aws', p.region, 'lambda/x86/gb-second/tier2')?.usd ?? p.usd;
      const t3 = snap.price('aws', p.region, 'lambda/x86/gb-second/tier3')?.usd ?? p.usd;
      out.push(awsEntry('AWSLambda', 'Serverless', { ...reg, group: A('AWSLambda', 'group', 'AWS-Lambda-Duration'), usagetype: `${pre}Lambda-GB-Second` }, [{ usd: t3, unit: 'Lambda-GB-Second', begin: 15e9, end: 'Inf' }, { usd: p.usd, unit: 'Lambda-GB-Second', begin: 0, end: 6e9 }, { usd: t2, unit: 'Lambda-GB-Second', begin: 6e9, end: 15e9 }], pub));
      out.push(awsEntry('AWSLambda', 'Serverless', { ...reg, group: A('AWSLambda', 'group', 'AWS-Lambda-Duration-ARM'), usagetype: `${pre}Lambda-GB-Second-ARM` }, [{ usd: 9.99, unit: 'Lambda-GB-Second', begin: 0, end: 'Inf' }], pub));
    } else if (p.key === 'lambda/requests/million') {
      out.push(awsEntry('AWSLambda', 'Serverless', { ...reg, group: A('AWSLambda', 'group', 'AWS-Lambda-Requests'), usagetype: `${pre}Request` }, [{ usd: p.usd / 1e6, unit: 'Requests', begin: 0, end: 'Inf' }], pub));
    } else if ((m = /^rds\/(db\.[^/]+)\/([a-z0-9-]+)\/(single-az|multi-az)$/.exec(p.key))) {
      const attrs = rdsAttributes(m[2], m[3] === 'single-az' ? 'Single-AZ' : 'Multi-AZ');
      if (attrs) hourly('AmazonRDS', A('AmazonRDS', 'productFamily', 'Database Instance'), { ...attrs, instanceType: m[1], usagetype: `${pre}${m[3] === 'single-az' ? 'InstanceUsage' : 'Multi-AZUsage'}:${m[1]}` });
    } else if (p.key === 'rds/storage/gp3/gb-month') {
      out.push(awsEntry('AmazonRDS', A('AmazonRDS', 'productFamily', 'Database Storage'), { ...reg, volumeType: A('AmazonRDS', 'volumeType', 'General Purpose-GP3'), deploymentOption: A('AmazonRDS', 'deploymentOption', 'Single-AZ'), databaseEngine: A('AmazonRDS', 'databaseEngine', 'Any'), usagetype: `${pre}RDS:GP3-Storage` }, [{ usd: p.usd, unit: 'GB-Mo', begin: 0, end: 'Inf' }], pub));
      // A decoy: Multi-AZ storage of the same volume type.
      out.push(awsEntry('AmazonRDS', 'Database Storage', { ...reg, volumeType: 'General Purpose-GP3', deploymentOption: 'Multi-AZ', databaseEngine: 'Any', usagetype: `${pre}RDS:Multi-AZ-GP3-Storage` }, [{ usd: 9.99, unit: 'GB-Mo', begin: 0, end: 'Inf' }], pub));
    } else if ((m = /^elasticache\/([a-z]+)\/(cache\.[^/]+)$/.exec(p.key))) {
      const engine = A('AmazonElastiCache', 'cacheEngine', m[1] === 'redis' ? 'Redis' : m[1] === 'valkey' ? 'Valkey' : 'Memcached');
      hourly('AmazonElastiCache', 'Cache Instance', { instanceType: m[2], cacheEngine: engine, locationType: A('AmazonElastiCache', 'locationType', 'AWS Region'), usagetype: `${pre}NodeUsage:${m[2]}` });
    } else if ((m = /^opensearch\/([^/]+\.search)$/.exec(p.key))) {
      hourly('AmazonES', 'Amazon OpenSearch Service Instance', { instanceType: m[1], usagetype: `${pre}ESInstance:${m[1]}` });
    } else if ((m = /^documentdb\/(db\.[^/]+)$/.exec(p.key))) {
      hourly('AmazonDocDB', 'Database Instance', { instanceType: m[1], volumeType: A('AmazonDocDB', 'volumeType', 'General Purpose'), usagetype: `${pre}InstanceUsage:${m[1]}` });
    } else if ((m = /^mq\/rabbitmq\/(mq\.[^/]+)\/single-instance$/.exec(p.key))) {
      hourly('AmazonMQ', 'Broker Instances', { brokerEngine: 'RabbitMQ', deploymentOption: 'single_instance', operation: 'CreateBroker', usagetype: `${pre}RabbitMQ:${m[1]}` });
    } else if (p.key === 'mq/rabbitmq/storage/gb-month') {
      out.push(awsEntry('AmazonMQ', 'Broker Storage', { ...reg, usagetype: awsUsagetype('AmazonMQ', 'TimedStorage-ByteHrs', `${pre}TimedStorage-ByteHrs`) }, [{ usd: p.usd, unit: 'GB-Mo', begin: 0, end: 'Inf' }], pub));
    } else if (p.key === 'msk/storage/gb-month') {
      const [storageFamily, locationType] = ['GP2', 'AWS Region'];
      if (!table('aws-price-list-attributes.csv').some((r) => r.service_code === 'AmazonMSK' && r.value === `${storageFamily} / ${locationType}`)) throw new Error('aws-price-list-attributes.csv: no AmazonMSK storageFamily / locationType');
      out.push(awsEntry('AmazonMSK', 'Managed Streaming for Apache Kafka (MSK)', { ...reg, storageFamily, locationType, usagetype: `${pre}Kafka.Storage.GP2` }, [{ usd: p.usd, unit: 'GB-Mo', begin: 0, end: 'Inf' }], pub));
    } else if (p.key === 's3/standard/gb-month') {
      // Real S3 storage is tiered; the later tiers here are test markers the picker must not use.
      out.push(awsEntry('AmazonS3', 'Storage', { ...reg, storageClass: 'General Purpose', volumeType: 'Standard', usagetype: `${pre}TimedStorage-ByteHrs` }, [{ usd: 0.0991, unit: 'GB-Mo', begin: 51200, end: 512000 }, { usd: p.usd, unit: 'GB-Mo', begin: 0, end: 51200 }, { usd: 0.0992, unit: 'GB-Mo', begin: 512000, end: 'Inf' }], pub));
    } else if (p.key === 'eks/cluster-hour/standard' || p.key === 'eks/cluster-hour/extended') {
      const ext = p.key.endsWith('extended') ? '-ExtendedSupport' : '';
      out.push(awsEntry('AmazonEKS', 'Compute', { ...reg, usagetype: awsUsagetype('AmazonEKS', 'AmazonEKS-Hours:perCluster', `${pre}AmazonEKS-Hours:perCluster${ext}`) }, [{ usd: p.usd, unit: 'Hours', begin: 0, end: 'Inf' }], pub));
    } else if ((m = /^ebs\/(gp2|gp3)\/gb-month$/.exec(p.key))) {
      out.push(awsEntry('AmazonEC2', 'Storage', { ...reg, volumeApiName: A('AmazonEC2', 'volumeApiName', m[1]), usagetype: `${pre}EBS:VolumeUsage.${m[1]}` }, [{ usd: p.usd, unit: 'GB-Mo', begin: 0, end: 'Inf' }], pub));
    } else if (p.key === 'documentdb/storage/gb-month') {
      out.push(awsEntry('AmazonDocDB', 'Database Storage', { ...reg, volumeType: A('AmazonDocDB', 'volumeType', 'General Purpose'), usagetype: `${pre}StorageUsage` }, [{ usd: p.usd, unit: 'GB-Mo', begin: 0, end: 'Inf' }], pub));
    } else if (p.key === 'efs/standard/gb-month') {
      out.push(awsEntry('AmazonEFS', 'Storage', { ...reg, usagetype: awsUsagetype('AmazonEFS', '-TimedStorage-ByteHrs', `${pre.replace(/-$/, '')}-TimedStorage-ByteHrs`) }, [{ usd: p.usd, unit: 'GB-Mo', begin: 0, end: 'Inf' }], pub));
      out.push(awsEntry('AmazonEFS', 'Storage', { ...reg, storageClass: A('AmazonEFS', 'storageClass', 'Infrequent Access'), usagetype: `${pre.replace(/-$/, '')}-IATimedStorage-ByteHrs` }, [{ usd: 9.99, unit: 'GB-Mo', begin: 0, end: 'Inf' }], pub));
    } else if (p.key === 'nat/hour' || p.key === 'nat/gb') {
      const what = p.key === 'nat/hour' ? 'NatGateway-Hours' : 'NatGateway-Bytes';
      out.push(awsEntry('AmazonEC2', 'NAT Gateway', { ...reg, usagetype: awsUsagetype('AmazonEC2', `/${what}/`, `${pre}${what}`) }, [{ usd: p.usd, unit: p.key === 'nat/hour' ? 'Hrs' : 'GB', begin: 0, end: 'Inf' }], pub));
    } else if (p.key === 'elb/nlb/hour') {
      out.push(awsEntry('AWSELB', 'Load Balancer-Network', { ...reg, usagetype: `${pre}LoadBalancerUsage` }, [{ usd: p.usd, unit: 'Hrs', begin: 0, end: 'Inf' }], pub));
    } else if (p.key === 'elb/alb/hour') {
      out.push(awsEntry('AWSELB', 'Load Balancer-Application', { ...reg, usagetype: `${pre}LoadBalancerUsage` }, [{ usd: p.usd, unit: 'Hrs', begin: 0, end: 'Inf' }], pub));
    } else if (p.key === 'elb/alb/lcu-month') {
      out.push(awsEntry('AWSELB', 'Load Balancer-Application', { ...reg, usagetype: `${pre}LCUUsage` }, [{ usd: p.usd / 730, unit: 'LCU-Hrs', begin: 0, end: 'Inf' }], pub));
    }
  }
  return out;
}

export async function startAwsPricing(products: AwsProductEntry[], pageSize = 2): Promise<Emulator> {
  return serve((req, raw, f, n): Reply => {
    if (req.method !== 'POST' || req.url !== '/' || req.headers['x-amz-target'] !== 'AWSPriceListService.GetProducts') {
      return { status: 400, body: { __type: 'UnknownOperationException', message: 'Unknown operation' } };
    }
    if (f.throttleFirst && n <= f.throttleFirst) return { status: 400, headers: { 'x-amzn-errortype': 'ThrottlingException' }, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } };
    if (f.serverError === true || (typeof f.serverError === 'number' && n <= f.serverError)) return { status: 500, body: { __type: 'InternalErrorException', message: 'internal error' } };
    const input = JSON.parse(raw) as { ServiceCode: string; Filters?: { Type: string; Field: string; Value: string }[]; NextToken?: string; MaxResults?: number; FormatVersion?: string };
    const matching = f.empty ? [] : products.filter((p) => p.serviceCode === input.ServiceCode && (input.Filters ?? []).every((flt) => flt.Type === 'TERM_MATCH' && (p.product.attributes[flt.Field] === flt.Value || (flt.Field === 'productFamily' && p.product.productFamily === flt.Value))));
    const start = f.endlessToken ? 0 : Number(input.NextToken ?? 0);
    const page = matching.slice(start, start + pageSize).map((p) => JSON.stringify(p));
    if (f.malformed) page.unshift('{"product": {"attributes": ', JSON.stringify({ product: { attributes: {} }, terms: {} }));
    const next = f.endlessToken ? 'same-token' : start + pageSize < matching.length ? String(start + pageSize) : undefined;
    return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: { FormatVersion: 'aws_v1', PriceList: page, ...(next ? { NextToken: next } : {}) } };
  });
}

// ---- GCP ---------------------------------------------------------------------------------------

interface GcpSkuJson {
  name: string;
  skuId: string;
  description: string;
  category: { serviceDisplayName: string; resourceFamily: string; resourceGroup: string; usageType: string };
  serviceRegions: string[];
  pricingInfo: { effectiveTime: string; pricingExpression: { usageUnit: string; usageUnitDescription: string; baseUnit: string; baseUnitConversionFactor: number; displayQuantity: number; tieredRates: { startUsageAmount: number; unitPrice: { currencyCode: string; units: string; nanos: number } }[] }; currencyConversionRate: number }[];
  serviceProviderName: string;
}

/**
 * Test fixture: a snapshot whose `to` regions also carry, for every key they lack, the price of a
 * `from` region raised by 7% (so a live answer is told apart from a fallback). The bundled data has
 * no such prices: this only lets the emulators answer in a region the data does not cover, to show
 * that every matcher asks for the right region.
 */
export function withFixturePrices(snap: Snapshot, from: Record<'aws' | 'gcp', string[]>, to: Record<'aws' | 'gcp', string>): Snapshot {
  const prices: SnapshotPrice[] = [...snap.data.prices];
  for (const p of ['aws', 'gcp'] as const) {
    const have = new Set(prices.filter((x) => x.provider === p && x.region === to[p]).map((x) => x.key));
    for (const region of from[p]) {
      for (const x of snap.data.prices) {
        if (x.provider !== p || x.region !== region || have.has(x.key)) continue;
        have.add(x.key);
        prices.push({ ...x, region: to[p], usd: Number((x.usd * 1.07).toPrecision(10)), source: 'test fixture', confidence: 'weak' });
      }
    }
  }
  return new Snapshot({ ...snap.data, prices });
}

/** Location names in Catalog descriptions ("E2 Instance Core running in Americas", "Standard Storage Paris"). */
const GEO: Record<string, string> = { 'us-central1': 'Americas', 'us-east1': 'Americas', 'europe-west1': 'Belgium', 'europe-west3': 'Frankfurt', 'europe-west9': 'Paris' };

function nanos(usd: number): { currencyCode: string; units: string; nanos: number } {
  const units = Math.floor(usd);
  return { currencyCode: 'USD', units: String(units), nanos: Math.round((usd - units) * 1e9) };
}

/**
 * A Cloud Billing Catalog SKU description as the reference table (gcp-sku-names.csv) gives it: an
 * exact name, a format string with <region>, or a LIKE pattern completed by `rest`. Throws when the
 * table has no such row, or when the completed name does not fit the pattern: the emulator serves
 * the catalog's names, never names the planner happens to expect.
 */
export function gcpSkuName(reference: string, region: string, rest = ''): string {
  const row = table('gcp-sku-names.csv').find((r) => r.sku_description === reference);
  if (!row) throw new Error(`gcp-sku-names.csv has no SKU description "${reference}"`);
  if (/LIKE pattern/.test(row.match)) {
    const name = reference.replace(/%$/, '') + rest;
    const like = new RegExp(`^${reference.split('%').map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    if (!like.test(name)) throw new Error(`"${name}" does not fit the LIKE pattern "${reference}"`);
    return name;
  }
  return reference.replace('<region>', region);
}

/**
 * A Cloud SQL shared-core SKU: its resource group as gcp-sku-names.csv lists it (infracost's filter)
 * and its description as the captured Catalog rows of gcp-managed-services.csv spell it
 * ("Cloud SQL for PostgreSQL: Zonal - Micro instance in <location>"); throws when either is missing.
 */
export function cloudSqlSharedCore(tier: 'micro' | 'small', geo: string): { name: string; resourceGroup: string } {
  const resourceGroup = tier === 'micro' ? 'SQLGen2InstancesF1Micro' : 'SQLGen2InstancesG1Small';
  if (!table('gcp-sku-names.csv').some((r) => r.resource_group === resourceGroup)) throw new Error(`gcp-sku-names.csv has no resource group ${resourceGroup}`);
  const prefix = `Cloud SQL for PostgreSQL: Zonal - ${tier === 'micro' ? 'Micro' : 'Small'} instance in `;
  if (!table('gcp-managed-services.csv').some((r) => r.item.startsWith(prefix))) throw new Error(`no captured Cloud SQL SKU starts "${prefix}"`);
  return { name: `${prefix}${geo}`, resourceGroup };
}

/** A full name for a reference row that gives only a regex (infracost's filters); checked against it. */
export function gcpSkuByRegex(reference: string, name: string): string {
  const row = table('gcp-sku-names.csv').find((r) => r.sku_description === reference && /regex/.test(r.match));
  if (!row || !new RegExp(reference).test(name)) throw new Error(`"${name}" is not a name gcp-sku-names.csv allows (${reference})`);
  return name;
}

/** Solves a family's core and RAM prices from two machine types (2 vCPU with 8 GB and with 2 GB). */
function coreAndRam(snap: Snapshot, region: string, fam: string): { core: number; ram: number } | undefined {
  const std = snap.price('gcp', region, `compute/machine/${fam}-standard-2`)?.usd;
  const hc = snap.price('gcp', region, `compute/machine/${fam}-highcpu-2`)?.usd;
  if (std === undefined || hc === undefined) return undefined;
  const ram = (std - hc) / 6;
  return { core: (hc - 2 * ram) / 2, ram };
}

/**
 * Catalog SKUs for the snapshot's GCP prices, by service id, named as the reference table names
 * them. `regions`: the regions to serve (default: all).
 */
export function gcpSkusFromSnapshot(snap: Snapshot, regions?: string[]): Map<string, GcpSkuJson[]> {
  const byService = new Map<string, GcpSkuJson[]>();
  let n = 0;
  const add = (service: string, display: string, description: string, family: string, group: string, region: string, unit: string, tiers: { start: number; usd: number }[], asOf: string) => {
    const id = `${(++n).toString(16).toUpperCase().padStart(4, '0')}-TEST-${service.slice(0, 4)}`;
    const list = byService.get(service) ?? [];
    list.push({
      name: `services/${service}/skus/${id}`,
      skuId: id,
      description,
      category: { serviceDisplayName: display, resourceFamily: family, resourceGroup: group, usageType: 'OnDemand' },
      serviceRegions: [region],
      pricingInfo: [{ effectiveTime: `${/^\d{4}-\d{2}-\d{2}$/.test(asOf) ? asOf : '2026-01-01'}T00:00:00Z`, pricingExpression: { usageUnit: unit, usageUnitDescription: unit, baseUnit: unit, baseUnitConversionFactor: 1, displayQuantity: 1, tieredRates: tiers.map((t) => ({ startUsageAmount: t.start, unitPrice: nanos(t.usd) })) }, currencyConversionRate: 1 }],
      serviceProviderName: 'Google',
    });
    byService.set(service, list);
  };
  const CE = '6F81-5844-456A';
  const RUN = '152E-C115-5142';
  const served = new Set<string>();
  for (const p of snap.data.prices) {
    if (p.provider !== 'gcp' || (regions && !regions.includes(p.region))) continue;
    const geo = GEO[p.region] ?? p.region;
    const one = [{ start: 0, usd: p.usd }];
    const N = (reference: string, rest = '') => gcpSkuName(reference, p.region, rest);
    let m: RegExpExecArray | null;
    if ((m = /^compute\/machine\/(e2|n2)-[a-z0-9-]+$/.exec(p.key))) {
      // The Catalog prices a machine as cores and RAM: one pair of SKUs per family and region.
      if (served.has(`${m[1]}|${p.region}`)) continue;
      served.add(`${m[1]}|${p.region}`);
      const cr = coreAndRam(snap, p.region, m[1]);
      if (!cr) continue;
      const F = m[1].toUpperCase();
      add(CE, 'Compute Engine', N(`${F} Instance%`, ` Core running in ${geo}`), 'Compute', 'CPU', p.region, 'h', [{ start: 0, usd: cr.core }], p.asOf);
      add(CE, 'Compute Engine', N(`${F} Instance%`, ` Ram running in ${geo}`), 'Compute', 'RAM', p.region, 'GiBy.h', [{ start: 0, usd: cr.ram }], p.asOf);
      // A decoy the matcher must skip: the family's commitment SKU.
      add(CE, 'Compute Engine', N(`Commitment v1: ${F}%1 Year`, ` Core in ${geo} for 1 Year`), 'Compute', 'CPU', p.region, 'h', [{ start: 0, usd: cr.core / 2 }], p.asOf);
      continue;
    }
    switch (p.key) {
      case 'pd/balanced/gb-month': add(CE, 'Compute Engine', N('Balanced PD%', ` Capacity in ${geo}`), 'Storage', 'SSD', p.region, 'GiBy.mo', one, p.asOf); break;
      case 'pd/ssd/gb-month': add(CE, 'Compute Engine', N('SSD backed PD%', ` Capacity in ${geo}`), 'Storage', 'SSD', p.region, 'GiBy.mo', one, p.asOf); break;
      case 'pd/standard/gb-month': add(CE, 'Compute Engine', N('Storage PD Capacity%', ` in ${geo}`), 'Storage', 'PDStandard', p.region, 'GiBy.mo', one, p.asOf); break;
      case 'run/instance/vcpu-second': add(RUN, 'Cloud Run', N('Services CPU (Instance-based billing) in <region>'), 'Compute', 'CPU', p.region, 's', one, p.asOf); break;
      case 'run/instance/gib-second': add(RUN, 'Cloud Run', N('Services Memory (Instance-based billing) in <region>'), 'Compute', 'RAM', p.region, 'GiBy.s', one, p.asOf); break;
      case 'run/jobs/vcpu-second': add(RUN, 'Cloud Run', N('Jobs CPU in <region>'), 'Compute', 'CPU', p.region, 's', one, p.asOf); break;
      case 'run/jobs/gib-second': add(RUN, 'Cloud Run', N('Jobs Memory in <region>'), 'Compute', 'RAM', p.region, 'GiBy.s', one, p.asOf); break;
      // Request-based billing has a free tier: a zero-priced first tier the picker must skip. Tier 1
      // names carry no region (serviceRegions says where); Tier 2 names say so.
      case 'run/request/vcpu-second': add(RUN, 'Cloud Run', N(p.region === 'europe-west3' ? 'Services CPU Tier 2  (Request-based billing)' : 'Services CPU (Request-based billing)'), 'Compute', 'CPU', p.region, 's', [{ start: 0, usd: 0 }, { start: 180000, usd: p.usd }], p.asOf); break;
      case 'run/request/gib-second': add(RUN, 'Cloud Run', N(p.region === 'europe-west3' ? 'Services Memory Tier 2 (Request-based billing)' : 'Services Memory (Request-based billing)'), 'Compute', 'RAM', p.region, 'GiBy.s', [{ start: 0, usd: 0 }, { start: 360000, usd: p.usd }], p.asOf); break;
      case 'run/requests/million': add(RUN, 'Cloud Run', N('Requests'), 'ApplicationServices', 'Requests', p.region, 'count', [{ start: 0, usd: 0 }, { start: 2e6, usd: p.usd / 1e6 }], p.asOf); break;
      case 'cloudsql/enterprise-zonal/vcpu-hour': add('9662-B51E-5089', 'Cloud SQL', `${N('Cloud SQL for PostgreSQL: Zonal - vCPU')} in ${geo}`, 'ApplicationServices', 'SQLGen2InstancesCPU', p.region, 'h', one, p.asOf); break;
      case 'cloudsql/enterprise-zonal/gb-hour': add('9662-B51E-5089', 'Cloud SQL', `${N('Cloud SQL for PostgreSQL: Zonal - RAM')} in ${geo}`, 'ApplicationServices', 'SQLGen2InstancesRAM', p.region, 'GiBy.h', one, p.asOf); break;
      case 'cloudsql/storage/ssd/gb-month': add('9662-B51E-5089', 'Cloud SQL', `${N('Cloud SQL for PostgreSQL: Zonal - Standard storage')} in ${geo}`, 'ApplicationServices', 'SSD', p.region, 'GiBy.mo', one, p.asOf); break;
      case 'cloudsql/shared/micro/zonal':
      case 'cloudsql/shared/small/zonal': {
        const sku = cloudSqlSharedCore(p.key.includes('micro') ? 'micro' : 'small', geo);
        add('9662-B51E-5089', 'Cloud SQL', sku.name, 'ApplicationServices', sku.resourceGroup, p.region, 'h', one, p.asOf);
        break;
      }
      case 'gcs/standard-regional/gb-month': add('95FF-2EF5-5EA1', 'Cloud Storage', N('Standard Storage%', ` ${geo === 'Americas' ? 'US Regional' : geo}`), 'Storage', 'RegionalStorage', p.region, 'GiBy.mo', one, p.asOf); break;
      case 'nat/hour': add('E505-1604-58F8', 'Networking', N('Networking Cloud Nat Gateway Uptime%', ` ${geo}`), 'Network', 'Nat', p.region, 'h', one, p.asOf); break;
      case 'nat/gb': add('E505-1604-58F8', 'Networking', N('Networking Cloud Nat Data Processing%', ` ${geo}`), 'Network', 'Nat', p.region, 'GiBy', one, p.asOf); break;
      case 'gke/cluster-hour': add('CCD8-9BF1-090E', 'Kubernetes Engine', N('Regional Kubernetes Clusters'), 'Compute', 'Kubernetes', 'global', 'h', one, p.asOf); break;
      case 'pubsub/delivery/tib': add('A1E8-BE35-7EBC', 'Cloud Pub/Sub', N('Message Delivery Basic'), 'ApplicationServices', 'Message', p.region, 'TiBy', one, p.asOf); break;
      case 'functions/gen1/gb-second': add('29E7-DA93-CA13', 'Cloud Run Functions', N('Cloud Run functions (1st Gen) Memory (Request-based billing)'), 'Compute', 'RAM', p.region, 'GiBy.s', one, p.asOf); break;
      case 'functions/gen1/ghz-second': add('29E7-DA93-CA13', 'Cloud Run Functions', N('Cloud Run functions (1st Gen) CPU (Request-based billing)'), 'Compute', 'CPU', p.region, 'GHz.s', one, p.asOf); break;
      case 'functions/gen1/invocations-million': add('29E7-DA93-CA13', 'Cloud Run Functions', gcpSkuByRegex('\\(1st Gen\\) Invocations', 'Cloud Run functions (1st Gen) Invocations'), 'ApplicationServices', 'Requests', p.region, 'count', [{ start: 0, usd: p.usd / 1e6 }], p.asOf); break;
      default:
        if ((m = /^memorystore-redis\/(basic|standard)\/(m[1-5])\/gb-hour$/.exec(p.key))) {
          const tier = `Redis Capacity ${m[1] === 'basic' ? 'Basic' : 'Standard'} ${m[2].toUpperCase()}`;
          add('5AF5-2C11-D467', 'Cloud Memorystore for Redis', `${N(tier)} ${p.region === 'us-central1' ? 'Iowa' : geo}`, 'ApplicationServices', 'Memorystore', p.region, 'GiBy.h', one, p.asOf);
        }
        break;
    }
  }
  return byService;
}

export async function startGcpCatalog(skus: Map<string, GcpSkuJson[]>, opts: { apiKey?: string; pageSize?: number } = {}): Promise<Emulator> {
  const pageSize = opts.pageSize ?? 3;
  return serve((req, _raw, f, n): Reply => {
    const u = new URL(req.url ?? '/', 'http://x');
    const m = /^\/v1\/services\/([^/]+)\/skus$/.exec(u.pathname);
    if (req.method !== 'GET' || !m) return { status: 404, body: { error: { code: 404, message: 'Not found', status: 'NOT_FOUND' } } };
    if (opts.apiKey && req.headers['x-goog-api-key'] !== opts.apiKey && u.searchParams.get('key') !== opts.apiKey) {
      return { status: 403, body: { error: { code: 403, message: 'The request is missing a valid API key.', status: 'PERMISSION_DENIED' } } };
    }
    if (f.throttleFirst && n <= f.throttleFirst) return { status: 429, body: { error: { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED' } } };
    if (f.serverError === true || (typeof f.serverError === 'number' && n <= f.serverError)) return { status: 503, body: { error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } } };
    const all = f.empty ? [] : skus.get(m[1]) ?? [];
    const start = f.endlessToken ? 0 : Number(u.searchParams.get('pageToken') || 0);
    const page: unknown[] = all.slice(start, start + pageSize);
    if (f.malformed && start === 0) page.unshift({ name: 'services/x/skus/BAD', skuId: 'BAD', description: 'E2 Instance Core running in Americas', category: { resourceGroup: 'CPU', usageType: 'OnDemand' }, serviceRegions: ['us-central1'], pricingInfo: [] });
    const next = f.endlessToken ? 'same-token' : start + pageSize < all.length ? String(start + pageSize) : '';
    return { status: 200, body: { skus: page, nextPageToken: next } };
  });
}
