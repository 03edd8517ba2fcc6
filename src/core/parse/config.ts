import type { Override, Suppression } from '../classify';
import type { Rule } from '../classify/rules';
import { validateDoc } from './schemas';
import { DEFAULT_SIZING, type SizingOptions } from '../target/size';
import type { Diagnostic, SourceRef, Strategy } from '../types';
import { arr, at, isObj, obj, parseYaml, str, type Obj, type YamlDoc } from './yaml';
import { pushAll } from '../collections';
import { compileRule } from '../classify/rules';

export const CONFIG_FILE = '.migration.yaml';

export interface PeakSetting {
  multiplier?: number;
  hoursPerMonth?: number;
  source?: SourceRef;
}

export interface Config {
  scenarios: { peak: PeakSetting; workloads: Map<string, PeakSetting>; extra: { name: string; multiplier: number; hoursPerMonth: number }[] };
  onPrem: { monthlyUsd?: number; pue?: number; utilisation?: number; gridKgCo2ePerKwh?: number; source?: SourceRef };
  /** Values that were invalid and replaced by defaults, said in the plan's assumptions. */
  notes: string[];
  regions: { aws?: string; gcp?: string };
  exclude: string[];
  /** Globs of the descriptors that make the deployment to plan; empty: the planner's guess. */
  primary: string[];
  /** Where each `primary` glob is written. */
  primaryAt?: SourceRef[];
  /** Compose profiles the deployment runs with, in place of the `.env`'s `COMPOSE_PROFILES`; undefined: the `.env`'s. */
  composeProfiles?: string[];
  sizing: SizingOptions;
  overrides: Map<string, Override>;
  rules: Rule[];
  disableRules: string[];
  suppressions: Suppression[];
}

export function emptyConfig(): Config {
  return { scenarios: { peak: {}, workloads: new Map(), extra: [] }, onPrem: {}, notes: [], regions: {}, exclude: [], primary: [], sizing: { ...DEFAULT_SIZING }, overrides: new Map(), rules: [], disableRules: [], suppressions: [] };
}

/**
 * Read `.migration.yaml`. Invalid keys are reported at their line and skipped; whatever is valid
 * is still used, so a typo in one override does not silently drop the others.
 */
export function parseConfig(text: string, file = CONFIG_FILE): { config: Config; diagnostics: Diagnostic[] } {
  const config = emptyConfig();
  const { docs, diagnostics } = parseYaml(text, file);
  const d = docs[0];
  if (!d || d.js === null || d.js === undefined) return { config, diagnostics };
  if (!isObj(d.js)) {
    diagnostics.push({ file, line: 1, column: 1, severity: 'error', code: 'config-schema', message: '.migration.yaml must be a mapping.' });
    return { config, diagnostics };
  }
  const errors = validateDoc('config', d);
  pushAll(diagnostics, errors);
  const x: Reading = { c: d.js, d, bad: new Set(errors.map((e) => e.line)), config, file };
  readRegionsAndSizing(x);
  readScenarios(x);
  readOnPrem(x);
  readOverridesAndRules(x, !errors.some((e) => e.message.startsWith('rules')));
  dropRulesWithBadPatterns(x, diagnostics);
  return { config, diagnostics };
}

/** One reading of `.migration.yaml`: its data, positions, the lines the schema refused, and the config being filled. */
interface Reading {
  c: Obj;
  d: YamlDoc;
  bad: Set<number>;
  config: Config;
  file: string;
}

function readRegionsAndSizing({ c, d, bad, config, file }: Reading): void {
  const regions = obj(c.regions);
  for (const p of ['aws', 'gcp'] as const) {
    const r = str(regions[p]);
    if (r && !bad.has(at(d, ['regions', p]).line)) config.regions[p] = r;
  }
  config.exclude = arr(c.exclude).map(String);
  config.primary = arr(c.primary).map(String);
  config.primaryAt = arr(c.primary).map((_, i) => at(d, ['primary', i]));
  if (Array.isArray(c.composeProfiles)) config.composeProfiles = c.composeProfiles.map(String);
  const sizing = obj(c.sizing);
  for (const k of Object.keys(DEFAULT_SIZING) as ConfigurableSizing[]) {
    const v = sizing[k];
    if (typeof v === 'number' && !bad.has(at(d, ['sizing', k]).line)) config.sizing[k] = v;
  }
  for (const k of Object.keys(DEFAULT_SIZING) as ConfigurableSizing[]) {
    if (obj(c.sizing)[k] !== undefined && bad.has(at(d, ['sizing', k]).line)) config.notes.push(`sizing.${k} in ${file} (line ${at(d, ['sizing', k]).line}) is not valid; the default was used.`);
  }
}

/** The sizing figures a repository's `.migration.yaml` may set (the plan sets the rest). */
type ConfigurableSizing = Exclude<keyof SizingOptions, 'smallWorkersOnGcp' | 'selfManagedOnGcp'>;

/**
 * A number at `p`: one that fails the schema (negative, zero, absurd) is reported at its key and
 * replaced by the default; the plan says so.
 */
function numberAt({ c, d, bad, config, file }: Reading, p: (string | number)[]): number | undefined {
  let v: unknown = c;
  for (const k of p) v = typeof k === 'number' ? arr(v)[k] : obj(v)[k];
  if (v === undefined) return undefined;
  const line = at(d, p).line;
  if (typeof v !== 'number' || bad.has(line)) {
    config.notes.push(`${p.join('.')} in ${file} (line ${line}) is not valid; the default was used.`);
    return undefined;
  }
  return v;
}

function peakAt(x: Reading, p: (string | number)[]): PeakSetting {
  const s: PeakSetting = { source: at(x.d, p) };
  const m = numberAt(x, [...p, 'multiplier']);
  const h = numberAt(x, [...p, 'hoursPerMonth']);
  if (m !== undefined) s.multiplier = m;
  if (h !== undefined) s.hoursPerMonth = h;
  return s;
}

function readScenarios(x: Reading): void {
  const { c, d, bad, config, file } = x;
  const scen = obj(c.scenarios);
  if (isObj(scen.peak)) config.scenarios.peak = peakAt(x, ['scenarios', 'peak']);
  for (const name of Object.keys(obj(scen.workloads))) config.scenarios.workloads.set(name, peakAt(x, ['scenarios', 'workloads', name]));
  arr(scen.extra).forEach((e, i) => {
    const name = str(obj(e).name);
    const m = numberAt(x, ['scenarios', 'extra', i, 'multiplier']);
    const h = numberAt(x, ['scenarios', 'extra', i, 'hoursPerMonth']);
    if (name && m !== undefined && h !== undefined && !bad.has(at(d, ['scenarios', 'extra', i, 'name']).line)) config.scenarios.extra.push({ name, multiplier: m, hoursPerMonth: h });
    else config.notes.push(`scenarios.extra.${i} in ${file} is not valid; that scenario was left out.`);
  });
}

function readOnPrem(x: Reading): void {
  const { c, d, config } = x;
  if (isObj(c.onPrem)) {
    config.onPrem.source = at(d, ['onPrem']);
    for (const k of ['monthlyUsd', 'pue', 'utilisation', 'gridKgCo2ePerKwh'] as const) {
      const v = numberAt(x, ['onPrem', k]);
      if (v !== undefined) config.onPrem[k] = v;
    }
  }
}

function readOverridesAndRules({ c, d, config, file }: Reading, rulesOk: boolean): void {
  for (const [name, o] of Object.entries(obj(c.overrides))) {
    const ov = obj(o);
    const strategy = str(ov.strategy) as Strategy | undefined;
    const reason = str(ov.reason);
    const src = at(d, ['overrides', name]);
    if (!strategy || !reason || !['rehost', 'replatform', 'rewrite', 'retain', 'retire'].includes(strategy)) continue;
    config.overrides.set(name, { strategy, reason, source: src });
  }
  if (rulesOk) {
    arr(c.rules).forEach((r, i) => {
      const src = at(d, ['rules', i]);
      config.rules.push({ ...(r as Rule), origin: { file, line: src.line } });
    });
  }
  config.disableRules = arr(c.disableRules).map(String);
  arr(c.suppress).forEach((s, i) => {
    const so = obj(s);
    const rule = str(so.rule);
    const reason = str(so.reason);
    if (rule && reason) config.suppressions.push({ rule, reason, workload: str(so.workload), source: at(d, ['suppress', i]) });
  });
}

/** Patterns of added rules must compile for RE2; a bad one is reported, the rule dropped. */
function dropRulesWithBadPatterns({ d, config }: Reading, diagnostics: Diagnostic[]): void {
  config.rules = config.rules.filter((r, i) => {
    const bads: string[] = [];
    const walk = (cond: unknown): void => {
      const co = obj(cond);
      if (typeof co.matches === 'string') {
        try {
          compileRule(co.matches);
        } catch {
          bads.push(co.matches);
        }
      }
      for (const k of ['all', 'any']) arr(co[k]).forEach(walk);
      if (co.not) walk(co.not);
    };
    walk(r.when);
    for (const b of bads) diagnostics.push({ ...at(d, ['rules', i, 'when']), column: 1, severity: 'error', code: 'config-schema', message: `rules.${i}: "${b.slice(0, 80)}" is not a valid regular expression for RE2 (patterns run in linear time: no backreferences or lookarounds); the rule was ignored.` });
    return bads.length === 0;
  });
}
