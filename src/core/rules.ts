import builtinRules from '../../data/rules.yaml';
import type { Severity, Strategy, Trait, TraitValue, Workload } from './types';

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { trait: string; equals?: TraitValue; in?: TraitValue[]; matches?: string; gt?: number; gte?: number; lt?: number; lte?: number };

export interface RuleEffect {
  strategy?: Exclude<Strategy, 'retain' | 'retire'>;
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

const regexCache = new Map<string, RegExp>();
function re(s: string): RegExp {
  let r = regexCache.get(s);
  if (!r) {
    r = new RegExp(s, 'i');
    regexCache.set(s, r);
  }
  return r;
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

/**
 * Evaluate a condition. Returns the traits that made it true (the evidence), or undefined when
 * false. A `not` that holds contributes no trait.
 */
export function evaluate(c: Condition, byName: Map<string, Trait[]>): Trait[] | undefined {
  if ('all' in c) {
    const out: Trait[] = [];
    for (const x of c.all) {
      const r = evaluate(x, byName);
      if (!r) return undefined;
      out.push(...r);
    }
    return out;
  }
  if ('any' in c) {
    const out: Trait[] = [];
    let hit = false;
    for (const x of c.any) {
      const r = evaluate(x, byName);
      if (r) {
        hit = true;
        out.push(...r);
      }
    }
    return hit ? out : undefined;
  }
  if ('not' in c) return evaluate(c.not, byName) ? undefined : [];
  const matching = (byName.get(c.trait) ?? []).filter((t) => testValue(c, t.value));
  return matching.length > 0 ? matching : undefined;
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
