import { compileRules, evaluateRule, rulesToTry, traitIndex, type Rule } from './rules';
import type { Classification, Evidence, SourceRef, Strategy, Trait, Workload } from '../types';
import { TARGET_CLASSES } from '../target/size';
import { round } from '../units';

export interface Override {
  strategy: Strategy;
  reason: string;
  source: SourceRef;
}

export interface Suppression {
  rule: string;
  workload?: string;
  reason: string;
  source: SourceRef;
}

export interface ClassifyOptions {
  rules: Rule[];
  overrides?: Map<string, Override>;
  suppressions?: Suppression[];
}

const DERIVED = new Set(['kind', 'ports.count', 'name', 'descriptor', 'runtime', 'image.repository']);
const BASE_EFFORT: Record<Strategy, number> = { rehost: 1, replatform: 2, rewrite: 8, retain: 0, retire: 1 };
export const EFFORT_SCALE = [1, 2, 3, 5, 8, 13, 21, 34];

/** Round effort points up to the planning-poker scale. */
export function effortBucket(points: number): number {
  if (points <= 0) return 0;
  return EFFORT_SCALE.find((b) => b >= points) ?? EFFORT_SCALE[EFFORT_SCALE.length - 1];
}

function fill(template: string, value: string, w: Workload, count: number): string {
  if (!template.includes('{')) return template;
  // A yes/no fact says nothing in brackets: "Keeps state on a volume" rather than "(true)".
  if (value === 'true' || value === 'false' || value === '') template = template.replace(/\s*\(\{value\}\)/g, '').replace(/\{value\}/g, w.name);
  // A value quoted from a descriptor is cut short: a finding names it, it does not copy a command line.
  const shown = value.length > 200 ? `${value.slice(0, 197)}…` : value;
  return template.replace(/\{value\}/g, () => shown).replace(/\{name\}/g, () => w.name).replace(/\{count\}/g, String(count));
}

/** How many different values the traits that are not derived carry. */
function distinctValues(hit: readonly Trait[]): number {
  return new Set(hit.filter((x) => !DERIVED.has(x.name)).map((x) => String(x.value))).size;
}

function primaryTrait(traits: readonly Trait[]): Trait | undefined {
  return traits.find((t) => !DERIVED.has(t.name)) ?? traits[0];
}

const VM_LIKE = new Set(['vm', 'windows-vm', 'gpu-vm']);

/** The cloud a workload already runs on: Serverless Framework or SAM on AWS, App Engine on GCP. */
function homeCloudOf(w: Workload): { provider: 'aws' | 'gcp'; why: string; source: SourceRef } | undefined {
  const sls = w.traits.find((t) => t.name === 'serverless.provider' && String(t.value).toLowerCase() === 'aws');
  const template = w.traits.find((t) => t.name === 'cfn.template');
  if (sls) return { provider: 'aws', why: template ? String(template.value) : 'Serverless Framework, provider aws', source: sls.source };
  const slsGoogle = w.traits.find((t) => t.name === 'serverless.provider' && String(t.value).toLowerCase() === 'google');
  if (slsGoogle) return { provider: 'gcp', why: 'Serverless Framework, provider google: Cloud Functions', source: slsGoogle.source };
  const run = w.traits.find((t) => t.name === 'gcp.cloud-run-service');
  if (run) return { provider: 'gcp', why: `a Cloud Run service (${String(run.value)})`, source: run.source };
  const gae = w.traits.find((t) => t.name === 'appengine.env');
  if (gae) return { provider: 'gcp', why: `App Engine ${String(gae.value)}`, source: gae.source };
  // ECS itself, or through Copilot or Elastic Beanstalk.
  const ecs = w.traits.find((t) => t.name === 'ecs.task-definition' || t.name === 'aws.copilot' || t.name === 'aws.beanstalk');
  if (ecs) return { provider: 'aws', why: String(ecs.value), source: ecs.source };
  return undefined;
}

/** What the rules found for one workload, before anything is decided. */
interface Findings {
  evidence: Evidence[];
  blockers: Evidence[];
  notes: string[];
  proposals: { ev: Evidence; strategy?: Strategy; target?: string; effort: number; blocker: boolean }[];
  tentative: { strategy: Strategy; weight: number; target?: string }[];
  candidates: { cls: string; priority: number; order: number }[];
  forbidden: Map<string, { rule: string; message: string }>;
}

/** The decision as it is made: the rules' choice, then test tooling, home cloud and the user's override. */
interface Decision {
  strategy: Strategy;
  targetClass: string;
  confidence: number;
  conflict?: string;
  home?: Classification['home'];
  override?: Classification['override'];
  allowed: { cls: string }[];
}

/**
 * Decide how a workload moves. Every matching rule leaves evidence; strategy votes are summed;
 * the highest-priority target class that no finding rules out wins. A user's override wins over
 * everything, and says so.
 */
export function classify(w: Workload, opts: ClassifyOptions): Classification {
  const f = applyRules(w, opts);
  const { targetClass, allowed, ruledOut } = chooseTarget(f);
  const d: Decision = { ...tallyVotes(f, targetClass), targetClass, allowed };
  applyTestOrHome(w, f, d);
  applyOverride(w, opts, f, d);
  return {
    strategy: d.strategy,
    ...(d.home ? { home: d.home } : {}),
    confidence: d.confidence,
    evidence: f.evidence,
    // What would block moving a workload does not block retiring it (its evidence still says why).
    blockers: d.strategy === 'retire' ? [] : f.blockers,
    effort: effortOf(f, d),
    targetClass: d.targetClass,
    ruledOut,
    conflict: d.conflict,
    override: d.override,
    notes: f.notes,
  };
}

function applyRules(w: Workload, opts: ClassifyOptions): Findings {
  const idx = traitIndex(w);
  const f: Findings = { evidence: [], blockers: [], notes: [], proposals: [], tentative: [], candidates: [], forbidden: new Map() };
  const set = compileRules(opts.rules);
  for (const i of rulesToTry(set, idx)) {
    const r = set.rules[i];
    const hit = evaluateRule(r, idx);
    if (hit) addFinding(f, r.rule, r.order, hit, w, opts);
  }
  return f;
}

/** What one rule that holds adds to the findings (nothing but a note when it is suppressed). */
function addFinding(f: Findings, rule: Rule, order: number, hit: readonly Trait[], w: Workload, opts: ClassifyOptions): void {
  const sup = opts.suppressions?.find((s) => s.rule === rule.id && (!s.workload || s.workload === w.name || s.workload === w.id));
  if (sup) {
    f.notes.push(`Finding ${rule.id} excluded: ${sup.reason}`);
    return;
  }
  const t = primaryTrait(hit);
  let message = fill(rule.then.message, t ? String(t.value) : '', w, hit.length);
  const others = hit.length > 1 ? distinctValues(hit) - 1 : 0;
  if (others > 0) message += ` (+${others} more)`;
  const src = t?.source ?? w.sources[0];
  const ev: Evidence = { rule: rule.id, message, file: src.file, line: src.line, severity: rule.then.severity ?? (rule.then.blocker ? 'error' : 'info') };
  f.evidence.push(ev);
  if (rule.then.blocker) f.blockers.push(ev);
  const e = rule.then;
  f.proposals.push({ ev, strategy: e.strategy, target: e.target, effort: e.effort ?? 0, blocker: !!e.blocker });
  if (e.strategy) f.tentative.push({ strategy: e.strategy, weight: e.weight ?? 0.5, target: e.target });
  if (e.target) f.candidates.push({ cls: e.target, priority: e.priority ?? 50, order });
  for (const x of e.forbid ?? []) if (!f.forbidden.has(x)) f.forbidden.set(x, { rule: rule.id, message });
  if (e.note && !f.notes.includes(e.note)) f.notes.push(e.note);
}

/** The highest-priority target class no finding rules out; a VM when none is left. */
function chooseTarget(f: Findings): { targetClass: string; allowed: { cls: string }[]; ruledOut: Classification['ruledOut'] } {
  f.candidates.sort((a, b) => b.priority - a.priority || a.order - b.order);
  const allowed = f.candidates.filter((c) => !f.forbidden.has(c.cls));
  let targetClass = allowed[0]?.cls;
  if (!targetClass) {
    targetClass = 'vm';
    f.notes.push(f.candidates.length > 0 ? 'Every proposed target was ruled out; a VM is the fallback.' : 'No rule proposed a target; a VM of the same size is the fallback.');
  }
  const ruledOut = [...new Set(f.candidates.map((c) => c.cls))]
    .filter((c) => f.forbidden.has(c))
    .map((c) => ({ targetClass: c, rule: (f.forbidden.get(c) as { rule: string }).rule, message: (f.forbidden.get(c) as { message: string }).message }));
  return { targetClass, allowed, ruledOut };
}

/** Strategy votes summed (a vote for a target another finding rules out does not count); confidence from the margin. */
function tallyVotes(f: Findings, targetClass: string): { strategy: Strategy; confidence: number; conflict?: string } {
  const votes = new Map<Strategy, number>();
  for (const t of f.tentative) if (!t.target || !f.forbidden.has(t.target)) votes.set(t.strategy, (votes.get(t.strategy) ?? 0) + t.weight);
  // Some target classes decide the strategy themselves (data/targets.yaml `strategy`): a workload
  // replaced by a managed service (ZooKeeper under managed Kafka, a Prometheus) is retired, and the
  // generic container votes against it are outweighed, not a conflict.
  const implied = TARGET_CLASSES[targetClass]?.strategy;
  if (implied) votes.set(implied, Math.max(0, ...votes.values()) + 1);
  const ranked = [...votes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const winner = ranked[0]?.[1] ?? 0;
  const second = ranked[1]?.[1] ?? 0;
  const total = ranked.reduce((s, [, v]) => s + v, 0);
  if (winner === 0) f.notes.push('No rule voted for a strategy: rehost is the default.');
  return {
    strategy: ranked[0]?.[0] ?? 'rehost',
    confidence: winner > 0 ? round((winner / total) * (0.5 + 0.5 * (1 - Math.exp(-winner))), 2) : 0.3,
    conflict: second > 0 && second >= 0.6 * winner ? `Evidence conflicts: ${ranked.map(([s, v]) => `${s} ${round(v, 2)}`).join(' vs ')}` : undefined,
  };
}

/** Test tooling is proposed for retirement; a workload already on one cloud is retained there. */
function applyTestOrHome(w: Workload, f: Findings, d: Decision): void {
  const test = w.traits.find((t) => t.name === 'nonprod.test');
  const homeCloud = homeCloudOf(w);
  if (test) {
    f.evidence.unshift({ rule: 'nonprod.test', message: `Test or operator tooling (${String(test.value)}): proposed for retirement and kept out of the totals; override its strategy in .migration.yaml to keep it`, file: test.source.file, line: test.source.line, severity: 'info' });
    d.strategy = 'retire';
    d.targetClass = 'none';
    d.confidence = 0.8;
    d.conflict = undefined;
  } else if (homeCloud) {
    d.home = homeCloud.provider;
    f.evidence.unshift({ rule: 'home-cloud', message: `Runs on ${homeCloud.provider === 'aws' ? 'AWS' : 'GCP'} today (${homeCloud.why}): retain it there; the ${homeCloud.provider === 'aws' ? 'GCP' : 'AWS'} column prices the move to the other cloud`, file: homeCloud.source.file, line: homeCloud.source.line, severity: 'info' });
    d.strategy = 'retain';
    d.conflict = undefined;
  }
}

/** The user's override in .migration.yaml wins, and the target class follows the strategy it sets. */
function applyOverride(w: Workload, opts: ClassifyOptions, f: Findings, d: Decision): void {
  const ov = opts.overrides?.get(w.name) ?? opts.overrides?.get(w.id);
  if (!ov) return;
  d.override = { strategy: ov.strategy, reason: ov.reason, file: ov.source.file, line: ov.source.line };
  const message = ov.strategy !== d.strategy ? `Strategy set to ${ov.strategy} (the rules said ${d.strategy}): ${ov.reason}` : `Strategy confirmed as ${ov.strategy}: ${ov.reason}`;
  f.evidence.unshift({ rule: 'override', message, file: ov.source.file, line: ov.source.line, severity: 'info' });
  d.strategy = ov.strategy;
  d.confidence = 1;
  d.conflict = undefined;
  d.home = undefined;
  const strategy = d.strategy;
  if (d.targetClass === 'none' && strategy !== 'retain' && strategy !== 'retire') d.targetClass = d.allowed[0]?.cls ?? 'vm';
  if (strategy === 'retain' || strategy === 'retire') d.targetClass = 'none';
  else if (strategy === 'rehost' && !VM_LIKE.has(d.targetClass)) d.targetClass = f.forbidden.has('vm') ? 'orchestrator' : 'vm';
  else if (strategy === 'replatform' && VM_LIKE.has(d.targetClass)) d.targetClass = f.forbidden.has('serverless-container') ? 'orchestrator' : 'serverless-container';
  else if (strategy === 'rewrite' && VM_LIKE.has(d.targetClass)) d.targetClass = 'rewrite-service';
}

/** Effort comes from the chosen path only; a rule whose strategy and target both lost was considered, not chosen. */
function effortOf(f: Findings, d: Decision): number {
  let effort = 0;
  for (const p of f.proposals) {
    const lost = !p.blocker && (p.strategy !== undefined || p.target !== undefined) && p.strategy !== d.strategy && p.target !== d.targetClass;
    if (lost) p.ev.considered = true;
    else effort += p.effort;
  }
  return effortBucket(BASE_EFFORT[d.strategy] + (d.strategy === 'retain' ? 0 : effort));
}
