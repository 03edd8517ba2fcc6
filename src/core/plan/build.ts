import picomatch from 'picomatch';
import { addFootprints, COEFFICIENTS, estimateCarbon, estimateOnPremCarbon, footprintOf, type CarbonEstimate, type Footprint } from './carbon';
import { classify } from '../classify';
import { commitmentTotals, peakParams, scalableMonthly, withPeak } from './scenarios';
import { CONFIG_FILE, type Config } from '../parse/config';
import { buildModel, type Model } from '../model';
import type { ComposeInclude, K8sAux } from '../parse/common';
import { cheaperOf, comparableOf, computeWaves, PLAN_SCHEMA_VERSION, strategyCounts, totalOf, type OnPremBaseline, type Plan, type PlanWorkload, type PriceSourceEntry, type ProviderTotal, type RegionWhatIf, type ScenarioTotals } from '.';
import { costLines, costOf, isQuote, requestKey, SnapshotPriceSource, type PriceAnswer, type PriceRequest, type PriceSource } from '../price';
import { effectiveRules, type Rule } from '../classify/rules';
import { HOURS, isFractionalWorker, servesHttp, sizeTarget, sizingModelOf, TARGET_CLASSES, type SizedTarget, type Usage } from '../target/size';
import { bundledSnapshot, type Snapshot } from '../price/snapshot';
import type { Classification, Cost, Diagnostic, PartialWorkload, Provider, Workload } from '../types';
import { round } from '../units';
import { PROVIDERS } from '../types';

export const TOOL_NAME = 'cloud-migration-planner';
export const TOOL_VERSION = '0.1.0';
export const DEFAULT_REGIONS = { aws: 'us-east-1', gcp: 'us-central1' } as const;

type Regions = { aws: string; gcp: string };
type PerProvider<T> = Record<Provider, T>;

/** What planning needs beyond the parsed workloads. */
export interface PlanOptions {
  /** Other region pairs to price and estimate side by side (at most three). */
  whatIfRegions?: { aws?: string; gcp?: string }[];
  regions?: { aws?: string; gcp?: string };
  priceSource?: PriceSource;
  snapshot?: Snapshot;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  /** Compose files that other compose files `include` (from the parse results): part of the includer's deployment. */
  composeIncludes?: ComposeInclude[];
}

/** One workload once classified and sized for both providers. */
interface Classified {
  w: Workload;
  c: Classification;
  sized: PerProvider<SizedTarget | undefined>;
}

type Quoter = (at: Regions) => Promise<{ answers: Map<string, PriceAnswer>; requests: PriceRequest[] }>;

/** What the pricing stage hands to the plan: answers, the shared lines and each workload's footprint. */
interface Priced {
  regions: Regions;
  answers: Map<string, PriceAnswer>;
  requests: PriceRequest[];
  shared: PerProvider<Usage[]>;
  quoteAt: Quoter;
  footprints: Map<string, PerProvider<Footprint>>;
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

export function assumptionsFor(config: Config, regions: Regions): string[] {
  const s = config.sizing;
  return [
    `Monthly costs are on-demand list prices in USD for ${HOURS} hours a month in ${regions.aws} (AWS) and ${regions.gcp} (GCP), before free tiers, discounts and taxes.`,
    `Sizes add ${Math.round(s.headroom * 100)}% headroom to what the descriptors request; where a descriptor states nothing, a replica gets ${s.defaultCpu} vCPU and ${s.defaultMemoryMiB} MiB and a workload gets 1 replica (autoscaled workloads are priced at their minimum).`,
    'Serverless containers run always on: ECS Fargate tasks = replicas; Cloud Run with instance-based billing and minimum instances = replicas.',
    'Kubernetes workloads are priced as their share of general-purpose nodes (m6i.large on EKS, e2-standard-2 on GKE), plus one cluster fee per provider.',
    `Functions: ${s.functionInvocationsPerMonth.toLocaleString('en-US')} invocations a month of ${s.functionDurationMs} ms each unless configured (sizing.functionInvocationsPerMonth, sizing.functionDurationMs); Cloud Functions at 1st gen prices.`,
    `Scheduled jobs run ${s.jobMinutesPerRun} minutes per run; runs per month come from the schedule (daily when it cannot be read).`,
    `Databases without declared size get 2 vCPU / 4 GiB, single zone; caches 1 GiB. Databases get ${s.databaseStorageGiB} GiB of storage unless declared. NoSQL tables: ${s.nosqlReadsPerMonth.toLocaleString('en-US')} reads and ${s.nosqlWritesPerMonth.toLocaleString('en-US')} writes a month; queues: ${s.messagesPerMonth.toLocaleString('en-US')} messages of ${s.messageKiB} KiB; logging: ${s.logGiBPerMonth} GiB a month; static sites: ${s.staticSiteGiB} GiB of files, ${s.staticEgressGiBPerMonth} GiB served a month (sizing.* in .migration.yaml).`,
    'One Application Load Balancer (1 LCU) fronts the HTTP services on Fargate and one the EKS ingress; a GKE ingress gets one forwarding rule; Cloud Run needs none. NAT gateways, data transfer, backups, monitoring and support plans are not included.',
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
  opts: PlanOptions,
): Promise<Plan> {
  const snap = opts.snapshot ?? bundledSnapshot();
  const regions = {
    aws: opts.regions?.aws ?? config.regions.aws ?? DEFAULT_REGIONS.aws,
    gcp: opts.regions?.gcp ?? config.regions.gcp ?? DEFAULT_REGIONS.gcp,
  };
  opts.onProgress?.('Building the workload model');
  const model = modelOf(partials, aux, crdDirs, diagnostics, config, opts.composeIncludes);
  opts.onProgress?.(`Classifying ${model.workloads.length} workload${model.workloads.length === 1 ? '' : 's'}`);
  const classified = classifyAndSize(model.workloads, { ...config, rules: knownTargetsOnly(config.rules, diagnostics) }, snap);
  const source = opts.priceSource ?? new SnapshotPriceSource(snap);
  const priced = await priceAll(classified, regions, source, snap, diagnostics, opts);
  opts.onProgress?.('Costing, carbon and scenarios');
  const ids = new Map(classified.map((x) => [x.w.id, x]));
  const waves = computeWaves(
    classified.map((x) => ({ id: x.w.id, dependsOn: x.w.dependsOn.map((d) => d.value), strategy: x.c.strategy })),
    diagnostics,
    (id) => ids.get(id)?.w.sources[0] ?? { file: '.', line: 1 },
  );
  noteCrossSiteDependencies(classified, ids);
  const planWorkloads = classified.map((x) => planWorkloadOf(x, priced, waves, config, snap));
  const sharedCost = { aws: costLines(priced.shared.aws, 'aws', regions.aws, priced.answers), gcp: costLines(priced.shared.gcp, 'gcp', regions.gcp, priced.answers) };
  const totals = {
    aws: totalOf([...planWorkloads.map((w) => w.cost.aws), sharedCost.aws]),
    gcp: totalOf([...planWorkloads.map((w) => w.cost.gcp), sharedCost.gcp]),
    cheaper: null as Provider | 'same' | null,
    comparable: comparableOf(planWorkloads, comparableShared(planWorkloads, priced)),
  };
  totals.cheaper = cheaperOf(totals.aws, totals.gcp);
  const totalCarbon = { aws: totalCarbonAt(priced, 'aws', regions.aws, snap), gcp: totalCarbonAt(priced, 'gcp', regions.gcp, snap) };
  const allCosts = (p: Provider): Cost[] => [...planWorkloads.map((w) => w.cost[p]), sharedCost[p]];
  const onPrem = onPremBaseline(classified, planWorkloads, config);
  const regionWhatIf = await regionWhatIfs(classified, priced, source, snap, diagnostics, opts);
  const pricing = pricingSummary(priced, source, snap);
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
    scenarios: scenariosOf(classified, planWorkloads, sharedCost, totals, config),
    commitments: { aws: commitmentTotals(allCosts('aws'), 'aws', regions.aws, snap), gcp: commitmentTotals(allCosts('gcp'), 'gcp', regions.gcp, snap) },
    ...(onPrem ? { onPrem } : {}),
    regionWhatIf,
    shared: sharedCost,
    pricing,
    assumptions: [...assumptionsFor(config, regions), ...config.notes],
    diagnostics: sortDiagnostics(diagnostics),
    waves: waveListOf(planWorkloads),
    workloads: planWorkloads,
    notPlanned: model.notPlanned.map((n) => ({ name: n.name, reason: n.reason, message: n.message, sources: n.sources.map((s) => ({ file: s.file, line: s.line })) })),
    variants: model.variantFiles,
  };
}

/** The workload model, with a warning when there is nothing to plan and for overrides naming nothing. */
function modelOf(partials: PartialWorkload[], aux: K8sAux[], crdDirs: string[], diagnostics: Diagnostic[], config: Config, composeIncludes?: ComposeInclude[]): Model {
  const model = buildModel(partials, aux, crdDirs, diagnostics, { primary: config.primary.length ? picomatch(config.primary, { dot: true }) : undefined, composeIncludes, composeProfiles: config.composeProfiles });
  const workloads = model.workloads;
  if (workloads.length === 0) {
    diagnostics.push({ file: '.', line: 1, column: 1, severity: 'warning', code: 'no-workloads', message: model.notPlanned.length ? `No workload to plan: ${model.notPlanned.length} descriptor${model.notPlanned.length === 1 ? ' was' : 's were'} found, none of them a deployable service (see "Not planned").` : 'No workload found: no deployment descriptor this planner reads (Dockerfile, compose, Kubernetes, Helm, Heroku, Cloud Foundry, Serverless, SAM, App Engine, Render, Fly.io, Kamal, Railway, App Platform, azure.yaml, ECS, Elastic Beanstalk, Copilot, App Runner, Netlify, Platform.sh, migration-inventory.yaml), or none that could be read (see the other diagnostics).' });
  }
  // A `primary` glob that picks no descriptor (a typo, a moved folder) would leave the planner's guess in place unnoticed.
  const described = [...new Set(partials.map((p) => p.source.file))];
  const unmatched = config.primary.map((glob, i) => ({ glob, i })).filter(({ glob }) => !described.some((f) => picomatch.isMatch(f, glob, { dot: true })));
  for (const { glob, i } of unmatched) {
    const where = config.primaryAt?.[i] ?? { file: CONFIG_FILE, line: 1 };
    const none = unmatched.length === config.primary.length;
    diagnostics.push({ ...where, column: where.column ?? 1, severity: 'warning', code: 'config-primary-unmatched', message: `primary: "${glob}" matches no descriptor in the repository${none ? '; with none matched, every descriptor is planned as the deployment' : ''}.` });
  }
  for (const [name, ov] of config.overrides) {
    if (!workloads.some((w) => w.name === name || w.id === name)) {
      diagnostics.push({ ...ov.source, column: ov.source.column ?? 1, severity: 'warning', code: 'override-unknown-workload', message: `Override for "${name}": no workload has that name.` });
    }
  }
  return model;
}

/**
 * A repository rule may only name target classes the planner sizes: an unknown one (a typo, or
 * `constructor`) is reported at the rule and left out of it; the rest of the rule still applies.
 */
function knownTargetsOnly(rules: Rule[], diagnostics: Diagnostic[]): Rule[] {
  const known = (t: string) => TARGET_CLASSES[t] !== undefined;
  return rules.map((r) => {
    const unknown = [r.then.target, ...(r.then.forbid ?? [])].filter((t): t is string => typeof t === 'string' && !known(t));
    if (unknown.length === 0) return r;
    const where = r.origin ?? { file: CONFIG_FILE, line: 1 };
    diagnostics.push({ file: where.file, line: where.line, column: 1, severity: 'warning', code: 'config-unknown-target', message: `Rule ${r.id} names the target class ${[...new Set(unknown)].map((t) => `"${t}"`).join(', ')}, which this planner does not know (${Object.keys(TARGET_CLASSES).sort().join(', ')}); that part of the rule is ignored.` });
    const then = { ...r.then, forbid: r.then.forbid?.filter(known) };
    if (then.target !== undefined && !known(then.target)) delete then.target;
    return { ...r, then };
  });
}

function classifyAndSize(workloads: Workload[], config: Config, snap: Snapshot): Classified[] {
  const rules = effectiveRules(config.rules, config.disableRules);
  const classified = workloads.map((w) => ({ w, c: classify(w, { rules, overrides: config.overrides, suppressions: config.suppressions }) }));
  const gcpSizing = { ...config.sizing, smallWorkersOnGcp: smallWorkersOnGcp(classified, config), selfManagedOnGcp: selfManagedOnGcp(classified) };
  return classified.map(({ w, c }) => ({ w, c, sized: { aws: sizeTarget(w, c.targetClass, 'aws', snap, config.sizing), gcp: sizeTarget(w, c.targetClass, 'gcp', snap, gcpSizing) } }));
}

/** Self-managed services (search) join the plan's GKE cluster when it has one, else run on VMs. */
function selfManagedOnGcp(classified: Array<{ w: Workload; c: Classification }>): 'gke' | 'vm' {
  const onGke = classified.some(({ c }) => TARGET_CLASSES[c.targetClass]?.gcp.service === 'gcp.gke' && !isSelfManagedClass(c.targetClass));
  return onGke ? 'gke' : 'vm';
}

/** A target class whose GCP side is a self-managed copy of an AWS managed service (search on GKE). */
function isSelfManagedClass(targetClass: string): boolean {
  const def = TARGET_CLASSES[targetClass];
  return def !== undefined && def.gcp.service === 'gcp.gke' && def.aws.service !== 'aws.eks';
}

/**
 * Where the always-on workers below 1 vCPU run on GCP. Cloud Run bills them by instance, from a whole
 * vCPU up (about five times a 0.25 vCPU Fargate task); GKE Autopilot bills a fraction of a vCPU, like
 * Fargate, plus one cluster fee. With two or more such workers Autopilot costs less, so they go there.
 */
function smallWorkersOnGcp(classified: Array<{ w: Workload; c: Classification }>, config: Config): 'cloud-run' | 'gke-autopilot' {
  let n = 0;
  for (const { w, c } of classified) {
    const def = TARGET_CLASSES[c.targetClass];
    if (def?.gcp.service === 'gcp.cloud-run' && sizingModelOf(def, 'gcp') === 'container' && isFractionalWorker(w, config.sizing)) n++;
    if (n >= 2) return 'gke-autopilot';
  }
  return 'cloud-run';
}

/** A service that answers HTTP from outside: an ingress or route, or a service with ports that is not a datastore. */
function isHttpEntry(w: Workload): boolean {
  return w.traits.some((t) => t.name === 'ingress') || servesHttp(w);
}

/**
 * One Application Load Balancer in front of the HTTP services on Fargate (listener rules route to
 * each service), and one for EKS ingress; one LCU each, the minimum billed. Cloud Run serves HTTPS
 * itself and needs none.
 */
function entryLoadBalancers(serves: string[], label: string): Usage[] {
  if (serves.length === 0) return [];
  return [
    { resource: `Application Load Balancer (${label})`, quantity: HOURS, unit: 'hour', priceKey: 'elb/alb/hour', serves },
    { resource: `ALB capacity units (${label}, 1 LCU)`, quantity: 1, unit: 'lcu-month', priceKey: 'elb/alb/lcu-month', serves },
  ];
}

/**
 * The shared lines that belong in the like-for-like comparison: those whose every served workload is
 * priced in full on both clouds (an ALB in front of a service left out of the comparison is left out too).
 */
function comparableShared(workloads: PlanWorkload[], priced: Priced): PerProvider<Cost> {
  const both = new Set(workloads.filter((w) => w.cost.aws.complete && w.cost.gcp.complete).map((w) => w.id));
  const keep = (u: Usage) => (u.serves ?? []).every((id) => both.has(id));
  return { aws: costLines(priced.shared.aws.filter(keep), 'aws', priced.regions.aws, priced.answers), gcp: costLines(priced.shared.gcp.filter(keep), 'gcp', priced.regions.gcp, priced.answers) };
}

/** Costs shared by several workloads: one cluster per provider when anything runs on Kubernetes. */
function sharedUsage(classified: Classified[]): PerProvider<Usage[]> {
  const shared: PerProvider<Usage[]> = { aws: [], gcp: [] };
  const on = (p: Provider, service: string, http = false) => classified.filter((x) => x.sized[p]?.service === service && (!http || isHttpEntry(x.w))).map((x) => x.w.id);
  const eks = on('aws', 'aws.eks');
  const gke = on('gcp', 'gcp.gke');
  if (eks.length) shared.aws.push({ resource: 'EKS cluster control plane (standard support)', quantity: HOURS, unit: 'cluster-hour', priceKey: 'eks/cluster-hour/standard', serves: eks });
  if (gke.length) shared.gcp.push({ resource: 'GKE cluster management fee', quantity: HOURS, unit: 'cluster-hour', priceKey: 'gke/cluster-hour', serves: gke });
  const autopilot = on('gcp', 'gcp.gke-autopilot');
  if (autopilot.length) shared.gcp.push({ resource: 'GKE Autopilot cluster management fee', quantity: HOURS, unit: 'cluster-hour', priceKey: 'gke-autopilot/cluster-hour', serves: autopilot });
  shared.aws.push(...entryLoadBalancers(on('aws', 'aws.ecs-fargate', true), 'ECS services'), ...entryLoadBalancers(on('aws', 'aws.eks', true), 'EKS ingress'));
  const gkeHttp = on('gcp', 'gcp.gke', true);
  if (gkeHttp.length) shared.gcp.push({ resource: 'Load balancer forwarding rule (GKE Ingress)', quantity: HOURS, unit: 'hour', priceKey: 'lb/forwarding-rule/hour', serves: gkeHttp });
  return shared;
}

/** One request per distinct price: the live source shares them, the snapshot answers at once. A failing source falls back to the snapshot. */
function quoterFor(classified: Classified[], shared: PerProvider<Usage[]>, source: PriceSource, snap: Snapshot, diagnostics: Diagnostic[], opts: PlanOptions): Quoter {
  return async (at) => {
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
}

/**
 * A warning per provider whose region lacks prices that the bundled data has elsewhere (or has no
 * prices at all): the plan is then partly unpriced, and --fail-on warning stops CI.
 */
function regionGaps(requests: PriceRequest[], answers: Map<string, PriceAnswer>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const p of PROVIDERS) {
    const mine = requests.filter((r) => r.provider === p);
    const gaps = mine.filter((r) => {
      const a = answers.get(requestKey(r));
      return !isQuote(a) && /\bfor \S+ \(it has one for|no prices for region/.test(a?.missing ?? '');
    });
    if (gaps.length === 0) continue;
    const region = gaps[0].region;
    const services = [...new Set(gaps.map((r) => r.key.split('/')[0]))].sort();
    out.push({
      file: '.',
      line: 1,
      column: 1,
      severity: 'warning',
      code: 'pricing-region',
      message: `${p === 'aws' ? 'AWS' : 'GCP'} region ${region}: the bundled price data has no price here for ${gaps.length} of the plan's ${mine.length} distinct prices (${services.join(', ')}); those lines are not priced. Price live (--pricing live) or choose a region the data covers (migration-planner --help lists them).`,
    });
  }
  return out;
}

async function priceAll(classified: Classified[], regions: Regions, source: PriceSource, snap: Snapshot, diagnostics: Diagnostic[], opts: PlanOptions): Promise<Priced> {
  const shared = sharedUsage(classified);
  const quoteAt = quoterFor(classified, shared, source, snap, diagnostics, opts);
  const { answers, requests } = await quoteAt(regions);
  diagnostics.push(...regionGaps(requests, answers));
  const footprints = new Map(classified.map((x) => [x.w.id, { aws: footprintOf(x.sized.aws, 'aws', snap), gcp: footprintOf(x.sized.gcp, 'gcp', snap) }]));
  return { regions, answers, requests, shared, quoteAt, footprints };
}

function totalCarbonAt(priced: Priced, p: Provider, region: string, snap: Snapshot): CarbonEstimate {
  let total: Footprint = { vcpuHours: 0, memGbHours: 0, ssdTbHours: 0, hddTbHours: 0, byFamily: {}, unknown: [] };
  for (const f of priced.footprints.values()) total = addFootprints(total, f[p]);
  return estimateCarbon(total, p, region, snap);
}

/** A workload that moves while something it calls stays behind needs a link between the two sites. */
function noteCrossSiteDependencies(classified: Classified[], ids: Map<string, Classified>): void {
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
}

function planWorkloadOf({ w, c, sized }: Classified, priced: Priced, waves: Map<string, number | null>, config: Config, snap: Snapshot): PlanWorkload {
  const { regions, answers } = priced;
  const cost = { aws: costOf(sized.aws, 'aws', regions.aws, answers), gcp: costOf(sized.gcp, 'gcp', regions.gcp, answers) };
  const pk = peakParams(w, config);
  const fp = priced.footprints.get(w.id) as PerProvider<Footprint>;
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
    carbon: { aws: estimateCarbon(fp.aws, 'aws', regions.aws, snap), gcp: estimateCarbon(fp.gcp, 'gcp', regions.gcp, snap) },
    ...(w.resources.onPremMonthlyUsd ? { onPremMonthlyUsd: w.resources.onPremMonthlyUsd.value } : {}),
  };
}

/** Baseline, each workload's peak, and repository-wide what-ifs from the config. */
function scenariosOf(classified: Classified[], planWorkloads: PlanWorkload[], sharedCost: PerProvider<Cost>, totals: PerProvider<ProviderTotal>, config: Config): ScenarioTotals[] {
  const scalable = new Map(classified.map((x, i) => [x.w.id, { aws: scalableMonthly(x.sized.aws, planWorkloads[i].cost.aws), gcp: scalableMonthly(x.sized.gcp, planWorkloads[i].cost.gcp) }]));
  const scenarioTotal = (p: Provider, f: (w: PlanWorkload) => number) => ({
    monthlyUsd: round(planWorkloads.reduce((s2, w) => s2 + f(w), 0) + sharedCost[p].monthlyUsd, 2),
    complete: totals[p].complete,
  });
  return [
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
}

/** vCPU-, memory- and storage-hours the inventory declares, with the utilisation weighted by vCPU-hours. */
function inventoryUsage(classified: Classified[], config: Config): { vcpuHours: number; memGbHours: number; storageTbHours: number; utilisation: number } {
  const op = COEFFICIENTS.onPrem;
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
  return { vcpuHours, memGbHours, storageTbHours, utilisation };
}

/** On-premises baseline: declared costs, and energy from the inventory's servers. */
function onPremBaseline(classified: Classified[], planWorkloads: PlanWorkload[], config: Config): OnPremBaseline | undefined {
  const withOnPrem = classified.filter((x) => x.w.resources.onPremMonthlyUsd);
  if (withOnPrem.length === 0 && config.onPrem.monthlyUsd === undefined) return undefined;
  const op = COEFFICIENTS.onPrem;
  const pue = config.onPrem.pue ?? round((op.pueLow + op.pueHigh) / 2, 2);
  const basis = [
    `PUE ${pue} (${config.onPrem.pue !== undefined ? '.migration.yaml' : `midpoint of the ${op.pueLow}–${op.pueHigh} range: ${op.pueSource}`})`,
    'server power: the per-vCPU coefficients for an unknown CPU (Cloud Carbon Footprint, AWS) stand for a generic server',
  ];
  const { vcpuHours, memGbHours, storageTbHours, utilisation } = inventoryUsage(classified, config);
  basis.push(`utilisation ${round(utilisation, 3)} (inventory, else ${config.onPrem.utilisation !== undefined ? '.migration.yaml' : `${op.averageUtilisation}: ${op.utilisationSource}`})`);
  const energy = estimateOnPremCarbon({ vcpuHours, memGbHours, storageTbHours, utilisation, pue, gridKgPerKwh: config.onPrem.gridKgCo2ePerKwh });
  if (config.onPrem.gridKgCo2ePerKwh !== undefined) basis.push(`grid ${config.onPrem.gridKgCo2ePerKwh} kg CO2e/kWh (.migration.yaml)`);
  const ids = new Set(withOnPrem.map((x) => x.w.id));
  const cloudOf = (p: Provider) => {
    const ws = planWorkloads.filter((w) => ids.has(w.id));
    return { monthlyUsd: round(ws.reduce((s2, w) => s2 + w.cost[p].monthlyUsd, 0), 2), complete: ws.every((w) => w.cost[p].complete) };
  };
  return {
    monthlyUsd: round(withOnPrem.reduce((s2, x) => s2 + (x.w.resources.onPremMonthlyUsd?.value ?? 0), 0) + (config.onPrem.monthlyUsd ?? 0), 2),
    workloads: withOnPrem.map((x) => x.w.id),
    cloud: { aws: cloudOf('aws'), gcp: cloudOf('gcp') },
    kwhPerMonth: vcpuHours > 0 ? energy.kwhPerMonth : null,
    kgCo2ePerMonth: vcpuHours > 0 ? energy.kgCo2ePerMonth : null,
    ...(vcpuHours === 0 ? { reason: 'the inventory declares no vCPUs to estimate energy from' } : energy.reason ? { reason: energy.reason } : {}),
    basis,
  };
}

/** Region what-if: the same plan priced and estimated in other regions, side by side. */
async function regionWhatIfs(classified: Classified[], priced: Priced, source: PriceSource, snap: Snapshot, diagnostics: Diagnostic[], opts: PlanOptions): Promise<RegionWhatIf[]> {
  const { regions } = priced;
  const out: RegionWhatIf[] = [];
  const pairs = [regions, ...(opts.whatIfRegions ?? []).slice(0, 3).map((r) => ({ aws: r.aws ?? regions.aws, gcp: r.gcp ?? regions.gcp }))];
  if (pairs.length <= 1) return out;
  for (const pair of pairs) {
    const uncovered = PROVIDERS.filter((p) => source.name === 'snapshot' && !snap.regions(p).includes(pair[p]));
    if (uncovered.length) {
      diagnostics.push({ file: '.', line: 1, column: 1, severity: 'warning', code: 'region-not-covered', message: `Region what-if ${pair.aws} / ${pair.gcp}: the price snapshot has no prices for ${uncovered.map((p) => `${p} ${pair[p]}`).join(' and ')}; left out.` });
      continue;
    }
    const q = pair === regions ? priced.answers : (await priced.quoteAt(pair)).answers;
    const tot = (p: Provider) => totalOf([...classified.map((x) => costOf(x.sized[p], p, pair[p], q)), costLines(priced.shared[p], p, pair[p], q)]);
    out.push({ regions: { ...pair }, totals: { aws: tot('aws'), gcp: tot('gcp') }, carbon: { aws: totalCarbonAt(priced, 'aws', pair.aws, snap), gcp: totalCarbonAt(priced, 'gcp', pair.gcp, snap) } });
  }
  return out;
}

/** Price sources actually used, for the plan's "where the numbers come from". */
function pricingSummary(priced: Priced, source: PriceSource, snap: Snapshot): Plan['pricing'] {
  const used = new Map<string, PriceSourceEntry>();
  let live = 0;
  let snapshotCount = 0;
  for (const r of priced.requests) {
    const a = priced.answers.get(requestKey(r));
    if (!isQuote(a)) continue;
    if (a.source === 'live') live++;
    else snapshotCount++;
    used.set(requestKey(r), { provider: r.provider, region: r.region, key: r.key, source: a.source, asOf: a.asOf, origin: a.origin, ...(a.confidence ? { confidence: a.confidence } : {}) });
  }
  const pricingSource: Plan['pricing']['source'] = live > 0 && snapshotCount > 0 ? 'mixed' : live > 0 ? 'live' : 'snapshot';
  const asOfs = [...used.values()].map((u) => u.asOf).filter((d) => /^\d/.test(d)).sort();
  return {
    source: pricingSource,
    asOf: pricingSource === 'snapshot' ? snap.asOf : asOfs[asOfs.length - 1] ?? snap.asOf,
    oldestAsOf: asOfs[0] ?? snap.oldestAsOf,
    notices: [...source.notices()].sort(),
    sources: [...used.values()],
  };
}

function waveListOf(planWorkloads: PlanWorkload[]): Plan['waves'] {
  const byWave = new Map<number, string[]>();
  for (const w of planWorkloads) if (w.wave !== null) (byWave.get(w.wave) ?? byWave.set(w.wave, []).get(w.wave) as string[]).push(w.id);
  return [...byWave.keys()].sort((a, b) => a - b).map((n) => ({ wave: n, workloads: byWave.get(n) as string[] }));
}
