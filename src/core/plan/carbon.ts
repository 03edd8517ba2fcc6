import coefficientsData from '../../../data/carbon-coefficients.json';
import type { SizedTarget, Usage } from '../target/size';
import { HOURS } from '../target/size';
import type { Snapshot } from '../price/snapshot';
import type { Provider } from '../types';
import { round } from '../units';

interface Sourced {
  value: number;
  unit: string;
  source: string;
}
interface Coefficients {
  providers: Record<Provider, { minWattsPerVcpu: Sourced; maxWattsPerVcpu: Sourced; pue: Sourced }>;
  common: { memoryKwhPerGbHour: Sourced; ssdWhPerTbHour: Sourced; hddWhPerTbHour: Sourced; defaultUtilisation: Sourced; serverLifespanHours: Sourced };
  grid: Record<Provider, Record<string, { tPerKwh: number; source: string }>>;
  embodied: Record<Provider, Record<string, { tCo2e: number; largestVcpu: number | null; source: string }>>;
  onPrem: { pueLow: number; pueHigh: number; pueSource: string; averageUtilisation: number; utilisationSource: string };
}

export const COEFFICIENTS = coefficientsData as unknown as Coefficients;

/** Resources consumed in a month, in the units the Cloud Carbon Footprint method works with. */
export interface Footprint {
  vcpuHours: number;
  memGbHours: number;
  ssdTbHours: number;
  hddTbHours: number;
  /** vCPU-hours per embodied-emissions family (m6i, n2-standard, …). */
  byFamily: Record<string, number>;
  /** What could not be estimated (GPU, function CPU, usage-based services). */
  unknown: string[];
}

export interface CarbonEstimate {
  kwhPerMonth: number | null;
  kgCo2ePerMonth: number | null;
  /** Operational and embodied parts of the total, when known. */
  operationalKg?: number | null;
  embodiedKg?: number | null;
  reason?: string;
  notes?: string[];
}

const OBJECT_STORAGE = /^(s3|gcs)\//;

function familyFor(provider: Provider, key: string): string {
  if (provider === 'aws') {
    const m = /^ec2\/(m5|c5|m6i)\./.exec(key);
    return m ? m[1] : 'm6i';
  }
  return /^compute\/n2\//.test(key) ? 'n2-standard' : 'e2-standard';
}

/** Instance-hour lines that are a fee or a licence on top of a machine priced on its own line. */
const NOT_A_MACHINE = /windows-licence|emr\/fee/;

/**
 * The machine an instance-hour price is for: the key's last segment that names a shape of the
 * snapshot (`ec2/windows/t3.medium`, `elasticache/redis/cache.t4g.small`, `compute/machine/e2-standard-2`).
 */
function shapeOfKey(provider: Provider, key: string, snap: Snapshot): { vcpu: number; memoryGiB: number; gpus?: number } | undefined {
  const parts = key.split('/');
  for (let i = parts.length - 1; i > 0; i--) {
    const shape = Object.hasOwn(snap.shapes[provider], parts[i]) ? snap.shapes[provider][parts[i]] : undefined;
    if (shape) return shape;
  }
  return undefined;
}

/** Turn priced usage lines into energy-relevant quantities. */
export function footprintOf(target: SizedTarget | undefined, provider: Provider, snap: Snapshot): Footprint {
  const f: Footprint = { vcpuHours: 0, memGbHours: 0, ssdTbHours: 0, hddTbHours: 0, byFamily: {}, unknown: [] };
  if (!target) return f;
  const addCpu = (h: number, key: string) => {
    f.vcpuHours += h;
    const fam = familyFor(provider, key);
    f.byFamily[fam] = (f.byFamily[fam] ?? 0) + h;
  };
  for (const u of target.usage as Usage[]) {
    const q = u.quantity;
    switch (u.unit) {
      case 'vcpu-hour':
        addCpu(q, u.priceKey);
        break;
      case 'vcpu-second':
        addCpu(q / 3600, u.priceKey);
        break;
      case 'gb-hour':
        f.memGbHours += q;
        break;
      case 'gib-second':
        f.memGbHours += q / 3600;
        break;
      case 'gb-second':
        f.memGbHours += q / 3600;
        if (!f.unknown.includes('function CPU')) f.unknown.push('function CPU');
        break;
      case 'instance-hour': {
        const shape = NOT_A_MACHINE.test(u.priceKey) ? undefined : shapeOfKey(provider, u.priceKey, snap);
        if (shape) {
          addCpu(q * shape.vcpu, u.priceKey);
          f.memGbHours += q * shape.memoryGiB;
          if ((shape.gpus ?? 0) > 0 && !f.unknown.includes('GPU')) f.unknown.push('GPU');
        } else if (/gpu/.test(u.priceKey)) f.unknown.push('GPU');
        else if (!NOT_A_MACHINE.test(u.priceKey) && q > 0 && !f.unknown.includes(u.resource)) f.unknown.push(u.resource);
        break;
      }
      case 'node-hour':
        addCpu(q * (target.sizing.vcpu ?? 0), u.priceKey);
        f.memGbHours += q * (target.sizing.memoryGiB ?? 0);
        break;
      case 'gb-month': {
        const tbHours = (q / 1024) * HOURS;
        if (OBJECT_STORAGE.test(u.priceKey)) f.hddTbHours += tbHours;
        else f.ssdTbHours += tbHours;
        break;
      }
      case 'million-requests':
      case 'ghz-second':
        break;
      default:
        if (!f.unknown.includes(u.resource)) f.unknown.push(u.resource);
    }
  }
  return f;
}

export function addFootprints(a: Footprint, b: Footprint): Footprint {
  const byFamily = { ...a.byFamily };
  for (const [k, v] of Object.entries(b.byFamily)) byFamily[k] = (byFamily[k] ?? 0) + v;
  return {
    vcpuHours: a.vcpuHours + b.vcpuHours,
    memGbHours: a.memGbHours + b.memGbHours,
    ssdTbHours: a.ssdTbHours + b.ssdTbHours,
    hddTbHours: a.hddTbHours + b.hddTbHours,
    byFamily,
    unknown: [...new Set([...a.unknown, ...b.unknown])],
  };
}

/** Energy before PUE, in kWh, from CCF coefficients. */
export function energyKwh(f: Footprint, minW: number, maxW: number, utilisation: number): number {
  const c = COEFFICIENTS.common;
  return (
    (f.vcpuHours * (minW + utilisation * (maxW - minW))) / 1000 +
    f.memGbHours * c.memoryKwhPerGbHour.value +
    (f.ssdTbHours * c.ssdWhPerTbHour.value) / 1000 +
    (f.hddTbHours * c.hddWhPerTbHour.value) / 1000
  );
}

const largestCache = new WeakMap<Snapshot, Map<string, number | undefined>>();

function largestVcpu(provider: Provider, family: string, snap: Snapshot): number | undefined {
  const e = COEFFICIENTS.embodied[provider][family];
  if (e?.largestVcpu) return e.largestVcpu;
  let cache = largestCache.get(snap);
  if (!cache) largestCache.set(snap, (cache = new Map()));
  const key = `${provider}|${family}`;
  if (cache.has(key)) return cache.get(key);
  // Not stated in the coefficient file: the largest machine of that family in the snapshot's shapes.
  const prefix = family.replace(/-standard$/, '-');
  const sizes = Object.entries(snap.shapes[provider]).filter(([n]) => n.startsWith(prefix)).map(([, s]) => s.vcpu);
  const largest = sizes.length ? Math.max(...sizes) : undefined;
  cache.set(key, largest);
  return largest;
}

/**
 * Monthly energy and emissions of a footprint in a provider region, by the Cloud Carbon Footprint
 * method: vCPU-hours × (min + utilisation × (max − min)) W + memory + storage, × PUE, × the region's
 * grid factor; plus embodied emissions pro rata of vCPUs and hours over the server's lifespan.
 */
export function estimateCarbon(f: Footprint, provider: Provider, region: string, snap: Snapshot, utilisation?: number): CarbonEstimate {
  const p = COEFFICIENTS.providers[provider];
  const u = utilisation ?? COEFFICIENTS.common.defaultUtilisation.value;
  const kwh = energyKwh(f, p.minWattsPerVcpu.value, p.maxWattsPerVcpu.value, u) * p.pue.value;
  const notes = f.unknown.length ? [`not estimated: ${f.unknown.join(', ')}`] : undefined;
  const grid = COEFFICIENTS.grid[provider][region];
  const lifespan = COEFFICIENTS.common.serverLifespanHours.value;
  let embodied = 0;
  for (const [fam, hours] of Object.entries(f.byFamily)) {
    const e = COEFFICIENTS.embodied[provider][fam];
    const largest = largestVcpu(provider, fam, snap);
    if (e && largest) embodied += (e.tCo2e * 1000 * hours) / (largest * lifespan);
  }
  if (!grid) {
    return {
      kwhPerMonth: round(kwh, 2),
      kgCo2ePerMonth: null,
      operationalKg: null,
      embodiedKg: round(embodied, 3),
      reason: `no grid emission factor for ${provider} ${region} in the coefficient file`,
      ...(notes ? { notes } : {}),
    };
  }
  const operational = kwh * grid.tPerKwh * 1000;
  return {
    kwhPerMonth: round(kwh, 2),
    kgCo2ePerMonth: round(operational + embodied, 2),
    operationalKg: round(operational, 3),
    embodiedKg: round(embodied, 3),
    ...(notes ? { notes } : {}),
  };
}

export interface OnPremCarbonInput {
  vcpuHours: number;
  memGbHours: number;
  storageTbHours: number;
  utilisation: number;
  pue: number;
  gridKgPerKwh?: number;
}

/**
 * Energy and emissions of servers on premises: the same per-vCPU power model (AWS's coefficients for
 * an unknown CPU stand for a generic server), the declared utilisation and the datacentre's PUE.
 */
export function estimateOnPremCarbon(i: OnPremCarbonInput): CarbonEstimate {
  const aws = COEFFICIENTS.providers.aws;
  const f: Footprint = { vcpuHours: i.vcpuHours, memGbHours: i.memGbHours, ssdTbHours: 0, hddTbHours: i.storageTbHours, byFamily: {}, unknown: [] };
  const kwh = energyKwh(f, aws.minWattsPerVcpu.value, aws.maxWattsPerVcpu.value, i.utilisation) * i.pue;
  if (i.gridKgPerKwh === undefined) {
    return { kwhPerMonth: round(kwh, 2), kgCo2ePerMonth: null, reason: 'no grid emission factor for the datacentre: set onPrem.gridKgCo2ePerKwh in .migration.yaml' };
  }
  return { kwhPerMonth: round(kwh, 2), kgCo2ePerMonth: round(kwh * i.gridKgPerKwh, 2) };
}
