import * as fs from 'node:fs';
import * as path from 'node:path';
import { addFootprints, COEFFICIENTS, estimateCarbon, estimateOnPremCarbon, footprintOf, type CarbonEstimate, type Footprint } from './carbon';
import { classify } from '../classify';
import { commitmentTotals, peakParams, scalableMonthly, withPeak } from './scenarios';
import { CONFIG_FILE, emptyConfig, parseConfig, type Config } from '../parse/config';
import { discover } from '../discover';
import { buildModel } from '../model';
import * as os from 'node:os';
import picomatch from 'picomatch';
import { Worker } from 'node:worker_threads';
import { parseFile, readAndParse, type ParseJob } from '../parse';
import type { K8sAux, ParseContext, ParseResult } from '../parse/common';
import { cheaperOf, computeWaves, PLAN_SCHEMA_VERSION, strategyCounts, totalOf, type OnPremBaseline, type Plan, type PlanWorkload, type PriceSourceEntry, type RegionWhatIf, type ScenarioTotals } from '.';
import { costLines, costOf, isQuote, requestKey, SnapshotPriceSource, type PriceAnswer, type PriceRequest, type PriceSource } from '../price';
import { effectiveRules } from '../classify/rules';
import { HOURS, sizeTarget, TARGET_CLASSES, type SizedTarget, type Usage } from '../target/size';
import { bundledSnapshot, type Snapshot } from '../price/snapshot';
import type { Cost, DescriptorFile, Diagnostic, PartialWorkload, Provider } from '../types';
import { round } from '../units';
import { PROVIDERS } from '../types';

export const TOOL_NAME = 'cloud-migration-planner';
export const TOOL_VERSION = '0.1.0';
/** The plan names its root '.': never the checkout folder, so that every clone gives the same plan. */
export const PLAN_ROOT = '.';
export const DEFAULT_REGIONS = { aws: 'us-east-1', gcp: 'us-central1' } as const;

export interface AssessOptions {
  /** Other region pairs to price and estimate side by side (at most three). */
  whatIfRegions?: { aws?: string; gcp?: string }[];
  regions?: { aws?: string; gcp?: string };
  priceSource?: PriceSource;
  snapshot?: Snapshot;
  /** Extra exclude globs (settings); `.migration.yaml` may add more. */
  exclude?: string[];
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  /** Sizing headroom from the editor's settings; .migration.yaml's sizing.headroom wins. */
  headroom?: number;
  /** Text of open editors that differ from disk, keyed by POSIX path relative to the root. */
  overlay?: Map<string, string>;
}

/** A worker's answer for one chunk: JSON when that is lossless, else the results themselves. */
interface ChunkMessage {
  chunk: number;
  json?: string;
  results?: ParseResult[];
}

interface CachedParse {
  text: string;
  result: ParseResult;
}

function sortDiagnostics(d: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return d
    .filter((x) => {
      const k = `${x.file}|${x.line}|${x.column}|${x.code}|${x.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.column ?? 0) - (b.column ?? 0) || (a.message < b.message ? -1 : 1)));
}

/**
 * The engine, with a per-file parse cache: assessing again after one file changed re-parses that
 * file only (and files whose parse reads it, such as a compose file's `.env`).
 */
export interface AssessorOptions {
  /**
   * Parse on worker threads when a repository has at least this many descriptors and `threads` is
   * more than 1 (one-shot runs: the CLI). Parses are then not cached. Off by default.
   */
  parallelThreshold?: number;
  /** How many threads may parse, this one included (at most 4); 1 by default. See `defaultParseThreads`. */
  threads?: number;
  /** The worker script (dist/parse-worker.js next to the bundle); parallel parsing is off without it. */
  workerFile?: string;
}

/**
 * Parse threads worth having on this machine. On most cloud VMs vCPUs are hyperthreads, two to a
 * physical core, and two parsing threads on one core slow each other down so much that a worker
 * does not pay: so a machine with fewer than 4 logical processors parses on one thread.
 */
export function defaultParseThreads(): number {
  const cpus = os.availableParallelism();
  return cpus >= 4 ? Math.min(Math.floor(cpus / 2), 4) : 1;
}

/** Where the bundled parse worker sits, when this code runs from a bundle that has one. */
export function defaultWorkerFile(): string | undefined {
  const f = path.join(__dirname, 'parse-worker.js');
  return fs.existsSync(f) ? f : undefined;
}

export class Assessor {
  private cache = new Map<string, CachedParse>();
  private deps = new Map<string, Set<string>>();

  constructor(readonly root: string, private readonly options: AssessorOptions = {}) {}

  /** Forget cached parses of these files (after a save or a delete). */
  invalidate(files: string[]): void {
    for (const f of files) {
      this.cache.delete(f);
      for (const dependant of this.deps.get(f) ?? []) this.cache.delete(dependant);
    }
  }

  get cachedFiles(): number {
    return this.cache.size;
  }

  async assess(opts: AssessOptions = {}): Promise<Plan> {
    const diagnostics: Diagnostic[] = [];
    const read = (rel: string): string | undefined => {
      const o = opts.overlay?.get(rel);
      if (o !== undefined) return o;
      try {
        return fs.readFileSync(path.join(this.root, rel), 'utf8');
      } catch {
        return undefined;
      }
    };
    opts.onProgress?.('Reading configuration');
    let config: Config = emptyConfig();
    const configText = read(CONFIG_FILE);
    if (configText !== undefined) {
      const parsed = parseConfig(configText, CONFIG_FILE);
      config = parsed.config;
      diagnostics.push(...parsed.diagnostics);
    }
    if (opts.headroom !== undefined && !/^\s*headroom\s*:/m.test(configText ?? '')) config.sizing.headroom = opts.headroom;
    opts.onProgress?.('Finding descriptors');
    const found = discover(this.root, { exclude: [...(opts.exclude ?? []), ...config.exclude] });
    diagnostics.push(...found.diagnostics);
    throwIfAborted(opts.signal);
    opts.onProgress?.(`Parsing ${found.files.length} descriptor${found.files.length === 1 ? '' : 's'}`);
    // Workers only pay off on large repositories: starting one costs about as much as parsing a
    // few hundred files.
    const { workerFile, parallelThreshold } = this.options;
    const threads = Math.min(this.options.threads ?? 1, 4);
    const parallel = workerFile && parallelThreshold !== undefined && threads > 1 && found.files.length >= parallelThreshold && !opts.overlay;
    let results: ParseResult[];
    if (parallel) {
      // They join in as soon as they have loaded; this thread starts on the first chunks meanwhile.
      const workers = Array.from({ length: threads - 1 }, () => new Worker(workerFile));
      try {
        results = await this.parseParallel(found.files, workers, opts.signal);
      } finally {
        for (const w of workers) void w.terminate();
      }
    } else results = this.parseAll(found.files, read, opts);
    opts.onProgress?.('Collecting parse results');
    const partials: PartialWorkload[] = [];
    const aux: K8sAux[] = [];
    const crdDirs: string[] = [];
    for (const r of results) {
      partials.push(...r.workloads);
      diagnostics.push(...r.diagnostics);
      aux.push(...(r.aux ?? []));
      crdDirs.push(...(r.crdDirs ?? []));
    }
    throwIfAborted(opts.signal);
    return planFromPartials(PLAN_ROOT, partials, aux, crdDirs, diagnostics, config, opts);
  }

  /**
   * Parse on this thread and the workers at once. The files are cut into chunks, largest files
   * first, and each thread claims the next chunk from a shared counter until none is left, so that
   * all finish together whatever their speed. Workers send each chunk back as JSON (quicker to
   * decode than a structured clone), which this thread decodes between its own chunks. Results go
   * back in file order: the plan is the same as a one-thread run's, byte for byte. A chunk that a
   * worker claimed but never delivered (the worker died) is parsed here.
   */
  private async parseParallel(files: DescriptorFile[], workers: Worker[], signal?: AbortSignal): Promise<ParseResult[]> {
    const root = path.resolve(this.root);
    const order = files.map((_, i) => i).sort((a, b) => files[b].size - files[a].size || a - b);
    const chunks: number[][] = [];
    let cur: number[] = [];
    let bytes = 0;
    for (const i of order) {
      cur.push(i);
      bytes += files[i].size + 512; // a fixed cost per file, whatever its size
      if (cur.length >= 64 || bytes >= 96 * 1024) {
        chunks.push(cur);
        cur = [];
        bytes = 0;
      }
    }
    if (cur.length) chunks.push(cur);
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const out: (ParseResult | undefined)[] = new Array<ParseResult | undefined>(files.length).fill(undefined);
    const place = (m: ChunkMessage) => {
      const results = m.json !== undefined ? (JSON.parse(m.json) as ParseResult[]) : (m.results as ParseResult[]);
      chunks[m.chunk].forEach((i, k) => (out[i] = results[k]));
    };
    const finished = workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          w.on('message', (m: ChunkMessage | { done: true }) => ('done' in m ? resolve() : place(m)));
          // A worker that fails leaves its chunks to this thread (below), never the run.
          w.once('error', () => resolve());
          w.once('exit', () => resolve());
        }),
    );
    const job: ParseJob = { root, files, chunks, counter: counter.buffer as SharedArrayBuffer };
    for (const w of workers) w.postMessage(job);
    for (;;) {
      const c = Atomics.add(counter, 0, 1);
      if (c >= chunks.length) break;
      for (const i of chunks[c]) out[i] = readAndParse(root, files[i]);
      throwIfAborted(signal);
      await new Promise<void>((resolve) => setImmediate(resolve)); // take in what the workers sent
    }
    await Promise.all(finished);
    return out.map((r, i) => r ?? readAndParse(root, files[i]));
  }

  private parseAll(files: DescriptorFile[], read: (rel: string) => string | undefined, opts: AssessOptions): ParseResult[] {
    const out: ParseResult[] = [];
    for (const f of files) {
      const text = read(f.path);
      if (text === undefined) {
        out.push({ workloads: [], diagnostics: [{ file: f.path, line: 1, column: 1, severity: 'warning', code: 'unreadable', message: 'File could not be read.' }] });
        continue;
      }
      const cached = this.cache.get(f.path);
      if (cached && cached.text === text && !opts.overlay?.has(f.path)) {
        out.push(cached.result);
        continue;
      }
      const reads = new Set<string>();
      const ctx: ParseContext = {
        readFile: (rel) => {
          reads.add(rel);
          return read(rel);
        },
      };
      const result = parseFile(f.kind, text, f.path, ctx);
      for (const r of reads) {
        let s = this.deps.get(r);
        if (!s) this.deps.set(r, (s = new Set()));
        s.add(f.path);
      }
      this.cache.set(f.path, { text, result });
      out.push(result);
    }
    return out;
  }
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new Error('Assessment cancelled');
}

export function assumptionsFor(config: Config, regions: { aws: string; gcp: string }): string[] {
  const s = config.sizing;
  return [
    `Monthly costs are on-demand list prices in USD for ${HOURS} hours a month in ${regions.aws} (AWS) and ${regions.gcp} (GCP), before free tiers, discounts and taxes.`,
    `Sizes add ${Math.round(s.headroom * 100)}% headroom to what the descriptors request; where a descriptor states nothing, a replica gets ${s.defaultCpu} vCPU and ${s.defaultMemoryMiB} MiB and a workload gets 1 replica (autoscaled workloads are priced at their minimum).`,
    'Serverless containers run always on: ECS Fargate tasks = replicas; Cloud Run with instance-based billing and minimum instances = replicas.',
    'Kubernetes workloads are priced as their share of general-purpose nodes (m6i.large on EKS, e2-standard-2 on GKE), plus one cluster fee per provider.',
    `Functions: ${s.functionInvocationsPerMonth.toLocaleString('en-US')} invocations a month of ${s.functionDurationMs} ms each unless configured (sizing.functionInvocationsPerMonth, sizing.functionDurationMs); Cloud Functions at 1st gen prices.`,
    `Scheduled jobs run ${s.jobMinutesPerRun} minutes per run; runs per month come from the schedule (daily when it cannot be read).`,
    'Databases without declared size get 2 vCPU / 4 GiB, single zone; caches 1 GiB. Storage is priced only where a descriptor or the inventory declares it.',
    'Load balancers, NAT gateways, data transfer, backups, monitoring and support plans are not included.',
    'A line whose price the snapshot does not have is shown as "not priced" and left out of totals: the totals are then lower bounds.',
    `Peaks: a workload's autoscaling bounds (max ÷ min) give its peak multiplier unless .migration.yaml sets one; peak hours default to 60 a month. Only what scales (tasks, instances, pods, invocations) grows at peak; databases, caches and storage do not.`,
    `Carbon follows the Cloud Carbon Footprint method: vCPU-hours × (min + ${COEFFICIENTS.common.defaultUtilisation.value} utilisation × (max − min)) W, memory ${COEFFICIENTS.common.memoryKwhPerGbHour.value} kWh/GB-h, storage, × provider PUE, × the region's grid factor, plus embodied emissions (m6i servers for AWS, e2/n2 for GCP as proxies for managed services). Regions without a grid factor are reported as unknown.`,
  ];
}

/** Everything after parsing: model, classification, sizing, pricing and the plan. Pure but for the price source. */
export async function planFromPartials(
  rootName: string,
  partials: PartialWorkload[],
  aux: K8sAux[],
  crdDirs: string[],
  diagnostics: Diagnostic[],
  config: Config,
  opts: AssessOptions,
): Promise<Plan> {
  const snap = opts.snapshot ?? bundledSnapshot();
  const regions = {
    aws: opts.regions?.aws ?? config.regions.aws ?? DEFAULT_REGIONS.aws,
    gcp: opts.regions?.gcp ?? config.regions.gcp ?? DEFAULT_REGIONS.gcp,
  };
  opts.onProgress?.('Building the workload model');
  const model = buildModel(partials, aux, crdDirs, diagnostics, { primary: config.primary.length ? picomatch(config.primary, { dot: true }) : undefined });
  const workloads = model.workloads;
  if (workloads.length === 0) {
    diagnostics.push({ file: '.', line: 1, column: 1, severity: 'warning', code: 'no-workloads', message: model.notPlanned.length ? `No workload to plan: ${model.notPlanned.length} descriptor${model.notPlanned.length === 1 ? ' was' : 's were'} found, none of them a deployable service (see "Not planned").` : 'No workload found: no deployment descriptor this planner reads (Dockerfile, compose, Kubernetes, Helm, Heroku, Cloud Foundry, Serverless, App Engine, migration-inventory.yaml).' });
  }
  const rules = effectiveRules(config.rules, config.disableRules);
  for (const [name, ov] of config.overrides) {
    if (!workloads.some((w) => w.name === name || w.id === name)) {
      diagnostics.push({ ...ov.source, column: ov.source.column ?? 1, severity: 'warning', code: 'override-unknown-workload', message: `Override for "${name}": no workload has that name.` });
    }
  }
  opts.onProgress?.(`Classifying ${workloads.length} workload${workloads.length === 1 ? '' : 's'}`);
  const classified = workloads.map((w) => {
    const c = classify(w, { rules, overrides: config.overrides, suppressions: config.suppressions });
    const sized: Record<Provider, SizedTarget | undefined> = {
      aws: sizeTarget(w, c.targetClass, 'aws', snap, config.sizing),
      gcp: sizeTarget(w, c.targetClass, 'gcp', snap, config.sizing),
    };
    return { w, c, sized };
  });

  // Costs shared by several workloads: one cluster per provider when anything runs on Kubernetes.
  const shared: Record<Provider, Usage[]> = { aws: [], gcp: [] };
  if (classified.some((x) => x.sized.aws?.service === 'aws.eks')) shared.aws.push({ resource: 'EKS cluster control plane (standard support)', quantity: HOURS, unit: 'cluster-hour', priceKey: 'eks/cluster-hour/standard' });
  if (classified.some((x) => x.sized.gcp?.service === 'gcp.gke')) shared.gcp.push({ resource: 'GKE cluster management fee', quantity: HOURS, unit: 'cluster-hour', priceKey: 'gke/cluster-hour' });

  // One request per distinct price: the live source shares them, the snapshot answers at once.
  const source = opts.priceSource ?? new SnapshotPriceSource(snap);
  const quoteAt = async (at: { aws: string; gcp: string }): Promise<{ answers: Map<string, PriceAnswer>; requests: PriceRequest[] }> => {
    const requests = new Map<string, PriceRequest>();
    for (const p of PROVIDERS) {
      const add = (u: Usage) => {
        const r = { provider: p, region: at[p], key: u.priceKey };
        requests.set(requestKey(r), r);
      };
      for (const x of classified) x.sized[p]?.usage.forEach(add);
      shared[p].forEach(add);
    }
    const sorted = [...requests.values()].sort((a, b) => (requestKey(a) < requestKey(b) ? -1 : 1));
    opts.onProgress?.(`Pricing ${sorted.length} distinct price${sorted.length === 1 ? '' : 's'} in ${at.aws} / ${at.gcp} (${source.name})`);
    try {
      return { answers: await source.quote(sorted, opts.signal), requests: sorted };
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      diagnostics.push({ file: '.', line: 1, column: 1, severity: 'warning', code: 'pricing-fallback', message: `Prices from the ${source.name} source failed (${(e as Error).message}); the snapshot was used.` });
      return { answers: await new SnapshotPriceSource(snap).quote(sorted), requests: sorted };
    }
  };
  const { answers, requests: sortedRequests } = await quoteAt(regions);
  opts.onProgress?.('Costing, carbon and scenarios');
  const footprints = new Map(classified.map((x) => [x.w.id, { aws: footprintOf(x.sized.aws, 'aws', snap), gcp: footprintOf(x.sized.gcp, 'gcp', snap) }]));
  const carbonAt = (fp: Footprint, p: Provider, region: string): CarbonEstimate => estimateCarbon(fp, p, region, snap);
  const totalFootprint = (p: Provider): Footprint =>
    [...footprints.values()].reduce<Footprint>((acc, f) => addFootprints(acc, f[p]), { vcpuHours: 0, memGbHours: 0, ssdTbHours: 0, hddTbHours: 0, byFamily: {}, unknown: [] });

  const ids = new Map(classified.map((x) => [x.w.id, x]));
  const waves = computeWaves(
    classified.map((x) => ({ id: x.w.id, dependsOn: x.w.dependsOn.map((d) => d.value), strategy: x.c.strategy })),
    diagnostics,
    (id) => ids.get(id)?.w.sources[0] ?? { file: '.', line: 1 },
  );

  // A workload that moves while something it calls stays behind needs a link between the two sites.
  for (const x of classified) {
    if (x.c.strategy === 'retain' || x.c.strategy === 'retire') continue;
    for (const d of x.w.dependsOn) {
      const dep = ids.get(d.value);
      if (dep?.c.strategy === 'retain') {
        x.c.notes.push(`Depends on ${dep.w.name}, which stays on premises: plan hybrid connectivity (AWS Direct Connect / Cloud Interconnect, or a VPN) and its latency.`);
      } else if (dep?.c.strategy === 'retire') {
        x.c.notes.push(`Depends on ${dep.w.name}, which is retired: remove or replace that dependency before the move.`);
      }
    }
  }

  const planWorkloads: PlanWorkload[] = classified.map(({ w, c, sized }) => {
    const cost = { aws: costOf(sized.aws, 'aws', regions.aws, answers), gcp: costOf(sized.gcp, 'gcp', regions.gcp, answers) };
    const pk = peakParams(w, config);
    const fp = footprints.get(w.id) as { aws: Footprint; gcp: Footprint };
    const target = (p: Provider) => (sized[p] ? { service: (sized[p] as SizedTarget).service, ...(sized[p]?.note ? { note: sized[p]?.note } : {}), sizing: (sized[p] as SizedTarget).sizing } : null);
    return {
      id: w.id,
      name: w.name,
      kind: TARGET_CLASSES[c.targetClass]?.kind ?? w.kind,
      descriptors: [...w.descriptors].sort(),
      ...(w.image ? { image: w.image } : {}),
      sources: w.sources.map((s) => ({ file: s.file, line: s.line })),
      strategy: c.strategy,
      ...(c.home ? { home: c.home } : {}),
      confidence: c.confidence,
      ...(c.conflict ? { conflict: c.conflict } : {}),
      ...(c.override ? { override: c.override } : {}),
      evidence: c.evidence,
      blockers: c.blockers,
      effort: c.effort,
      notes: c.notes,
      targetClass: c.targetClass,
      ruledOut: c.ruledOut,
      targets: { aws: target('aws'), gcp: target('gcp') },
      cost,
      // Nothing priced on either side (retired, replaced, retained) is no comparison.
      cheaper: cost.aws.lines.length || cost.gcp.lines.length ? cheaperOf(cost.aws, cost.gcp) : null,
      dependsOn: w.dependsOn.map((d) => d.value),
      wave: waves.get(w.id) ?? null,
      peak: {
        multiplier: pk.multiplier,
        hoursPerMonth: pk.hoursPerMonth,
        basis: pk.basis,
        aws: { monthlyUsd: withPeak(cost.aws.monthlyUsd, scalableMonthly(sized.aws, cost.aws), pk.multiplier, pk.hoursPerMonth) },
        gcp: { monthlyUsd: withPeak(cost.gcp.monthlyUsd, scalableMonthly(sized.gcp, cost.gcp), pk.multiplier, pk.hoursPerMonth) },
      },
      carbon: { aws: carbonAt(fp.aws, 'aws', regions.aws), gcp: carbonAt(fp.gcp, 'gcp', regions.gcp) },
      ...(w.resources.onPremMonthlyUsd ? { onPremMonthlyUsd: w.resources.onPremMonthlyUsd.value } : {}),
    };
  });
  const sharedCost = { aws: costLines(shared.aws, 'aws', regions.aws, answers), gcp: costLines(shared.gcp, 'gcp', regions.gcp, answers) };
  const totals = {
    aws: totalOf([...planWorkloads.map((w) => w.cost.aws), sharedCost.aws]),
    gcp: totalOf([...planWorkloads.map((w) => w.cost.gcp), sharedCost.gcp]),
    cheaper: null as Provider | 'same' | null,
  };
  totals.cheaper = cheaperOf(totals.aws, totals.gcp);
  const totalCarbon = { aws: carbonAt(totalFootprint('aws'), 'aws', regions.aws), gcp: carbonAt(totalFootprint('gcp'), 'gcp', regions.gcp) };

  // Scenarios: baseline, each workload's peak, and repository-wide what-ifs from the config.
  const scalable = new Map(classified.map((x, i) => [x.w.id, { aws: scalableMonthly(x.sized.aws, planWorkloads[i].cost.aws), gcp: scalableMonthly(x.sized.gcp, planWorkloads[i].cost.gcp) }]));
  const scenarioTotal = (p: Provider, f: (w: PlanWorkload) => number) => ({
    monthlyUsd: round(planWorkloads.reduce((s2, w) => s2 + f(w), 0) + sharedCost[p].monthlyUsd, 2),
    complete: totals[p].complete,
  });
  const scenarios: ScenarioTotals[] = [
    { name: 'baseline', description: 'replicas at their minimum, all month', totals: { aws: scenarioTotal('aws', (w) => w.cost.aws.monthlyUsd), gcp: scenarioTotal('gcp', (w) => w.cost.gcp.monthlyUsd) } },
    { name: 'peak', description: "each workload's own peak (autoscaling bounds or .migration.yaml) for its peak hours", totals: { aws: scenarioTotal('aws', (w) => w.peak.aws.monthlyUsd), gcp: scenarioTotal('gcp', (w) => w.peak.gcp.monthlyUsd) } },
    ...config.scenarios.extra.map((e) => ({
      name: e.name,
      description: `${e.multiplier}× traffic for ${e.hoursPerMonth} h a month on every workload that scales`,
      totals: {
        aws: scenarioTotal('aws', (w) => withPeak(w.cost.aws.monthlyUsd, scalable.get(w.id)?.aws ?? 0, e.multiplier, e.hoursPerMonth)),
        gcp: scenarioTotal('gcp', (w) => withPeak(w.cost.gcp.monthlyUsd, scalable.get(w.id)?.gcp ?? 0, e.multiplier, e.hoursPerMonth)),
      },
    })),
  ];
  const allCosts = (p: Provider): Cost[] => [...planWorkloads.map((w) => w.cost[p]), sharedCost[p]];
  const commitments = { aws: commitmentTotals(allCosts('aws'), 'aws', regions.aws, snap), gcp: commitmentTotals(allCosts('gcp'), 'gcp', regions.gcp, snap) };

  // On-premises baseline: declared costs, and energy from the inventory's servers.
  let onPrem: OnPremBaseline | undefined;
  const withOnPrem = classified.filter((x) => x.w.resources.onPremMonthlyUsd);
  if (withOnPrem.length > 0 || config.onPrem.monthlyUsd !== undefined) {
    const op = COEFFICIENTS.onPrem;
    const pue = config.onPrem.pue ?? round((op.pueLow + op.pueHigh) / 2, 2);
    const basis = [
      `PUE ${pue} (${config.onPrem.pue !== undefined ? '.migration.yaml' : `midpoint of the ${op.pueLow}–${op.pueHigh} range: ${op.pueSource}`})`,
      'server power: the per-vCPU coefficients for an unknown CPU (Cloud Carbon Footprint, AWS) stand for a generic server',
    ];
    let vcpuHours = 0;
    let memGbHours = 0;
    let storageTbHours = 0;
    let utilWeighted = 0;
    for (const x of classified) {
      const r = x.w.resources;
      if (!x.w.traits.some((t) => t.name === 'runtime' && t.value === 'inventory') || !r.cpu) continue;
      const n = r.replicas?.value ?? 1;
      const vh = r.cpu.value * n * HOURS;
      vcpuHours += vh;
      memGbHours += ((r.memoryMiB?.value ?? 0) / 1024) * n * HOURS;
      storageTbHours += ((r.storageGiB?.value ?? 0) / 1024) * HOURS;
      utilWeighted += vh * (r.utilisation?.value ?? config.onPrem.utilisation ?? op.averageUtilisation);
    }
    const utilisation = vcpuHours > 0 ? utilWeighted / vcpuHours : config.onPrem.utilisation ?? op.averageUtilisation;
    basis.push(`utilisation ${round(utilisation, 3)} (inventory, else ${config.onPrem.utilisation !== undefined ? '.migration.yaml' : `${op.averageUtilisation}: ${op.utilisationSource}`})`);
    const energy = estimateOnPremCarbon({ vcpuHours, memGbHours, storageTbHours, utilisation, pue, gridKgPerKwh: config.onPrem.gridKgCo2ePerKwh });
    if (config.onPrem.gridKgCo2ePerKwh !== undefined) basis.push(`grid ${config.onPrem.gridKgCo2ePerKwh} kg CO2e/kWh (.migration.yaml)`);
    const ids = new Set(withOnPrem.map((x) => x.w.id));
    const cloudOf = (p: Provider) => {
      const ws = planWorkloads.filter((w) => ids.has(w.id));
      return { monthlyUsd: round(ws.reduce((s2, w) => s2 + w.cost[p].monthlyUsd, 0), 2), complete: ws.every((w) => w.cost[p].complete) };
    };
    onPrem = {
      monthlyUsd: round(withOnPrem.reduce((s2, x) => s2 + (x.w.resources.onPremMonthlyUsd?.value ?? 0), 0) + (config.onPrem.monthlyUsd ?? 0), 2),
      workloads: withOnPrem.map((x) => x.w.id),
      cloud: { aws: cloudOf('aws'), gcp: cloudOf('gcp') },
      kwhPerMonth: vcpuHours > 0 ? energy.kwhPerMonth : null,
      kgCo2ePerMonth: vcpuHours > 0 ? energy.kgCo2ePerMonth : null,
      ...(vcpuHours === 0 ? { reason: 'the inventory declares no vCPUs to estimate energy from' } : energy.reason ? { reason: energy.reason } : {}),
      basis,
    };
  }

  // Region what-if: the same plan priced and estimated in other regions, side by side.
  const regionWhatIf: RegionWhatIf[] = [];
  const pairs = [regions, ...(opts.whatIfRegions ?? []).slice(0, 3).map((r) => ({ aws: r.aws ?? regions.aws, gcp: r.gcp ?? regions.gcp }))];
  if (pairs.length > 1) {
    for (const pair of pairs) {
      const uncovered = PROVIDERS.filter((p) => source.name === 'snapshot' && !snap.regions(p).includes(pair[p]));
      if (uncovered.length) {
        diagnostics.push({ file: '.', line: 1, column: 1, severity: 'warning', code: 'region-not-covered', message: `Region what-if ${pair.aws} / ${pair.gcp}: the price snapshot has no prices for ${uncovered.map((p) => `${p} ${pair[p]}`).join(' and ')}; left out.` });
        continue;
      }
      const q = pair === regions ? answers : (await quoteAt(pair)).answers;
      const tot = (p: Provider) => totalOf([...classified.map((x) => costOf(x.sized[p], p, pair[p], q)), costLines(shared[p], p, pair[p], q)]);
      regionWhatIf.push({ regions: { ...pair }, totals: { aws: tot('aws'), gcp: tot('gcp') }, carbon: { aws: carbonAt(totalFootprint('aws'), 'aws', pair.aws), gcp: carbonAt(totalFootprint('gcp'), 'gcp', pair.gcp) } });
    }
  }

  // Price sources actually used, for the plan's "where the numbers come from".
  const used = new Map<string, PriceSourceEntry>();
  let live = 0;
  let snapshotCount = 0;
  for (const r of sortedRequests) {
    const a = answers.get(requestKey(r));
    if (!isQuote(a)) continue;
    if (a.source === 'live') live++;
    else snapshotCount++;
    used.set(requestKey(r), { provider: r.provider, region: r.region, key: r.key, source: a.source, asOf: a.asOf, origin: a.origin });
  }
  const waveList = [...new Set([...waves.values()].filter((x): x is number => x !== null))].sort((a, b) => a - b).map((n) => ({
    wave: n,
    workloads: planWorkloads.filter((w) => w.wave === n).map((w) => w.id),
  }));
  const pricingSource: Plan['pricing']['source'] = live > 0 && snapshotCount > 0 ? 'mixed' : live > 0 ? 'live' : 'snapshot';
  const asOfs = [...used.values()].map((u) => u.asOf).sort();

  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    root: rootName,
    regions,
    summary: {
      workloads: planWorkloads.length,
      byStrategy: strategyCounts(planWorkloads),
      effort: planWorkloads.reduce((s, w) => s + w.effort, 0),
      blockers: planWorkloads.reduce((s, w) => s + w.blockers.length, 0),
    },
    totals: { ...totals, carbon: totalCarbon },
    scenarios,
    commitments,
    ...(onPrem ? { onPrem } : {}),
    regionWhatIf,
    shared: sharedCost,
    pricing: {
      source: pricingSource,
      asOf: pricingSource === 'snapshot' ? snap.asOf : asOfs[asOfs.length - 1] ?? snap.asOf,
      oldestAsOf: asOfs[0] ?? snap.oldestAsOf,
      notices: [...source.notices()].sort(),
      sources: [...used.values()],
    },
    assumptions: [...assumptionsFor(config, regions), ...config.notes],
    diagnostics: sortDiagnostics(diagnostics),
    waves: waveList,
    workloads: planWorkloads,
    notPlanned: model.notPlanned.map((n) => ({ name: n.name, reason: n.reason, message: n.message, sources: n.sources.map((s) => ({ file: s.file, line: s.line })) })),
    variants: model.variantFiles,
  };
}

/** Assess a directory once (the CLI's entry point). */
export async function assess(root: string, opts: AssessOptions = {}, assessor: AssessorOptions = {}): Promise<Plan> {
  return new Assessor(root, assessor).assess(opts);
}
