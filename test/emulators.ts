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
import type { Snapshot } from '../src/core/price/snapshot';

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

/** Real-shaped Price List products carrying the snapshot's AWS prices (plus decoys the pickers must skip). */
export function awsProductsFromSnapshot(snap: Snapshot): AwsProductEntry[] {
  const out: AwsProductEntry[] = [];
  for (const p of snap.data.prices) {
    if (p.provider !== 'aws') continue;
    const reg = { regionCode: p.region, location: p.region };
    const pub = p.asOf.length === 10 ? p.asOf : `${p.asOf.slice(0, 4)}-01-01`;
    let m: RegExpExecArray | null;
    if ((m = /^ec2\/(.+)$/.exec(p.key))) {
      out.push(awsEntry('AmazonEC2', 'Compute Instance', { ...reg, instanceType: m[1], operatingSystem: 'Linux', tenancy: 'Shared', preInstalledSw: 'NA', capacitystatus: 'Used', licenseModel: 'No License required', marketoption: 'OnDemand', usagetype: `BoxUsage:${m[1]}` }, [{ usd: p.usd, unit: 'Hrs', begin: 0, end: 'Inf' }], pub));
      // A decoy the filters must exclude: the same type with Windows.
      if (m[1] === 'm5.large') out.push(awsEntry('AmazonEC2', 'Compute Instance', { ...reg, instanceType: m[1], operatingSystem: 'Windows', tenancy: 'Shared', preInstalledSw: 'NA', capacitystatus: 'Used', licenseModel: 'No License required', marketoption: 'OnDemand', usagetype: `BoxUsage:${m[1]}` }, [{ usd: 9.99, unit: 'Hrs', begin: 0, end: 'Inf' }], pub));
    } else if (p.key === 'fargate/linux-x86/vcpu-hour') {
      out.push(awsEntry('AmazonECS', 'Compute', { ...reg, usagetype: 'USE1-Fargate-vCPU-Hours:perCPU' }, [{ usd: p.usd, unit: 'hours', begin: 0, end: 'Inf' }], pub));
      out.push(awsEntry('AmazonECS', 'Compute', { ...reg, usagetype: 'USE1-Fargate-Windows-vCPU-Hours:perCPU' }, [{ usd: 9.99, unit: 'hours', begin: 0, end: 'Inf' }], pub));
    } else if (p.key === 'fargate/linux-x86/gb-hour') {
      out.push(awsEntry('AmazonECS', 'Compute', { ...reg, usagetype: 'USE1-Fargate-GB-Hours' }, [{ usd: p.usd, unit: 'GB-Hours', begin: 0, end: 'Inf' }], pub));
    } else if (p.key === 'lambda/x86/gb-second/tier1') {
      const t2 = snap.price('aws', p.region, 'lambda/x86/gb-second/tier2')?.usd ?? p.usd;
      const t3 = snap.price('aws', p.region, 'lambda/x86/gb-second/tier3')?.usd ?? p.usd;
      out.push(awsEntry('AWSLambda', 'Serverless', { ...reg, group: 'AWS-Lambda-Duration', usagetype: 'USE1-Lambda-GB-Second' }, [{ usd: t3, unit: 'Lambda-GB-Second', begin: 15e9, end: 'Inf' }, { usd: p.usd, unit: 'Lambda-GB-Second', begin: 0, end: 6e9 }, { usd: t2, unit: 'Lambda-GB-Second', begin: 6e9, end: 15e9 }], pub));
      out.push(awsEntry('AWSLambda', 'Serverless', { ...reg, group: 'AWS-Lambda-Duration-ARM', usagetype: 'USE1-Lambda-GB-Second-ARM' }, [{ usd: 9.99, unit: 'Lambda-GB-Second', begin: 0, end: 'Inf' }], pub));
    } else if (p.key === 'lambda/requests/million') {
      out.push(awsEntry('AWSLambda', 'Serverless', { ...reg, group: 'AWS-Lambda-Requests', usagetype: 'USE1-Request' }, [{ usd: p.usd / 1e6, unit: 'Requests', begin: 0, end: 'Inf' }], pub));
    } else if ((m = /^rds\/(db\.[^/]+)\/(postgresql|mysql)\/single-az$/.exec(p.key))) {
      out.push(awsEntry('AmazonRDS', 'Database Instance', { ...reg, instanceType: m[1], databaseEngine: m[2] === 'postgresql' ? 'PostgreSQL' : 'MySQL', deploymentOption: 'Single-AZ', usagetype: `InstanceUsage:${m[1]}` }, [{ usd: p.usd, unit: 'Hrs', begin: 0, end: 'Inf' }], pub));
    } else if ((m = /^elasticache\/(cache\..+)$/.exec(p.key))) {
      out.push(awsEntry('AmazonElastiCache', 'Cache Instance', { ...reg, instanceType: m[1], cacheEngine: 'Redis', usagetype: `NodeUsage:${m[1]}` }, [{ usd: p.usd, unit: 'Hrs', begin: 0, end: 'Inf' }], pub));
    } else if (p.key === 's3/standard/gb-month') {
      // Real S3 storage is tiered; the later tiers here are test markers the picker must not use.
      out.push(awsEntry('AmazonS3', 'Storage', { ...reg, storageClass: 'General Purpose', volumeType: 'Standard', usagetype: 'TimedStorage-ByteHrs' }, [{ usd: 0.0991, unit: 'GB-Mo', begin: 51200, end: 512000 }, { usd: p.usd, unit: 'GB-Mo', begin: 0, end: 51200 }, { usd: 0.0992, unit: 'GB-Mo', begin: 512000, end: 'Inf' }], pub));
    } else if (p.key === 'eks/cluster-hour/standard') {
      out.push(awsEntry('AmazonEKS', 'Compute', { ...reg, usagetype: 'USE1-AmazonEKS-Hours:perCluster' }, [{ usd: p.usd, unit: 'Hours', begin: 0, end: 'Inf' }], pub));
    } else if (p.key === 'eks/cluster-hour/extended') {
      out.push(awsEntry('AmazonEKS', 'Compute', { ...reg, usagetype: 'USE1-AmazonEKS-Hours:perCluster-ExtendedSupport' }, [{ usd: p.usd, unit: 'Hours', begin: 0, end: 'Inf' }], pub));
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

const GEO: Record<string, string> = { 'us-central1': 'Americas', 'europe-west9': 'Paris' };

function nanos(usd: number): { currencyCode: string; units: string; nanos: number } {
  const units = Math.floor(usd);
  return { currencyCode: 'USD', units: String(units), nanos: Math.round((usd - units) * 1e9) };
}

/** Real-shaped Catalog SKUs carrying the snapshot's GCP prices, by service id. */
export function gcpSkusFromSnapshot(snap: Snapshot): Map<string, GcpSkuJson[]> {
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
      pricingInfo: [{ effectiveTime: `${asOf.length === 10 ? asOf : asOf.slice(0, 4) + '-01-01'}T00:00:00Z`, pricingExpression: { usageUnit: unit, usageUnitDescription: unit, baseUnit: unit, baseUnitConversionFactor: 1, displayQuantity: 1, tieredRates: tiers.map((t) => ({ startUsageAmount: t.start, unitPrice: nanos(t.usd) })) }, currencyConversionRate: 1 }],
      serviceProviderName: 'Google',
    });
    byService.set(service, list);
  };
  for (const p of snap.data.prices) {
    if (p.provider !== 'gcp') continue;
    const geo = GEO[p.region] ?? p.region;
    const one = [{ start: 0, usd: p.usd }];
    switch (p.key) {
      case 'compute/e2/core-hour': add('6F81-5844-456A', 'Compute Engine', `E2 Instance Core running in ${geo}`, 'Compute', 'CPU', p.region, 'h', one, p.asOf); break;
      case 'compute/e2/ram-gb-hour': add('6F81-5844-456A', 'Compute Engine', `E2 Instance Ram running in ${geo}`, 'Compute', 'RAM', p.region, 'GiBy.h', one, p.asOf); break;
      case 'compute/n2/core-hour': add('6F81-5844-456A', 'Compute Engine', `N2 Instance Core running in ${geo}`, 'Compute', 'CPU', p.region, 'h', one, p.asOf); break;
      case 'compute/n2/ram-gb-hour': add('6F81-5844-456A', 'Compute Engine', `N2 Instance Ram running in ${geo}`, 'Compute', 'RAM', p.region, 'GiBy.h', one, p.asOf); break;
      case 'run/instance/vcpu-second': add('152E-C115-5142', 'Cloud Run', 'CPU Allocation Time (instance-based billing)', 'Compute', 'CPU', p.region, 's', one, p.asOf); break;
      case 'run/instance/gib-second': add('152E-C115-5142', 'Cloud Run', 'Memory Allocation Time (instance-based billing)', 'Compute', 'RAM', p.region, 'GiBy.s', one, p.asOf); break;
      // Request-based billing has a free tier: a zero-priced first tier the picker must skip.
      case 'run/request/vcpu-second': add('152E-C115-5142', 'Cloud Run', 'CPU Allocation Time', 'Compute', 'CPU', p.region, 's', [{ start: 0, usd: 0 }, { start: 180000, usd: p.usd }], p.asOf); break;
      case 'run/request/gib-second': add('152E-C115-5142', 'Cloud Run', 'Memory Allocation Time', 'Compute', 'RAM', p.region, 'GiBy.s', [{ start: 0, usd: 0 }, { start: 360000, usd: p.usd }], p.asOf); break;
      case 'run/requests/million': add('152E-C115-5142', 'Cloud Run', 'Requests', 'ApplicationServices', 'Requests', p.region, 'count', [{ start: 0, usd: 0 }, { start: 2e6, usd: p.usd / 1e6 }], p.asOf); break;
      case 'cloudsql/enterprise-zonal/vcpu-hour': add('9662-B51E-5089', 'Cloud SQL', `Cloud SQL for PostgreSQL: Zonal - vCPU in ${geo}`, 'ApplicationServices', 'SQLGen2InstancesCPU', p.region, 'h', one, p.asOf); break;
      case 'cloudsql/enterprise-zonal/gb-hour': add('9662-B51E-5089', 'Cloud SQL', `Cloud SQL for PostgreSQL: Zonal - RAM in ${geo}`, 'ApplicationServices', 'SQLGen2InstancesRAM', p.region, 'GiBy.h', one, p.asOf); break;
      case 'memorystore-redis/basic/gb-hour': add('5AF5-2C11-D467', 'Cloud Memorystore for Redis', 'Redis Capacity Basic M1 Iowa', 'ApplicationServices', 'Memorystore', p.region, 'GiBy.h', one, p.asOf); break;
      case 'memorystore-redis/standard/gb-hour': add('5AF5-2C11-D467', 'Cloud Memorystore for Redis', 'Redis Capacity Standard M1 Iowa', 'ApplicationServices', 'Memorystore', p.region, 'GiBy.h', one, p.asOf); break;
      case 'gcs/standard-regional/gb-month': add('95FF-2EF5-5EA1', 'Cloud Storage', `Standard Storage ${geo === 'Americas' ? 'US' : geo} Regional`, 'Storage', 'RegionalStorage', p.region, 'GiBy.mo', one, p.asOf); break;
      case 'gke/cluster-hour': add('CCD8-9BF1-090E', 'Kubernetes Engine', 'Zonal Kubernetes Clusters', 'Compute', 'Kubernetes', 'global', 'h', one, p.asOf); break;
      case 'functions/gen1/gb-second': add('29E7-DA93-CA13', 'Cloud Functions', 'Memory Time', 'Compute', 'RAM', p.region, 'GiBy.s', one, p.asOf); break;
      case 'functions/gen1/ghz-second': add('29E7-DA93-CA13', 'Cloud Functions', 'CPU Time', 'Compute', 'CPU', p.region, 'GHz.s', one, p.asOf); break;
      case 'functions/gen1/invocations-million': add('29E7-DA93-CA13', 'Cloud Functions', 'Invocations', 'ApplicationServices', 'Requests', p.region, 'count', [{ start: 0, usd: p.usd / 1e6 }], p.asOf); break;
      default: break;
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
