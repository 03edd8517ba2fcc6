import { table } from '../../collections';
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
  /** Matches the SKU for the key within the service's SKU list (some names carry the region id). */
  description: RegExp | ((region: string) => RegExp);
  resourceGroup?: string;
  /** Multiply the unit price (e.g. per GiB-month → per GB-month is 1; per request → per million). */
  scale?: number;
  /** A price made of several SKUs (a machine type: vCPUs × the core SKU + GiB × the RAM SKU). */
  parts?: { description: RegExp; resourceGroup?: string; factor: number }[];
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
  networking: 'E505-1604-58F8',
  pubsub: 'A1E8-BE35-7EBC',
} as const;

/** RDS engine codes → the Price List attributes that pick one product (engine, edition, licence). */
const RDS_ENGINES: Record<string, { engine: string; edition?: string; licence: string }> = table({
  postgresql: { engine: 'PostgreSQL', licence: 'No license required' },
  mysql: { engine: 'MySQL', licence: 'No license required' },
  mariadb: { engine: 'MariaDB', licence: 'No license required' },
  'aurora-mysql': { engine: 'Aurora MySQL', licence: 'No license required' },
  'aurora-postgresql': { engine: 'Aurora PostgreSQL', licence: 'No license required' },
  'oracle-se1-li': { engine: 'Oracle', edition: 'Standard One', licence: 'License included' },
  'oracle-se2-li': { engine: 'Oracle', edition: 'Standard Two', licence: 'License included' },
  'oracle-se-byol': { engine: 'Oracle', edition: 'Standard', licence: 'Bring your own license' },
  'oracle-se1-byol': { engine: 'Oracle', edition: 'Standard One', licence: 'Bring your own license' },
  'oracle-se2-byol': { engine: 'Oracle', edition: 'Standard Two', licence: 'Bring your own license' },
  'oracle-ee-byol': { engine: 'Oracle', edition: 'Enterprise', licence: 'Bring your own license' },
  'sqlserver-ex-li': { engine: 'SQL Server', edition: 'Express', licence: 'License included' },
  'sqlserver-web-li': { engine: 'SQL Server', edition: 'Web', licence: 'License included' },
  'sqlserver-se-li': { engine: 'SQL Server', edition: 'Standard', licence: 'License included' },
  'sqlserver-ee-li': { engine: 'SQL Server', edition: 'Enterprise', licence: 'License included' },
});
const CACHE_ENGINES: Record<string, string> = table({ redis: 'Redis', memcached: 'Memcached', valkey: 'Valkey' });

function tm(Field: string, Value: string): AwsFilter {
  return { Type: 'TERM_MATCH', Field, Value };
}

/** EC2 on-demand compute filters (as karpenter's generator queries them), for Linux or Windows. */
function ec2Filters(r: AwsFilter, type: string, os: 'Linux' | 'Windows'): AwsFilter[] {
  return [r, tm('instanceType', type), tm('operatingSystem', os), tm('tenancy', 'Shared'), tm('preInstalledSw', 'NA'), tm('capacitystatus', 'Used'), tm('licenseModel', 'No License required'), tm('marketoption', 'OnDemand')];
}

/** The AWS request and pick for a price key, or undefined when no live filter covers it. */
export function awsGroupFor(key: string, region: string): { group: AwsGroup; pick: AwsPick } | undefined {
  const r = tm('regionCode', region);
  let m: RegExpExecArray | null;
  if ((m = /^ec2\/([a-z0-9-]+\.[a-z0-9-]+)$/.exec(key))) return group('AmazonEC2', ec2Filters(r, m[1], 'Linux'), {});
  if ((m = /^ec2\/windows\/([a-z0-9-]+\.[a-z0-9-]+)$/.exec(key))) return group('AmazonEC2', ec2Filters(r, m[1], 'Windows'), {});
  if (key === 'fargate/linux-x86/vcpu-hour') return group('AmazonECS', [r], { usagetype: /-Fargate-vCPU-Hours:perCPU$/ });
  if (key === 'fargate/linux-x86/gb-hour') return group('AmazonECS', [r], { usagetype: /-Fargate-GB-Hours$/ });
  if ((m = /^lambda\/x86\/gb-second\/tier([123])$/.exec(key))) return group('AWSLambda', [r], { group: 'AWS-Lambda-Duration', tier: Number(m[1]) - 1 });
  if (key === 'lambda/requests/million') return group('AWSLambda', [r], { group: 'AWS-Lambda-Requests', scale: 1e6 });
  if ((m = /^rds\/(db\.[a-z0-9-]+\.[a-z0-9]+)\/([a-z0-9-]+)\/(single-az|multi-az)$/.exec(key)) && RDS_ENGINES[m[2]]) {
    const e = RDS_ENGINES[m[2]];
    const filters = [r, tm('instanceType', m[1]), tm('databaseEngine', e.engine), tm('licenseModel', e.licence), tm('deploymentOption', m[3] === 'single-az' ? 'Single-AZ' : 'Multi-AZ')];
    if (e.edition) filters.push(tm('databaseEdition', e.edition));
    return group('AmazonRDS', filters, {});
  }
  if (key === 'rds/storage/gp3/gb-month') return group('AmazonRDS', [r, tm('productFamily', 'Database Storage'), tm('volumeType', 'General Purpose-GP3'), tm('deploymentOption', 'Single-AZ')], { usagetype: /RDS:GP3-Storage$/ });
  if ((m = /^elasticache\/([a-z]+)\/(cache\.[a-z0-9-]+\.[a-z0-9]+)$/.exec(key)) && CACHE_ENGINES[m[1]]) return group('AmazonElastiCache', [r, tm('instanceType', m[2]), tm('cacheEngine', CACHE_ENGINES[m[1]])], {});
  if ((m = /^opensearch\/([a-z0-9-]+\.[a-z0-9]+\.search)$/.exec(key))) return group('AmazonES', [r, tm('productFamily', 'Amazon OpenSearch Service Instance'), tm('instanceType', m[1])], {});
  if ((m = /^documentdb\/(db\.[a-z0-9-]+\.[a-z0-9]+)$/.exec(key))) return group('AmazonDocDB', [r, tm('productFamily', 'Database Instance'), tm('instanceType', m[1])], {});
  if (key === 'documentdb/storage/gb-month') return group('AmazonDocDB', [r, tm('productFamily', 'Database Storage'), tm('volumeType', 'General Purpose')], {});
  if ((m = /^mq\/rabbitmq\/(mq\.[a-z0-9-]+\.[a-z0-9]+)\/single-instance$/.exec(key))) {
    const type = m[1].replace(/\./g, '\\.');
    return group('AmazonMQ', [r, tm('productFamily', 'Broker Instances'), tm('brokerEngine', 'RabbitMQ'), tm('deploymentOption', 'single_instance')], { usagetype: new RegExp(`${type}$`) });
  }
  if (key === 'mq/rabbitmq/storage/gb-month') return group('AmazonMQ', [r, tm('productFamily', 'Broker Storage')], { usagetype: /TimedStorage-ByteHrs$/ });
  if (key === 'msk/storage/gb-month') return group('AmazonMSK', [r, tm('storageFamily', 'GP2'), tm('locationType', 'AWS Region')], {});
  if (key === 's3/standard/gb-month') return group('AmazonS3', [r, tm('storageClass', 'General Purpose'), tm('volumeType', 'Standard')], { tier: 0 });
  if (key === 'eks/cluster-hour/standard') return group('AmazonEKS', [r], { usagetype: /AmazonEKS-Hours:perCluster$/ });
  if (key === 'eks/cluster-hour/extended') return group('AmazonEKS', [r], { usagetype: /AmazonEKS-Hours:perCluster-ExtendedSupport$/ });
  if ((m = /^ebs\/(gp2|gp3)\/gb-month$/.exec(key))) return group('AmazonEC2', [r, tm('productFamily', 'Storage'), tm('volumeApiName', m[1])], {});
  if (key === 'efs/standard/gb-month') return group('AmazonEFS', [r, tm('productFamily', 'Storage')], { usagetype: /^([A-Z]{3}\d-)?TimedStorage-ByteHrs$/ });
  if (key === 'elb/alb/hour') return group('AWSELB', [r, tm('productFamily', 'Load Balancer-Application')], { usagetype: /^([A-Z]{3}\d-|Global-|EU-)?LoadBalancerUsage$/ });
  // The Price List bills LCUs by the hour; the snapshot's unit is the LCU-month (730 hours).
  if (key === 'elb/alb/lcu-month') return group('AWSELB', [r, tm('productFamily', 'Load Balancer-Application')], { usagetype: /^([A-Z]{3}\d-|Global-|EU-)?LCUUsage$/, scale: 730 });
  if (key === 'elb/nlb/hour') return group('AWSELB', [r, tm('productFamily', 'Load Balancer-Network')], { usagetype: /LoadBalancerUsage$/ });
  if (key === 'nat/hour') return group('AmazonEC2', [r, tm('productFamily', 'NAT Gateway')], { usagetype: /NatGateway-Hours$/ });
  if (key === 'nat/gb') return group('AmazonEC2', [r, tm('productFamily', 'NAT Gateway')], { usagetype: /NatGateway-Bytes$/ });
  return undefined;

  function group(serviceCode: string, filters: AwsFilter[], pick: AwsPick) {
    const sorted = [...filters].sort((a, b) => (a.Field < b.Field ? -1 : 1));
    const id = `aws|${serviceCode}|${sorted.map((f) => `${f.Field}=${f.Value}`).join('&')}`;
    return { group: { provider: 'aws' as const, id, serviceCode, filters: sorted, pick }, pick };
  }
}

/** Machine families whose core and RAM SKUs the Catalog names "<FAMILY> Instance Core|Ram running in <location>". */
const GCP_MACHINE_FAMILIES: Record<string, string> = table({ e2: 'E2', n2: 'N2' });

/**
 * The GCP service and SKU matcher for a price key, or undefined when no live matcher covers it.
 * The descriptions are the Cloud Billing Catalog's (reference table gcp-sku-names.csv): some carry
 * the region id ("Services CPU (Instance-based billing) in us-central1"), some a location name
 * ("Standard Storage Paris"), some neither, and then only `serviceRegions` says where.
 * `shapes`: machine types' vCPU and memory, for the machine-type keys.
 */
export function gcpGroupFor(key: string, shapes: Record<string, { vcpu: number; memoryGiB: number; billedVcpu?: number; family?: string }> = {}): GcpGroup | undefined {
  const g = (serviceId: string, description: GcpGroup['description'], extra: Partial<GcpGroup> = {}): GcpGroup => ({ provider: 'gcp', id: `gcp|${serviceId}`, serviceId, description, ...extra });
  const S = GCP_SERVICES;
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let m: RegExpExecArray | null;
  if ((m = /^compute\/machine\/([a-z0-9-]+)$/.exec(key))) {
    const s = shapes[m[1]];
    const fam = s && GCP_MACHINE_FAMILIES[s.family ?? m[1].split('-')[0]];
    if (!s || !fam) return undefined;
    return g(S.computeEngine, new RegExp(`^${fam} Instance (Core|Ram) running in `), {
      parts: [
        { description: new RegExp(`^${fam} Instance Core running in `), resourceGroup: 'CPU', factor: s.billedVcpu ?? s.vcpu },
        { description: new RegExp(`^${fam} Instance Ram running in `), resourceGroup: 'RAM', factor: s.memoryGiB },
      ],
    });
  }
  if ((m = /^memorystore-redis\/(basic|standard)\/(m[1-5])\/gb-hour$/.exec(key))) {
    return g(S.memorystore, new RegExp(`^Redis Capacity ${m[1] === 'basic' ? 'Basic' : 'Standard'} ${m[2].toUpperCase()}\\b`));
  }
  switch (key) {
    case 'pd/balanced/gb-month':
      return g(S.computeEngine, /^Balanced PD Capacity/, { resourceGroup: 'SSD' });
    case 'pd/ssd/gb-month':
      return g(S.computeEngine, /^SSD backed PD Capacity/, { resourceGroup: 'SSD' });
    case 'pd/standard/gb-month':
      return g(S.computeEngine, /^Storage PD Capacity/, { resourceGroup: 'PDStandard' });
    case 'run/instance/vcpu-second':
      return g(S.cloudRun, (region) => new RegExp(`^Services CPU \\(Instance-based billing\\) in ${esc(region)}$`));
    case 'run/instance/gib-second':
      return g(S.cloudRun, (region) => new RegExp(`^Services Memory \\(Instance-based billing\\) in ${esc(region)}$`));
    case 'run/request/vcpu-second':
      return g(S.cloudRun, /^Services CPU (Tier 2 +)?\(Request-based billing\)$/);
    case 'run/request/gib-second':
      return g(S.cloudRun, /^Services Memory (Tier 2 +)?\(Request-based billing\)$/);
    case 'run/requests/million':
      return g(S.cloudRun, /^Requests$/, { scale: 1e6 });
    case 'run/jobs/vcpu-second':
      return g(S.cloudRun, (region) => new RegExp(`^Jobs CPU in ${esc(region)}$`));
    case 'run/jobs/gib-second':
      return g(S.cloudRun, (region) => new RegExp(`^Jobs Memory in ${esc(region)}$`));
    case 'cloudsql/enterprise-zonal/vcpu-hour':
      return g(S.cloudSql, /^Cloud SQL for (PostgreSQL|MySQL): Zonal - vCPU in /);
    case 'cloudsql/enterprise-zonal/gb-hour':
      return g(S.cloudSql, /^Cloud SQL for (PostgreSQL|MySQL): Zonal - RAM in /);
    case 'cloudsql/shared/micro/zonal':
      return g(S.cloudSql, /^Cloud SQL for (PostgreSQL|MySQL): Zonal - Micro instance in /, { resourceGroup: 'SQLGen2InstancesF1Micro' });
    case 'cloudsql/shared/small/zonal':
      return g(S.cloudSql, /^Cloud SQL for (PostgreSQL|MySQL): Zonal - Small instance in /, { resourceGroup: 'SQLGen2InstancesG1Small' });
    case 'cloudsql/storage/ssd/gb-month':
      return g(S.cloudSql, /^Cloud SQL for (PostgreSQL|MySQL): Zonal - Standard storage in /);
    case 'gcs/standard-regional/gb-month':
      return g(S.cloudStorage, /^Standard Storage (?!.*(Dual-region|Multi-region))/, { resourceGroup: 'RegionalStorage' });
    case 'nat/hour':
      return g(S.networking, /^Networking Cloud Nat Gateway Uptime/);
    case 'nat/gb':
      return g(S.networking, /^Networking Cloud Nat Data Processing/);
    case 'gke/cluster-hour':
      return g(S.gke, /^(Regional|Zonal) Kubernetes Clusters$/);
    case 'pubsub/delivery/tib':
      return g(S.pubsub, /^Message Delivery Basic$/);
    case 'functions/gen1/gb-second':
      return g(S.cloudFunctions, /^Cloud Run functions \(1st Gen\) Memory (Tier 2 )?\(Request-based billing\)$/);
    case 'functions/gen1/ghz-second':
      return g(S.cloudFunctions, /^Cloud Run functions \(1st Gen\) CPU (Tier 2 )?\(Request-based billing\)$/);
    case 'functions/gen1/invocations-million':
      return g(S.cloudFunctions, /\(1st Gen\) Invocations/, { scale: 1e6 });
    default:
      return undefined;
  }
}
