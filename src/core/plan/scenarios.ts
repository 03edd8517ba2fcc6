import type { Config } from '../parse/config';
import type { SizedTarget } from '../target/size';
import { HOURS } from '../target/size';
import type { Discount, Snapshot } from '../price/snapshot';
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

function discountFor(discounts: Discount[], provider: Provider, region: string, term: Term, key: string): Discount | undefined {
  return discounts
    .filter((d) => d.provider === provider && d.term === term && (!d.region || d.region === region) && key.startsWith(d.appliesTo))
    .sort((a, b) => b.appliesTo.length - a.appliesTo.length)[0];
}

/**
 * On-demand vs 1-year and 3-year commitments (and GCP's sustained-use discount), only from sourced
 * rates in the snapshot. A term without a sourced rate is null, with the reason.
 */
export function commitmentTotals(costs: Cost[], provider: Provider, region: string, snap: Snapshot): CommitmentTotals {
  const discounts = snap.data.discounts ?? [];
  const onDemand = round(costs.reduce((s, c) => s + c.monthlyUsd, 0), 2);
  const out: CommitmentTotals = { onDemand, oneYear: null, threeYear: null, sustainedUse: null, appliesTo: [], reasons: [] };
  const terms: Term[] = provider === 'gcp' ? ['oneYear', 'threeYear', 'sustainedUse'] : ['oneYear', 'threeYear'];
  for (const term of terms) {
    if (!discounts.some((d) => d.provider === provider && d.term === term)) {
      out.reasons.push(`${term}: the price snapshot has no sourced ${provider === 'aws' ? 'Savings Plans / Reserved Instance' : term === 'sustainedUse' ? 'sustained-use' : 'committed-use'} rate`);
      continue;
    }
    const used = new Map<Discount, number>();
    let total = 0;
    for (const c of costs) {
      for (const l of c.lines) {
        if (l.monthlyUsd === null) continue;
        const d = discountFor(discounts, provider, region, term, l.priceKey);
        if (d) used.set(d, (used.get(d) ?? 0) + 1);
        total += l.monthlyUsd * (1 - (d?.fraction ?? 0));
      }
    }
    out[term] = round(total, 2);
    for (const [d, n] of used) out.appliesTo.push({ term, prefix: d.appliesTo, fraction: d.fraction, source: d.source, asOf: d.asOf, lines: n });
  }
  return out;
}
