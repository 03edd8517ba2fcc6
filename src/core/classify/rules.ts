import { RE2JS } from 're2js';
import builtinRules from '../../../data/rules.yaml';
import type { Severity, Strategy, Trait, TraitValue, Workload } from '../types';

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { trait: string; equals?: TraitValue; in?: TraitValue[]; matches?: string; gt?: number; gte?: number; lt?: number; lte?: number };

export interface RuleEffect {
  strategy?: Exclude<Strategy, 'retain'>;
  weight?: number;
  target?: string;
  priority?: number;
  forbid?: string[];
  blocker?: boolean;
  effort?: number;
  severity?: Severity;
  message: string;
  note?: string;
}

export interface Rule {
  id: string;
  description?: string;
  disabled?: boolean;
  when: Condition;
  then: RuleEffect;
  /** Where the rule comes from: `built-in` or the config file. */
  origin?: { file: string; line: number };
}

export interface RuleSet {
  version?: number;
  rules: Rule[];
}

/** The rules shipped with the planner (data/rules.yaml, validated by the test suite and at build). */
export function builtInRules(): Rule[] {
  return (builtinRules as RuleSet).rules;
}

/** Built-in rules, replaced by id or added to by a repository's own, minus the disabled ones. */
export function effectiveRules(extra: Rule[] = [], disabled: string[] = []): Rule[] {
  const byId = new Map<string, Rule>();
  for (const r of builtInRules()) byId.set(r.id, r);
  for (const r of extra) {
    if (r.disabled) byId.delete(r.id);
    else byId.set(r.id, r);
  }
  for (const id of disabled) byId.delete(id);
  return [...byId.values()];
}

/**
 * Rule patterns run on RE2's linear-time engine (re2js): a rule from a repository's
 * `.migration.yaml` such as `^(a+)+$` cannot make a run take exponential time. RE2 has no
 * backreferences or lookarounds; a pattern that needs them is refused when the config is read.
 */
const regexCache = new Map<string, { test(s: string): boolean }>();
function re(s: string): { test(s: string): boolean } {
  let r = regexCache.get(s);
  if (!r) {
    r = compileRule(s);
    regexCache.set(s, r);
  }
  return r;
}

/** Compile a rule pattern (case-insensitive); throws with RE2's reason when it is not one. */
export function compileRule(pattern: string): { test(s: string): boolean } {
  return RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
}

function testValue(c: Extract<Condition, { trait: string }>, v: TraitValue): boolean {
  if (c.equals !== undefined && v !== c.equals && String(v) !== String(c.equals)) return false;
  if (c.in !== undefined && !c.in.some((x) => x === v || String(x) === String(v))) return false;
  if (c.matches !== undefined && !re(c.matches).test(String(v))) return false;
  const n = typeof v === 'number' ? v : Number(v);
  if (c.gt !== undefined && !(n > c.gt)) return false;
  if (c.gte !== undefined && !(n >= c.gte)) return false;
  if (c.lt !== undefined && !(n < c.lt)) return false;
  if (c.lte !== undefined && !(n <= c.lte)) return false;
  return true;
}

type Evaluator = (byName: Map<string, Trait[]>) => readonly Trait[] | undefined;
const compiled = new WeakMap<Condition, Evaluator>();
const NONE: readonly Trait[] = Object.freeze([]);

/**
 * A condition turned into a function once, so that thousands of workloads do not re-read it. An
 * array is built only for a condition that holds: most rules fail on most workloads.
 */
function compile(c: Condition): Evaluator {
  let f = compiled.get(c);
  if (f) return f;
  if ('all' in c) f = allOf(c.all.map(compile));
  else if ('any' in c) f = anyOf(c.any.map(compile));
  else if ('not' in c) {
    const inner = compile(c.not);
    f = (byName) => (inner(byName) ? undefined : NONE);
  } else f = leafOf(c);
  compiled.set(c, f);
  return f;
}

function allOf(parts: Evaluator[]): Evaluator {
  return (byName) => {
    let out: Trait[] | undefined;
    let only: readonly Trait[] = NONE;
    for (let i = 0; i < parts.length; i++) {
      const r = parts[i](byName);
      if (!r) return undefined;
      if (r.length === 0) continue;
      if (only.length === 0) only = r;
      else {
        out ??= only.slice();
        for (let k = 0; k < r.length; k++) out.push(r[k]);
      }
    }
    return out ?? only;
  };
}

function anyOf(parts: Evaluator[]): Evaluator {
  return (byName) => {
    let out: Trait[] | undefined;
    let first: readonly Trait[] | undefined;
    for (let i = 0; i < parts.length; i++) {
      const r = parts[i](byName);
      if (!r) continue;
      if (!first) first = r;
      else {
        out ??= first.slice();
        for (let k = 0; k < r.length; k++) out.push(r[k]);
      }
    }
    return out ?? first;
  };
}

/** The workload's traits of the leaf's name that pass its test; the list itself when all of them do. */
function leafOf(leaf: Extract<Condition, { trait: string }>): Evaluator {
  return (byName) => {
    const list = byName.get(leaf.trait);
    if (!list) return undefined;
    let matching: Trait[] | undefined;
    for (let i = 0; i < list.length; i++) {
      if (testValue(leaf, list[i].value)) {
        if (matching) matching.push(list[i]);
      } else matching ??= list.slice(0, i);
    }
    if (!matching) return list;
    return matching.length > 0 ? matching : undefined;
  };
}

/**
 * Evaluate a condition. Returns the traits that made it true (the evidence), or undefined when
 * false. A `not` that holds contributes no trait. No gate: the test that the gates never change
 * an answer compares with this.
 */
export function evaluate(c: Condition, byName: Map<string, Trait[]>): readonly Trait[] | undefined {
  return compile(c)(byName);
}

/**
 * What a condition cannot hold without: clauses of trait names, each needing one of its names
 * among the workload's traits. A leaf needs its trait; `all` needs what each part needs; `any`
 * needs one name of one clause of each part; `not` needs nothing. Most rules fail on most
 * workloads for want of a trait, and this tells so without evaluating them.
 */
function clausesOf(c: Condition): string[][] {
  if ('all' in c) return c.all.flatMap(clausesOf);
  if ('any' in c) {
    const parts = c.any.map(clausesOf);
    if (parts.length === 0 || parts.some((p) => p.length === 0)) return [];
    return [[...new Set(parts.flatMap((p) => p[0]))]];
  }
  if ('not' in c) return [];
  return [[c.trait]];
}

/** A rule made ready to run on many workloads: its condition compiled, its gate worked out. */
export interface CompiledRule {
  rule: Rule;
  order: number;
  /** Clauses of trait names: the rule can only hold when each has one of its names among the traits. */
  gate: string[][];
  evaluate: Evaluator;
}

/**
 * A rule set compiled once (the same array serves every workload of a run), with the rules listed
 * under each trait name of their gate's first clause, so that a workload tries only the rules its
 * traits could satisfy (and those without a gate) instead of all of them.
 */
export interface CompiledRules {
  rules: CompiledRule[];
  byTrait: Map<string, number[]>;
  ungated: number[];
}

const compiledSets = new WeakMap<readonly Rule[], CompiledRules>();

export function compileRules(rules: readonly Rule[]): CompiledRules {
  let out = compiledSets.get(rules);
  if (out) return out;
  out = { rules: rules.map((rule, order) => ({ rule, order, gate: clausesOf(rule.when), evaluate: compile(rule.when) })), byTrait: new Map(), ungated: [] };
  for (const r of out.rules) {
    if (r.gate.length === 0) out.ungated.push(r.order);
    for (const name of r.gate[0] ?? []) {
      const list = out.byTrait.get(name);
      if (list) list.push(r.order);
      else out.byTrait.set(name, [r.order]);
    }
  }
  compiledSets.set(rules, out);
  return out;
}

/** The rules worth evaluating on a workload with these traits, in rule order. */
export function rulesToTry(set: CompiledRules, byName: Map<string, Trait[]>): number[] {
  const seen = new Set<number>(set.ungated);
  for (const name of byName.keys()) {
    const list = set.byTrait.get(name);
    if (list) for (let i = 0; i < list.length; i++) seen.add(list[i]);
  }
  return [...seen].sort((a, b) => a - b);
}

/** The traits that make the rule hold, or undefined; a rule lacking a trait it needs is not evaluated. */
export function evaluateRule(r: CompiledRule, byName: Map<string, Trait[]>): readonly Trait[] | undefined {
  const clauses = r.gate;
  for (let i = 0; i < clauses.length; i++) {
    const names = clauses[i];
    let found = false;
    for (let k = 0; k < names.length && !found; k++) found = byName.has(names[k]);
    if (!found) return undefined;
  }
  return r.evaluate(byName);
}

export function traitIndex(w: Workload): Map<string, Trait[]> {
  const m = new Map<string, Trait[]>();
  for (const t of w.traits) {
    const l = m.get(t.name);
    if (l) l.push(t);
    else m.set(t.name, [t]);
  }
  return m;
}
