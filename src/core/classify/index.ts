import { evaluate, traitIndex, type Rule } from './rules';
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
  // A yes/no fact says nothing in brackets: "Keeps state on a volume" rather than "(true)".
  if (value === 'true' || value === 'false' || value === '') template = template.replace(/\s*\(\{value\}\)/g, '').replace(/\{value\}/g, w.name);
  // A value quoted from a descriptor is cut short: a finding names it, it does not copy a command line.
  const shown = value.length > 200 ? `${value.slice(0, 197)}…` : value;
  return template.replace(/\{value\}/g, () => shown).replace(/\{name\}/g, () => w.name).replace(/\{count\}/g, String(count));
}

function primaryTrait(traits: Trait[]): Trait | undefined {
  return traits.find((t) => !DERIVED.has(t.name)) ?? traits[0];
}

const VM_LIKE = new Set(['vm', 'windows-vm', 'gpu-vm']);

/** The cloud a workload already runs on: Serverless Framework on AWS, App Engine on GCP. */
function homeCloudOf(w: Workload): { provider: 'aws' | 'gcp'; why: string; source: SourceRef } | undefined {
  const sls = w.traits.find((t) => t.name === 'serverless.provider' && String(t.value).toLowerCase() === 'aws');
  if (sls) return { provider: 'aws', why: 'Serverless Framework, provider aws', source: sls.source };
  const gae = w.traits.find((t) => t.name === 'appengine.env');
  if (gae) return { provider: 'gcp', why: `App Engine ${String(gae.value)}`, source: gae.source };
  return undefined;
}

/**
 * Decide how a workload moves. Every matching rule leaves evidence; strategy votes are summed;
 * the highest-priority target class that no finding rules out wins. A user's override wins over
 * everything, and says so.
 */
export function classify(w: Workload, opts: ClassifyOptions): Classification {
  const idx = traitIndex(w);
  const votes = new Map<Strategy, number>();
  const candidates: { cls: string; priority: number; order: number }[] = [];
  const forbidden = new Map<string, { rule: string; message: string }>();
  const evidence: Evidence[] = [];
  const blockers: Evidence[] = [];
  const notes: string[] = [];
  const proposals: { ev: Evidence; strategy?: Strategy; target?: string; effort: number; blocker: boolean }[] = [];
  const tentative: { strategy: Strategy; weight: number; target?: string }[] = [];
  opts.rules.forEach((rule, order) => {
    const hit = evaluate(rule.when, idx);
    if (!hit) return;
    const sup = opts.suppressions?.find((s) => s.rule === rule.id && (!s.workload || s.workload === w.name || s.workload === w.id));
    if (sup) {
      notes.push(`Finding ${rule.id} excluded: ${sup.reason}`);
      return;
    }
    const t = primaryTrait(hit);
    const values = [...new Set(hit.filter((x) => !DERIVED.has(x.name)).map((x) => String(x.value)))];
    const value = t ? String(t.value) : '';
    let message = fill(rule.then.message, value, w, hit.length);
    if (values.length > 1) message += ` (+${values.length - 1} more)`;
    const src = t?.source ?? w.sources[0];
    const ev: Evidence = {
      rule: rule.id,
      message,
      file: src.file,
      line: src.line,
      severity: rule.then.severity ?? (rule.then.blocker ? 'error' : 'info'),
    };
    evidence.push(ev);
    if (rule.then.blocker) blockers.push(ev);
    const e = rule.then;
    proposals.push({ ev, strategy: e.strategy, target: e.target, effort: e.effort ?? 0, blocker: !!e.blocker });
    if (e.strategy) tentative.push({ strategy: e.strategy, weight: e.weight ?? 0.5, target: e.target });
    if (e.target) candidates.push({ cls: e.target, priority: e.priority ?? 50, order });
    for (const f of e.forbid ?? []) if (!forbidden.has(f)) forbidden.set(f, { rule: rule.id, message });
    if (e.note && !notes.includes(e.note)) notes.push(e.note);
  });

  // A vote for a way of moving whose target another finding rules out does not count.
  for (const t of tentative) if (!t.target || !forbidden.has(t.target)) votes.set(t.strategy, (votes.get(t.strategy) ?? 0) + t.weight);
  candidates.sort((a, b) => b.priority - a.priority || a.order - b.order);
  const allowed = candidates.filter((c) => !forbidden.has(c.cls));
  let targetClass = allowed[0]?.cls;
  if (!targetClass) {
    targetClass = 'vm';
    notes.push(candidates.length > 0 ? 'Every proposed target was ruled out; a VM is the fallback.' : 'No rule proposed a target; a VM of the same size is the fallback.');
  }
  const ruledOut = [...new Set(candidates.map((c) => c.cls))]
    .filter((c) => forbidden.has(c))
    .map((c) => ({ targetClass: c, rule: (forbidden.get(c) as { rule: string }).rule, message: (forbidden.get(c) as { message: string }).message }));

  // Some target classes decide the strategy themselves (data/targets.yaml `strategy`): a workload
  // replaced by a managed service (ZooKeeper under managed Kafka, a Prometheus) is retired, and the
  // generic container votes against it are outweighed, not a conflict.
  const implied = TARGET_CLASSES[targetClass]?.strategy;
  if (implied) votes.set(implied, Math.max(0, ...votes.values()) + 1);
  const ranked = [...votes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  let strategy: Strategy = ranked[0]?.[0] ?? 'rehost';
  const winner = ranked[0]?.[1] ?? 0;
  const second = ranked[1]?.[1] ?? 0;
  const total = ranked.reduce((s, [, v]) => s + v, 0);
  let confidence = winner > 0 ? round((winner / total) * (0.5 + 0.5 * (1 - Math.exp(-winner))), 2) : 0.3;
  let conflict: string | undefined;
  if (second > 0 && second >= 0.6 * winner) {
    conflict = `Evidence conflicts: ${ranked.map(([s, v]) => `${s} ${round(v, 2)}`).join(' vs ')}`;
  }
  if (winner === 0) notes.push('No rule voted for a strategy: rehost is the default.');

  let home: Classification['home'];
  const test = w.traits.find((t) => t.name === 'nonprod.test');
  const homeCloud = homeCloudOf(w);
  if (test) {
    evidence.unshift({ rule: 'nonprod.test', message: `Test tooling (${String(test.value)}): proposed for retirement and kept out of the totals; override its strategy in .migration.yaml to keep it`, file: test.source.file, line: test.source.line, severity: 'info' });
    strategy = 'retire';
    targetClass = 'none';
    confidence = 0.8;
    conflict = undefined;
  } else if (homeCloud) {
    home = homeCloud.provider;
    evidence.unshift({ rule: 'home-cloud', message: `Runs on ${homeCloud.provider === 'aws' ? 'AWS' : 'GCP'} today (${homeCloud.why}): retain it there; the ${homeCloud.provider === 'aws' ? 'GCP' : 'AWS'} column prices the move to the other cloud`, file: homeCloud.source.file, line: homeCloud.source.line, severity: 'info' });
    strategy = 'retain';
    conflict = undefined;
  }

  let override: Classification['override'];
  const ov = opts.overrides?.get(w.name) ?? opts.overrides?.get(w.id);
  if (ov) {
    override = { strategy: ov.strategy, reason: ov.reason, file: ov.source.file, line: ov.source.line };
    if (ov.strategy !== strategy) {
      evidence.unshift({ rule: 'override', message: `Strategy set to ${ov.strategy} (the rules said ${strategy}): ${ov.reason}`, file: ov.source.file, line: ov.source.line, severity: 'info' });
    } else {
      evidence.unshift({ rule: 'override', message: `Strategy confirmed as ${ov.strategy}: ${ov.reason}`, file: ov.source.file, line: ov.source.line, severity: 'info' });
    }
    strategy = ov.strategy;
    confidence = 1;
    conflict = undefined;
    home = undefined;
    if (targetClass === 'none' && strategy !== 'retain' && strategy !== 'retire') targetClass = allowed[0]?.cls ?? 'vm';
    if (strategy === 'retain' || strategy === 'retire') targetClass = 'none';
    else if (strategy === 'rehost' && !VM_LIKE.has(targetClass)) targetClass = forbidden.has('vm') ? 'orchestrator' : 'vm';
    else if (strategy === 'replatform' && VM_LIKE.has(targetClass)) targetClass = forbidden.has('serverless-container') ? 'orchestrator' : 'serverless-container';
    else if (strategy === 'rewrite' && VM_LIKE.has(targetClass)) targetClass = 'rewrite-service';
  }

  // Effort comes from the chosen path only; a rule whose strategy and target both lost was considered, not chosen.
  let effort = 0;
  for (const p of proposals) {
    const lost = !p.blocker && (p.strategy !== undefined || p.target !== undefined) && p.strategy !== strategy && p.target !== targetClass;
    if (lost) p.ev.considered = true;
    else effort += p.effort;
  }
  return {
    strategy,
    ...(home ? { home } : {}),
    confidence,
    evidence,
    blockers,
    effort: effortBucket(BASE_EFFORT[strategy] + (strategy === 'retain' ? 0 : effort)),
    targetClass,
    ruledOut,
    conflict,
    override,
    notes,
  };
}
