import type { Config } from '../parse/config';
import type { SizedTarget } from '../target/size';
import { HOURS } from '../target/size';
import type { Snapshot } from '../price/snapshot';
import type { Cost, Provider, Workload } from '../types';
import { round } from '../units';

/** Hours a month at peak when nothing says otherwise: two hours a day. */
export const DEFAULT_PEAK_HOURS = 60;

export interface PeakParams {
  multiplier: number;
  hoursPerMonth: number;
  basis: string;
}

/**
 * A workload's peak: its own setting in `.migration.yaml`, else its autoscaling bounds (max ÷ min),
 * else the repository's peak, else none (multiplier 1).
 */
export function peakParams(w: Workload, config: Config): PeakParams {
  const own = config.scenarios.workloads.get(w.name) ?? config.scenarios.workloads.get(w.id);
  const repo = config.scenarios.peak;
  const hours = own?.hoursPerMonth ?? repo.hoursPerMonth ?? DEFAULT_PEAK_HOURS;
  const hoursBasis = own?.hoursPerMonth !== undefined || repo.hoursPerMonth !== undefined ? '.migration.yaml' : 'default';
  if (own?.multiplier !== undefined) return { multiplier: own.multiplier, hoursPerMonth: hours, basis: `scenarios.workloads.${w.name} in .migration.yaml; ${hours} h/month (${hoursBasis})` };
  const min = w.resources.minReplicas?.value ?? w.resources.replicas?.value;
  const max = w.resources.maxReplicas?.value;
  if (max !== undefined && min !== undefined && min > 0 && max >= min) {
    const src = w.resources.maxReplicas?.source;
    return { multiplier: round(max / Math.max(1, min), 4), hoursPerMonth: hours, basis: `autoscaling ${min}–${max} replicas${src ? ` (${src.file}:${src.line})` : ''}; ${hours} h/month (${hoursBasis})` };
  }
  if (repo.multiplier !== undefined) return { multiplier: repo.multiplier, hoursPerMonth: hours, basis: `scenarios.peak in .migration.yaml; ${hours} h/month (${hoursBasis})` };
  return { multiplier: 1, hoursPerMonth: hours, basis: 'no peak declared (no autoscaling bounds, no scenarios.peak)' };
}

/** The part of a monthly cost that grows with replicas or requests. */
export function scalableMonthly(target: SizedTarget | undefined, cost: Cost): number {
  if (!target) return 0;
  return cost.lines.reduce((s, l, i) => s + (target.usage[i]?.scales && l.monthlyUsd !== null ? l.monthlyUsd : 0), 0);
}

/**
 * Monthly cost with a traffic peak: what scales (tasks, instances, pods, invocations) runs
 * `multiplier` times over for `hours` a month; databases, caches and storage do not change.
 */
export function withPeak(baseline: number, scalable: number, multiplier: number, hours: number): number {
  return round(baseline + scalable * Math.max(0, multiplier - 1) * (hours / HOURS), 2);
}

export type Term = 'oneYear' | 'threeYear' | 'sustainedUse';

export interface CommitmentTotals {
  onDemand: number;
  oneYear: number | null;
  threeYear: number | null;
  sustainedUse: number | null;
  /** Price keys each term's discount was applied to, with its source. */
  appliesTo: { term: Term; prefix: string; fraction: number; source: string; asOf: string; lines: number }[];
  reasons: string[];
}

/** The committed rate of a line's key: GCP committed-use and sustained-use month prices, AWS reserved rates. */
interface CommittedRate {
  hourly: number;
  source: string;
  asOf: string;
  /** Which offer: "1-year committed use", "reserved 1y no upfront", ... */
  offer: string;
}

const RI_PAYMENTS = ['no-upfront', 'partial-upfront', 'all-upfront'] as const;

/**
 * The sourced committed price for a price key, or undefined. AWS reserved rates are effective hourly
 * (upfront fees spread over the term); the first of no, partial and all upfront that the data has.
 */
export function committedRate(snap: Snapshot, provider: Provider, region: string, key: string, term: Term): CommittedRate | undefined {
  if (provider === 'gcp') {
    if (!key.startsWith('compute/machine/')) return undefined;
    const suffix = term === 'oneYear' ? 'cud-1y-month' : term === 'threeYear' ? 'cud-3y-month' : 'sud-month';
    const p = snap.price('gcp', region, `${key}/${suffix}`);
    const offer = term === 'sustainedUse' ? 'sustained-use discount (full month)' : `${term === 'oneYear' ? '1' : '3'}-year resource-based committed use`;
    return p && { hourly: p.usd / HOURS, source: p.source, asOf: p.asOf, offer };
  }
  if (term === 'sustainedUse') return undefined;
  const years = term === 'oneYear' ? '1y' : '3y';
  for (const pay of RI_PAYMENTS) {
    const p = snap.price('aws', region, `${key}/ri-${years}-${pay}`);
    if (p) return { hourly: p.usd, source: p.source, asOf: p.asOf, offer: `reserved ${years} ${pay.replace('-', ' ')} (effective hourly)` };
  }
  return undefined;
}

/** The service part of a price key, for the commitment summary ("elasticache/", "compute/machine/"). */
function servicePrefix(key: string): string {
  return key.startsWith('compute/machine/') ? 'compute/machine/' : `${key.split('/')[0]}/`;
}

/**
 * On-demand vs 1-year and 3-year commitments (and GCP's sustained-use discount), each line at its
 * sourced committed price where the data has one: GCP committed-use prices per machine type, AWS
 * reserved rates (ElastiCache, OpenSearch, RDS, EC2). A line without one stays at its on-demand
 * price, and the reasons name its service; a term no line has a rate for is null.
 */
export function commitmentTotals(costs: Cost[], provider: Provider, region: string, snap: Snapshot): CommitmentTotals {
  const onDemand = round(costs.reduce((s, c) => s + c.monthlyUsd, 0), 2);
  const out: CommitmentTotals = { onDemand, oneYear: null, threeYear: null, sustainedUse: null, appliesTo: [], reasons: [] };
  const terms: Term[] = provider === 'gcp' ? ['oneYear', 'threeYear', 'sustainedUse'] : ['oneYear', 'threeYear'];
  // Thousands of lines share a few dozen price keys: look each key up once per term.
  const rates = new Map<string, CommittedRate | undefined>();
  const rateOf = (key: string, term: Term) => {
    const k = `${term}|${key}`;
    if (!rates.has(k)) rates.set(k, committedRate(snap, provider, region, key, term));
    return rates.get(k);
  };
  for (const term of terms) {
    const used = new Map<string, { onDemand: number; committed: number; lines: number; rate: CommittedRate }>();
    const without = new Set<string>();
    let total = 0;
    for (const c of costs) for (const l of c.lines) {
      if (l.monthlyUsd === null) continue;
      const rate = rateOf(l.priceKey, term);
      if (!rate) {
        total += l.monthlyUsd;
        without.add(servicePrefix(l.priceKey));
        continue;
      }
      const committed = round(l.quantity * rate.hourly, 2);
      total += committed;
      const prefix = servicePrefix(l.priceKey);
      const u = used.get(prefix) ?? { onDemand: 0, committed: 0, lines: 0, rate };
      u.onDemand += l.monthlyUsd;
      u.committed += committed;
      u.lines++;
      used.set(prefix, u);
    }
    if (used.size === 0) {
      out.reasons.push(`${term}: the bundled data has no sourced ${provider === 'aws' ? 'reserved' : term === 'sustainedUse' ? 'sustained-use' : 'committed-use'} price for any line of this plan`);
      continue;
    }
    out[term] = round(total, 2);
    for (const [prefix, u] of [...used].sort(([a], [b]) => (a < b ? -1 : 1))) {
      out.appliesTo.push({ term, prefix, fraction: u.onDemand > 0 ? round(1 - u.committed / u.onDemand, 4) : 0, source: `${u.rate.offer}: ${u.rate.source}`, asOf: u.rate.asOf, lines: u.lines });
    }
    const rest = [...without].filter((p) => !used.has(p)).sort();
    if (rest.length) out.reasons.push(`${term}: no sourced committed price for ${rest.join(', ')} (kept at on-demand)`);
  }
  return out;
}
