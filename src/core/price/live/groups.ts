/**
 * How each snapshot price key is found in the live price APIs: the request that fetches it (a
 * "group", shared by every key it answers) and how to pick the key's price from the answer.
 */

export interface AwsFilter {
  Type: 'TERM_MATCH';
  Field: string;
  Value: string;
}

export interface AwsGroup {
  provider: 'aws';
  /** Distinct request: service, region and filters. */
  id: string;
  serviceCode: string;
  filters: AwsFilter[];
  /** Picks the price dimension for the key from a parsed product. */
  pick: AwsPick;
}

export interface AwsPick {
  /** usagetype must match, when set. */
  usagetype?: RegExp;
  /** attribute "group" must equal, when set. */
  group?: string;
  /** Which tier of a tiered price (0 = the first paid tier). */
  tier?: number;
  /** Multiply the unit price (e.g. per request → per million requests). */
  scale?: number;
}

export interface GcpGroup {
  provider: 'gcp';
  id: string;
  serviceId: string;
  /** Matches the SKU for the key within the service's SKU list. */
  description: RegExp;
  resourceGroup?: string;
  /** Multiply the unit price (e.g. per GiB-month → per GB-month is 1; per request → per million). */
  scale?: number;
}

export type LiveGroup = AwsGroup | GcpGroup;

/** GCP service ids of the Cloud Billing Catalog. */
export const GCP_SERVICES = {
  computeEngine: '6F81-5844-456A',
  cloudRun: '152E-C115-5142',
  cloudSql: '9662-B51E-5089',
  memorystore: '5AF5-2C11-D467',
  gke: 'CCD8-9BF1-090E',
  cloudStorage: '95FF-2EF5-5EA1',
  cloudFunctions: '29E7-DA93-CA13',
} as const;

const RDS_ENGINES: Record<string, string> = { postgresql: 'PostgreSQL', mysql: 'MySQL', sqlserver: 'SQL Server', oracle: 'Oracle', db2: 'Db2' };

function tm(Field: string, Value: string): AwsFilter {
  return { Type: 'TERM_MATCH', Field, Value };
}

/** The AWS request and pick for a price key, or undefined when no live filter covers it. */
export function awsGroupFor(key: string, region: string): { group: AwsGroup; pick: AwsPick } | undefined {
  const r = tm('regionCode', region);
  let m: RegExpExecArray | null;
  if ((m = /^ec2\/([a-z0-9]+\.[a-z0-9]+)$/.exec(key))) {
    const filters = [r, tm('instanceType', m[1]), tm('operatingSystem', 'Linux'), tm('tenancy', 'Shared'), tm('preInstalledSw', 'NA'), tm('capacitystatus', 'Used'), tm('licenseModel', 'No License required'), tm('marketoption', 'OnDemand')];
    return group('AmazonEC2', filters, {});
  }
  if (key === 'fargate/linux-x86/vcpu-hour') return group('AmazonECS', [r], { usagetype: /-Fargate-vCPU-Hours:perCPU$/ });
  if (key === 'fargate/linux-x86/gb-hour') return group('AmazonECS', [r], { usagetype: /-Fargate-GB-Hours$/ });
  if ((m = /^lambda\/x86\/gb-second\/tier([123])$/.exec(key))) return group('AWSLambda', [r], { group: 'AWS-Lambda-Duration', tier: Number(m[1]) - 1 });
  if (key === 'lambda/requests/million') return group('AWSLambda', [r], { group: 'AWS-Lambda-Requests', scale: 1e6 });
  if ((m = /^rds\/(db\.[a-z0-9]+\.[a-z0-9]+)\/([a-z0-9]+)\/single-az$/.exec(key)) && RDS_ENGINES[m[2]]) {
    return group('AmazonRDS', [r, tm('instanceType', m[1]), tm('databaseEngine', RDS_ENGINES[m[2]]), tm('deploymentOption', 'Single-AZ')], {});
  }
  if ((m = /^elasticache\/(cache\.[a-z0-9]+\.[a-z0-9]+)$/.exec(key))) return group('AmazonElastiCache', [r, tm('instanceType', m[1]), tm('cacheEngine', 'Redis')], {});
  if (key === 's3/standard/gb-month') return group('AmazonS3', [r, tm('storageClass', 'General Purpose'), tm('volumeType', 'Standard')], { tier: 0 });
  if (key === 'eks/cluster-hour/standard') return group('AmazonEKS', [r], { usagetype: /AmazonEKS-Hours:perCluster$/ });
  if (key === 'ebs/gp3/gb-month') return group('AmazonEC2', [r, tm('productFamily', 'Storage'), tm('volumeApiName', 'gp3')], {});
  return undefined;

  function group(serviceCode: string, filters: AwsFilter[], pick: AwsPick) {
    const sorted = [...filters].sort((a, b) => (a.Field < b.Field ? -1 : 1));
    const id = `aws|${serviceCode}|${sorted.map((f) => `${f.Field}=${f.Value}`).join('&')}`;
    return { group: { provider: 'aws' as const, id, serviceCode, filters: sorted, pick }, pick };
  }
}

/** The GCP service and SKU matcher for a price key, or undefined when no live matcher covers it. */
export function gcpGroupFor(key: string): GcpGroup | undefined {
  const g = (serviceId: string, description: RegExp, extra: Partial<GcpGroup> = {}): GcpGroup => ({ provider: 'gcp', id: `gcp|${serviceId}`, serviceId, description, ...extra });
  const S = GCP_SERVICES;
  switch (key) {
    case 'compute/e2/core-hour':
      return g(S.computeEngine, /^E2 Instance Core running in /, { resourceGroup: 'CPU' });
    case 'compute/e2/ram-gb-hour':
      return g(S.computeEngine, /^E2 Instance Ram running in /, { resourceGroup: 'RAM' });
    case 'compute/n2/core-hour':
      return g(S.computeEngine, /^N2 Instance Core running in /, { resourceGroup: 'CPU' });
    case 'compute/n2/ram-gb-hour':
      return g(S.computeEngine, /^N2 Instance Ram running in /, { resourceGroup: 'RAM' });
    case 'run/instance/vcpu-second':
      return g(S.cloudRun, /^CPU Allocation Time \(instance-based billing\)/i);
    case 'run/instance/gib-second':
      return g(S.cloudRun, /^Memory Allocation Time \(instance-based billing\)/i);
    case 'run/request/vcpu-second':
      return g(S.cloudRun, /^CPU Allocation Time( \(request-based billing\))?$/i);
    case 'run/request/gib-second':
      return g(S.cloudRun, /^Memory Allocation Time( \(request-based billing\))?$/i);
    case 'run/requests/million':
      return g(S.cloudRun, /^Requests$/i, { scale: 1e6 });
    case 'cloudsql/enterprise-zonal/vcpu-hour':
      return g(S.cloudSql, /^Cloud SQL for (PostgreSQL|MySQL): Zonal - vCPU in /);
    case 'cloudsql/enterprise-zonal/gb-hour':
      return g(S.cloudSql, /^Cloud SQL for (PostgreSQL|MySQL): Zonal - RAM in /);
    case 'memorystore-redis/basic/gb-hour':
      return g(S.memorystore, /^Redis Capacity Basic M1 /);
    case 'memorystore-redis/standard/gb-hour':
      return g(S.memorystore, /^Redis Capacity Standard M1 /);
    case 'gcs/standard-regional/gb-month':
      return g(S.cloudStorage, /^Standard Storage .*(Regional|Region)/);
    case 'gke/cluster-hour':
      return g(S.gke, /^(Regional|Zonal) Kubernetes Clusters$/);
    case 'functions/gen1/gb-second':
      return g(S.cloudFunctions, /^Memory Time/);
    case 'functions/gen1/ghz-second':
      return g(S.cloudFunctions, /^CPU Time/);
    case 'functions/gen1/invocations-million':
      return g(S.cloudFunctions, /^Invocations/, { scale: 1e6 });
    default:
      return undefined;
  }
}
