import type { CarbonEstimate } from './carbon';
import type { CommitmentTotals } from './scenarios';
import type { Classification, Cost, Diagnostic, Evidence, Provider, Sizing, Strategy, Workload } from '../types';
import { STRATEGIES } from '../types';
import { round } from '../units';

export const PLAN_SCHEMA_VERSION = 1;

export interface PlanTarget {
  service: string;
  note?: string;
  sizing: Sizing;
}

export interface PlanWorkload {
  id: string;
  name: string;
  kind: Workload['kind'];
  descriptors: string[];
  image?: string;
  sources: { file: string; line: number }[];
  strategy: Strategy;
  /** For a retained workload: the cloud it runs on today. */
  home?: Provider;
  confidence: number;
  conflict?: string;
  override?: Classification['override'];
  evidence: Evidence[];
  blockers: Evidence[];
  effort: number;
  notes: string[];
  targetClass: string;
  ruledOut: Classification['ruledOut'];
  targets: { aws: PlanTarget | null; gcp: PlanTarget | null };
  cost: { aws: Cost; gcp: Cost };
  /** The cheaper provider when both sides are fully priced; null otherwise. */
  cheaper: Provider | 'same' | null;
  dependsOn: string[];
  /** Migration wave (1 = first); null for retained and retired workloads. */
  wave: number | null;
  /** Monthly cost with the workload's traffic peak. */
  peak: { multiplier: number; hoursPerMonth: number; basis: string; aws: { monthlyUsd: number }; gcp: { monthlyUsd: number } };
  carbon: { aws: CarbonEstimate; gcp: CarbonEstimate };
  /** What it costs on premises today, when declared. */
  onPremMonthlyUsd?: number;
}

export interface ScenarioTotals {
  name: string;
  description: string;
  totals: { aws: { monthlyUsd: number; complete: boolean }; gcp: { monthlyUsd: number; complete: boolean } };
}

export interface RegionWhatIf {
  regions: { aws: string; gcp: string };
  totals: { aws: ProviderTotal; gcp: ProviderTotal };
  carbon: { aws: CarbonEstimate; gcp: CarbonEstimate };
}

export interface OnPremBaseline {
  monthlyUsd: number;
  /** Workloads whose on-premises cost is itemised (the rest is in the repository-level figure). */
  workloads: string[];
  /** What the same workloads cost in the cloud. */
  cloud: { aws: { monthlyUsd: number; complete: boolean }; gcp: { monthlyUsd: number; complete: boolean } };
  kwhPerMonth: number | null;
  kgCo2ePerMonth: number | null;
  reason?: string;
  basis: string[];
}

export interface ProviderTotal {
  monthlyUsd: number;
  complete: boolean;
  /** Lines with no price, across workloads and shared costs. */
  missingLines: number;
}

export interface PriceSourceEntry {
  provider: Provider;
  region: string;
  key: string;
  source: 'snapshot' | 'live';
  asOf: string;
  origin: string;
  /** How sure the price is: committed-data, derived, vendor-doc, weak (old or partial) or live. */
  confidence?: string;
}

export interface Plan {
  schemaVersion: number;
  tool: { name: string; version: string };
  root: string;
  regions: { aws: string; gcp: string };
  summary: {
    workloads: number;
    byStrategy: Record<Strategy, number>;
    effort: number;
    blockers: number;
  };
  totals: { aws: ProviderTotal; gcp: ProviderTotal; cheaper: Provider | 'same' | null; comparable: Comparable; carbon: { aws: CarbonEstimate; gcp: CarbonEstimate } };
  scenarios: ScenarioTotals[];
  commitments: { aws: CommitmentTotals; gcp: CommitmentTotals };
  onPrem?: OnPremBaseline;
  regionWhatIf: RegionWhatIf[];
  shared: { aws: Cost; gcp: Cost };
  pricing: {
    source: 'snapshot' | 'live' | 'mixed';
    asOf: string;
    oldestAsOf: string;
    notices: string[];
    sources: PriceSourceEntry[];
  };
  assumptions: string[];
  diagnostics: Diagnostic[];
  waves: { wave: number; workloads: string[] }[];
  workloads: PlanWorkload[];
  /** Descriptors that are not workloads (base images, build helpers, charts, variants), with why. */
  notPlanned: { name: string; reason: string; message: string; sources: { file: string; line: number }[] }[];
  /** Descriptor files of other ways to deploy the same services: listed, never sized from. */
  variants: string[];
}

/**
 * The like-for-like comparison: the workloads priced in full on both clouds (and the shared costs,
 * when both sides are priced), so that one unpriced line elsewhere does not void the comparison.
 */
export interface Comparable {
  /** Workloads priced in full on both clouds. */
  workloads: number;
  /** Workloads with a cost line on either cloud. */
  of: number;
  aws: number;
  gcp: number;
  cheaper: Provider | 'same' | null;
}

export function comparableOf(workloads: { cost: { aws: Cost; gcp: Cost } }[], shared: { aws: Cost; gcp: Cost }): Comparable {
  const priced = workloads.filter((w) => w.cost.aws.lines.length > 0 || w.cost.gcp.lines.length > 0);
  const both = priced.filter((w) => w.cost.aws.complete && w.cost.gcp.complete && w.cost.aws.lines.length > 0 && w.cost.gcp.lines.length > 0);
  const withShared = shared.aws.complete && shared.gcp.complete;
  const sum = (p: Provider) => round(both.reduce((s, w) => s + w.cost[p].monthlyUsd, 0) + (withShared ? shared[p].monthlyUsd : 0), 2);
  const aws = sum('aws');
  const gcp = sum('gcp');
  return { workloads: both.length, of: priced.length, aws, gcp, cheaper: both.length ? cheaperOf({ monthlyUsd: aws, complete: true }, { monthlyUsd: gcp, complete: true }) : null };
}

export function cheaperOf(aws: { monthlyUsd: number; complete: boolean }, gcp: { monthlyUsd: number; complete: boolean }): Provider | 'same' | null {
  if (!aws.complete || !gcp.complete) return null;
  if (Math.abs(aws.monthlyUsd - gcp.monthlyUsd) < 0.005) return 'same';
  return aws.monthlyUsd < gcp.monthlyUsd ? 'aws' : 'gcp';
}

/**
 * Migration waves from dependencies: a workload moves in the wave after everything it depends on.
 * Retained and retired workloads are not moved; a dependency cycle is broken (and reported) by
 * putting its members in the same wave.
 */
export function computeWaves(workloads: { id: string; dependsOn: string[]; strategy: Strategy }[], diagnostics: Diagnostic[], sourceOf: (id: string) => { file: string; line: number }): Map<string, number | null> {
  const moving = new Map(workloads.filter((w) => w.strategy !== 'retain' && w.strategy !== 'retire').map((w) => [w.id, w]));
  const wave = new Map<string, number | null>();
  for (const w of workloads) if (!moving.has(w.id)) wave.set(w.id, null);
  const state = new Map<string, 'visiting' | 'done'>();
  // Depth-first with an explicit stack: a chain of 5,000 dependencies never grows the call stack.
  for (const root of [...moving.keys()].sort()) {
    if (state.has(root)) continue;
    const frames: Array<{ id: string; next: number; max: number }> = [{ id: root, next: 0, max: 0 }];
    const onPath = new Map<string, number>([[root, 0]]);
    state.set(root, 'visiting');
    while (frames.length > 0) {
      const f = frames[frames.length - 1];
      const deps = moving.get(f.id)?.dependsOn ?? [];
      if (f.next < deps.length) {
        const dep = deps[f.next++];
        if (!moving.has(dep)) continue;
        const st = state.get(dep);
        if (st === 'done') f.max = Math.max(f.max, wave.get(dep) as number);
        else if (st === 'visiting') reportCycle(frames.slice(onPath.get(dep) ?? 0).map((x) => x.id), dep, diagnostics, sourceOf);
        else {
          state.set(dep, 'visiting');
          onPath.set(dep, frames.length);
          frames.push({ id: dep, next: 0, max: 0 });
        }
        continue;
      }
      frames.pop();
      onPath.delete(f.id);
      state.set(f.id, 'done');
      wave.set(f.id, f.max + 1);
      if (frames.length > 0) frames[frames.length - 1].max = Math.max(frames[frames.length - 1].max, f.max + 1);
    }
  }
  return wave;
}

function reportCycle(path: string[], back: string, diagnostics: Diagnostic[], sourceOf: (id: string) => { file: string; line: number }): void {
  const cycle = [...path, back];
  const shown = cycle.length > 12 ? [...cycle.slice(0, 10), `… (${cycle.length - 11} more)`, back] : cycle;
  diagnostics.push({ ...sourceOf(back), column: 1, severity: 'warning', code: 'dependency-cycle', message: `Dependency cycle: ${shown.join(' → ')}; these move together.` });
}

export function strategyCounts(ws: { strategy: Strategy }[]): Record<Strategy, number> {
  const out = Object.fromEntries(STRATEGIES.map((s) => [s, 0])) as Record<Strategy, number>;
  for (const w of ws) out[w.strategy]++;
  return out;
}

export function totalOf(costs: Cost[]): ProviderTotal {
  return {
    monthlyUsd: round(costs.reduce((s, c) => s + c.monthlyUsd, 0), 2),
    complete: costs.every((c) => c.complete),
    missingLines: costs.reduce((s, c) => s + c.lines.filter((l) => l.monthlyUsd === null).length, 0),
  };
}
