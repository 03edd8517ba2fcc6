import { dump } from 'js-yaml';
import type { Diagnostic, PartialWorkload } from '../types';
import { forEachRef, relocator, type K8sAux, type ParseContext } from './common';
import { parseKubernetes } from './kubernetes';
import { LineIndex, type Obj } from './yaml';

/**
 * What a chart's templates say with the chart's values, read the way `helm template` would for the
 * parts a migration plan needs, without Helm and without Sprig.
 *
 * No JavaScript library renders Helm templates (Go's text/template plus Sprig and Helm's own
 * functions), and Helm itself is not a dependency. So a template is rendered approximately, and the
 * result is read by the YAML library like any manifest:
 * - values are looked up (`.Values.a.b`, `.Chart.Name`, `.Chart.AppVersion`, `.Release.Name`), with
 *   the pipes that shape them (`default`, `quote`, `toYaml`, `nindent`, `indent`, `int`, `trunc`…);
 * - `if` / `else if` / `else` and `with` follow the values (`not`, `and`, `or`, `eq`, `ne`, `empty`,
 *   `hasKey`); a condition that cannot be decided from the values here counts as true;
 * - `range` runs over a list or map of the values with its `$key, $value` variables (a generic
 *   chart's one template for all its services), bounded in depth, items and steps;
 * - a `*fullname` / `*name` helper is the chart's name; `define` and any other helper or function
 *   leave nothing behind, so what they would have written is missing, never invented.
 * Each rendered line remembers the template line it came from, so evidence cites the template.
 */

export interface ChartTemplates {
  workloads: PartialWorkload[];
  aux: K8sAux[];
  diagnostics: Diagnostic[];
}

/** A template no real chart has: one this long is not read (its chart is then read from its values). */
const MAX_TEMPLATE_BYTES = 1 << 20;

/**
 * The workloads and linked objects (Services, HPAs, Ingresses) a chart's templates render to with
 * these values, each cited at its template line. Helm hooks (tests, install and upgrade jobs) are not workloads.
 */
export function readChartTemplates(templates: readonly string[], scope: RenderScope, ctx: ParseContext): ChartTemplates {
  const out: ChartTemplates = { workloads: [], aux: [], diagnostics: [] };
  for (const rel of templates) {
    const text = ctx.readFile(rel);
    if (text === undefined || text.length > MAX_TEMPLATE_BYTES || !/^\s*kind\s*:/m.test(text)) continue;
    const rendered = renderTemplate(text, scope);
    const r = parseKubernetes(withoutHooks(rendered.text), rel);
    const remap = relocator(rel, rendered.lines);
    for (const w of r.workloads) {
      forEachRef(w, remap);
      w.descriptor = 'helm';
      out.workloads.push(w);
    }
    for (const a of r.aux ?? []) {
      remap(a.source);
      out.aux.push(a);
    }
    // A rendering this reader got wrong is not the author's error: only the findings on what it rendered stay.
    for (const d of r.diagnostics) if (!d.code.startsWith('yaml-')) out.diagnostics.push((remap(d), d));
  }
  return out;
}

/**
 * The rendered documents, with each Helm hook blanked (its lines kept, so lines still map): a test,
 * or a job Helm runs around an install or upgrade, is the release's machinery, not a workload.
 */
function withoutHooks(text: string): string {
  if (!text.includes('helm.sh/hook')) return text;
  return text
    .split(/(?=^---)/m)
    .map((doc) => (/["']?helm\.sh\/hook["']?\s*:\s*\S/.test(doc) ? doc.replace(/[^\n]/g, '') : doc))
    .join('');
}


export interface RenderScope {
  values: Obj;
  chartName: string;
  appVersion?: string;
  chartVersion?: string;
}

export interface Rendered {
  text: string;
  /** For each rendered line (0-based), the template's 1-based line. */
  lines: number[];
}

/** Unknown: a value this reader cannot know (a helper's output, a cluster capability). */
const UNKNOWN: unique symbol = Symbol('unknown');
type Val = unknown;

interface Frame {
  kind: 'if' | 'with';
  /** Whether this frame's current branch is written. */
  active: boolean;
  /** Whether a branch of this if-chain has been taken already. */
  taken: boolean;
  dot: Val;
  /** The dot outside a `with` (its `else` branch runs there). */
  outer: Val;
}

/** What an expression may refer to besides the dot: the root (`$`) and the variables (`$name`). */
interface Env {
  root: Obj;
  vars: Map<string, Val>;
}

interface Part {
  s: string;
  /** The template line the part starts on. */
  line: number;
  /** A literal's newlines are the template's; an inserted value's (toYaml) all stay on its action's line. */
  literal: boolean;
}

/** A template cut into literal text (already trimmed by the actions beside it) and actions. */
interface Token {
  /** Literal text: its span in the template. */
  from: number;
  to: number;
  /** An action's body, without delimiters and trim markers; undefined for text. */
  body?: string;
}

/** No real action is longer; a longer one writes nothing. */
const MAX_ACTION_CHARS = 4096;
/** What the values may add to a template's own text before rendering stops. */
const MAX_RENDERED_CHARS = 8 << 20;
/** No real template nests conditions or parentheses this deep; deeper is undecided. */
const MAX_EXPR_DEPTH = 32;
/** Ranges nested deeper than this, or over more items, are not written past that. */
const MAX_RANGE_DEPTH = 4;
const MAX_RANGE_ITEMS = 1000;
/** Tokens one template may run, loops included: far beyond any real chart's. */
const MAX_STEPS = 2_000_000;

interface Run {
  text: string;
  tokens: Token[];
  /** For each `if`/`with`/`range`/`define`/`block`, its `end`; for a `range`, its own `else` (or -1). */
  ends: Int32Array;
  elses: Int32Array;
  lineOf: (offset: number) => number;
  parts: Part[];
  written: number;
  /** Tokens run so far: ranges within ranges stop at MAX_STEPS. */
  steps: number;
}

export function renderTemplate(text: string, scope: RenderScope): Rendered {
  const root: Obj = { Values: scope.values, Chart: { Name: scope.chartName, AppVersion: scope.appVersion ?? '', Version: scope.chartVersion ?? '' }, Release: { Name: scope.chartName, Namespace: 'default', Service: 'Helm' } };
  const tokens = tokenize(text);
  const { ends, elses } = matchBlocks(tokens);
  const lines = new LineIndex(text);
  const run: Run = { text, tokens, ends, elses, lineOf: (offset) => lines.linePos(offset).line, parts: [], written: 0, steps: 0 };
  execute(run, 0, tokens.length, root, { root, vars: new Map() }, 0);
  return joinLines(run.parts);
}

/**
 * Literal text and actions, found with indexOf, never a backtracking pattern (an unclosed `{{` is
 * text to the end). Each literal is trimmed as the actions beside it say (`{{-`, `-}}`).
 */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  let trimNext = false;
  const literal = (from: number, to: number, trimEnd: boolean) => {
    let a = from;
    let b = to;
    if (trimNext) while (a < b && /\s/.test(text[a])) a++;
    if (trimEnd) while (b > a && /\s/.test(text[b - 1])) b--;
    if (a < b) tokens.push({ from: a, to: b });
  };
  for (let open = text.indexOf('{{'); open !== -1; open = text.indexOf('{{', last)) {
    // A comment ends at `*/}}`, whatever it quotes (`Usage: {{ include "x" . }}`); an action at the first `}}`.
    const comment = /^-?\s*\/\*/.exec(text.slice(open + 2, open + 8)) ? text.indexOf('*/', open + 4) : -1;
    const close = text.indexOf('}}', comment === -1 ? open + 2 : comment + 2);
    if (close === -1) break;
    const raw = text.slice(open + 2, close);
    const trimLeft = raw.startsWith('-');
    const trimRight = raw.endsWith('-') && raw.length > 1;
    literal(last, open, trimLeft);
    const body = raw.length > MAX_ACTION_CHARS ? '/* too long */' : raw.slice(trimLeft ? 1 : 0, trimRight ? -1 : undefined).trim();
    tokens.push({ from: open, to: close + 2, body });
    last = close + 2;
    trimNext = trimRight;
  }
  literal(last, text.length, false);
  return tokens;
}

function wordOf(body: string | undefined): string | undefined {
  return body === undefined ? undefined : /^(\w+)\b/.exec(body)?.[1];
}

/** Each block's `end` (and a `range`'s own `else`), by one pass with a stack; -1 when unclosed. */
function matchBlocks(tokens: Token[]): { ends: Int32Array; elses: Int32Array } {
  const ends = new Int32Array(tokens.length).fill(-1);
  const elses = new Int32Array(tokens.length).fill(-1);
  const open: number[] = [];
  tokens.forEach((t, i) => {
    const w = wordOf(t.body);
    if (w === 'if' || w === 'with' || w === 'range' || w === 'define' || w === 'block') open.push(i);
    else if (w === 'else' && open.length && elses[open[open.length - 1]] === -1) elses[open[open.length - 1]] = i;
    else if (w === 'end' && open.length) ends[open.pop() as number] = i;
  });
  return { ends, elses };
}

/** Run tokens [from, to) with this dot and these variables, writing into the run's parts. */
function execute(run: Run, from: number, to: number, dot: Val, outerEnv: Env, depth: number): void {
  const env: Env = { root: outerEnv.root, vars: new Map(outerEnv.vars) };
  const stack: Frame[] = [];
  for (let i = from; i < to; i++) {
    // Values written over and over (`toYaml .Values` on every line, ranges within ranges): enough.
    if (run.written > MAX_RENDERED_CHARS || ++run.steps > MAX_STEPS) return;
    const t = run.tokens[i];
    const active = isActive(stack);
    if (t.body === undefined) {
      if (active) run.parts.push({ s: run.text.slice(t.from, t.to), line: run.lineOf(t.from), literal: true });
      continue;
    }
    const word = wordOf(t.body);
    if (word === 'range' || word === 'define' || word === 'block') {
      const end = run.ends[i] === -1 ? to : Math.min(run.ends[i], to);
      if (active && word === 'range') range(run, i, end, stack.length ? stack[stack.length - 1].dot : dot, env, depth);
      i = end; // past the block's `end`
      continue;
    }
    const result = act(t.body, stack, stack.length ? stack[stack.length - 1].dot : dot, env);
    if (result && isActive(stack)) {
      run.parts.push({ s: result, line: run.lineOf(t.from), literal: false });
      run.written += result.length;
    }
  }
}

/** `range [$k, $v :=] expr`: the body once per item (a map's in key order), or its `else` when empty. */
function range(run: Run, at: number, end: number, dot: Val, env: Env, depth: number): void {
  const m = /^range\s+(?:(\$\w*)\s*(?:,\s*(\$\w*))?\s*:?=\s*)?([\s\S]*)$/.exec(run.tokens[at].body as string);
  if (!m || depth >= MAX_RANGE_DEPTH) return;
  const coll = evaluate(m[3], dot, env, 0);
  const items: Array<[Val, Val]> = Array.isArray(coll)
    ? coll.map((v, k) => [k, v])
    : coll && typeof coll === 'object' ? Object.keys(coll).sort().map((k) => [k, (coll as Obj)[k]]) : [];
  const elseAt = run.elses[at] !== -1 && run.elses[at] < end ? run.elses[at] : -1;
  if (items.length === 0) {
    if (elseAt !== -1 && coll !== UNKNOWN) execute(run, elseAt + 1, end, dot, env, depth + 1);
    return;
  }
  for (const [k, v] of items.slice(0, MAX_RANGE_ITEMS)) {
    const vars = new Map(env.vars);
    if (m[1] && m[2]) vars.set(m[1], k).set(m[2], v);
    else if (m[1]) vars.set(m[1], v);
    execute(run, at + 1, elseAt === -1 ? end : elseAt, v, { root: env.root, vars }, depth + 1);
  }
}

function isActive(stack: Frame[]): boolean {
  return stack.length === 0 || stack[stack.length - 1].active;
}

/** The rendered text, and for each of its lines the template line its first character came from. */
function joinLines(parts: Part[]): Rendered {
  const chunks: string[] = [];
  const lines: number[] = [];
  let atLineStart = true;
  for (const p of parts) {
    let src = p.line;
    if (atLineStart) lines.push(src);
    for (let j = p.s.indexOf('\n'); j !== -1; j = p.s.indexOf('\n', j + 1)) {
      if (p.literal) src++;
      lines.push(src);
    }
    atLineStart = p.s.endsWith('\n');
    if (atLineStart) lines.pop();
    chunks.push(p.s);
  }
  return { text: chunks.join(''), lines };
}

/** One action: `if`/`with`/`else`/`end` change the frames; an assignment sets a variable; an expression is written. */
function act(body: string, stack: Frame[], dot: Val, env: Env): string | undefined {
  if (body.startsWith('/*')) return undefined;
  const top = stack[stack.length - 1];
  const active = isActive(stack);
  const word = wordOf(body);
  switch (word) {
    case 'if': {
      const c = active ? truthy(evaluate(body.slice(2), dot, env, 0)) : false;
      stack.push({ kind: 'if', active: active && c, taken: c, dot, outer: dot });
      return undefined;
    }
    case 'with': {
      const v = active ? evaluate(body.slice(4), dot, env, 0) : UNKNOWN;
      const c = v !== UNKNOWN && truthy(v);
      stack.push({ kind: 'with', active: active && c, taken: c, dot: c ? v : dot, outer: dot });
      return undefined;
    }
    case 'else':
      if (top) elseBranch(stack, body, env);
      return undefined;
    case 'end':
      stack.pop();
      return undefined;
    default: {
      if (!active) return undefined;
      const assign = /^(\$\w+)\s*:?=\s*([\s\S]*)$/.exec(body);
      if (assign) {
        env.vars.set(assign[1], evaluate(assign[2], dot, env, 0));
        return undefined;
      }
      return write(evaluate(body, dot, env, 0));
    }
  }
}

function elseBranch(stack: Frame[], body: string, env: Env): void {
  const top = stack[stack.length - 1];
  const parentActive = isActive(stack.slice(0, -1));
  const rest = body.slice(4).trim();
  if (rest.startsWith('if ') && top.kind === 'if') {
    const c = !top.taken && parentActive && truthy(evaluate(rest.slice(3), top.dot, env, 0));
    top.active = c;
    if (c) top.taken = true;
    return;
  }
  top.active = parentActive && !top.taken;
  if (top.kind === 'with') top.dot = top.outer;
  top.taken = true;
}

/** What an expression writes: a scalar as text, anything else (a map, an unknown) as nothing. */
function write(v: Val): string {
  if (v === UNKNOWN || v === null || v === undefined) return '';
  if (typeof v === 'object') return '';
  return String(v);
}

/** Go template truth: false, 0, nil and empty strings, lists and maps are false; an unknown is true. */
function truthy(v: Val): boolean {
  if (v === UNKNOWN) return true;
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

function isEmpty(v: Val): boolean {
  return v !== UNKNOWN && !truthy(v);
}

/** Split an expression into its words, keeping quoted strings and parenthesised groups whole. */
function words(expr: string): string[] {
  const out: string[] = [];
  const re = /"(?:[^"\\]|\\.)*"|`[^`]*`|'[^']*'|\(|\)|\||[^\s()|]+/g;
  let depth = 0;
  let group = '';
  for (let m = re.exec(expr); m; m = re.exec(expr)) {
    const w = m[0];
    if (w === '(') {
      if (depth++ > 0) group += ' (';
      continue;
    }
    if (w === ')') {
      if (--depth > 0) group += ' )';
      else if (depth === 0) {
        out.push(`(${group.trim()})`);
        group = '';
      }
      if (depth < 0) depth = 0;
      continue;
    }
    if (depth > 0) group += ` ${w}`;
    else out.push(w);
  }
  return out;
}

/** A pipeline: commands joined by `|`, each one's value passed as the next one's last argument. */
function evaluate(expr: string, dot: Val, env: Env, depth: number): Val {
  if (depth > MAX_EXPR_DEPTH) return UNKNOWN;
  const ws = words(expr);
  const commands: string[][] = [[]];
  for (const w of ws) {
    if (w === '|') commands.push([]);
    else commands[commands.length - 1].push(w);
  }
  let v: Val = undefined;
  let piped = false;
  for (const cmd of commands) {
    if (cmd.length === 0) return UNKNOWN;
    const args = piped ? [...cmd.slice(1).map((a) => term(a, dot, env, depth)), v] : cmd.slice(1).map((a) => term(a, dot, env, depth));
    v = cmd.length === 1 && !piped ? term(cmd[0], dot, env, depth) : call(cmd[0], args, env);
    piped = true;
  }
  return v;
}

/** One argument: a literal, a field path, a variable or a parenthesised pipeline. */
function term(w: string, dot: Val, env: Env, depth: number): Val {
  if (w.startsWith('(')) return evaluate(w.slice(1, -1), dot, env, depth + 1);
  if (/^"/.test(w)) {
    try {
      return JSON.parse(w) as string;
    } catch {
      return w.slice(1, -1);
    }
  }
  if (/^[`']/.test(w)) return w.slice(1, -1);
  if (/^-?\d+(\.\d+)?$/.test(w)) return Number(w);
  if (w === 'true' || w === 'false') return w === 'true';
  if (w === 'nil') return null;
  if (w === '.') return dot;
  if (w.startsWith('$.')) return lookup(env.root, w.slice(2));
  if (w === '$') return env.root;
  const variable = /^(\$\w+)(?:\.(.+))?$/.exec(w);
  if (variable) {
    if (!env.vars.has(variable[1])) return UNKNOWN;
    const v = env.vars.get(variable[1]);
    return variable[2] ? lookup(v, variable[2]) : v;
  }
  if (w.startsWith('.')) return lookup(dot, w.slice(1));
  if (/^\w+$/.test(w)) return call(w, [], env);
  return UNKNOWN;
}

function lookup(from: Val, path: string): Val {
  let cur = from;
  for (const seg of path.split('.')) {
    if (cur === UNKNOWN) return UNKNOWN;
    if (cur === null || cur === undefined || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = Object.hasOwn(cur, seg) ? (cur as Obj)[seg] : undefined;
  }
  return cur;
}

/** The functions a template uses to pick and shape values; any other one is unknown. */
function call(fn: string, args: Val[], env: Env): Val {
  if (args.some((a) => a === UNKNOWN) && !['default', 'and', 'or', 'include', 'template', 'dict', 'list'].includes(fn)) return UNKNOWN;
  switch (fn) {
    case 'default':
      return args.length >= 2 && !isEmpty(args[args.length - 1]) ? args[args.length - 1] : args[0];
    case 'quote':
      return args.length ? JSON.stringify(String(args[args.length - 1] ?? '')) : UNKNOWN;
    case 'squote':
      return args.length ? `'${String(args[args.length - 1] ?? '').replace(/'/g, "''")}'` : UNKNOWN;
    case 'toString':
      return args.length ? String(args[args.length - 1] ?? '') : UNKNOWN;
    case 'int':
    case 'int64':
    case 'float64':
      return Number(args[args.length - 1] ?? 0);
    case 'not':
      return !truthy(args[0]);
    case 'and':
      return logic(args, false);
    case 'or':
      return logic(args, true);
    case 'eq':
      return args.slice(1).some((a) => same(args[0], a));
    case 'ne':
      return !same(args[0], args[1]);
    case 'empty':
      return !truthy(args[0]);
    case 'hasKey':
      return typeof args[0] === 'object' && args[0] !== null && Object.hasOwn(args[0] as object, String(args[1]));
    case 'toYaml':
      return toYaml(args[args.length - 1]);
    case 'nindent':
    case 'indent':
      return indent(args[args.length - 1], Number(args[0]), fn === 'nindent');
    case 'trunc':
      return String(args[1] ?? '').slice(0, Number(args[0]));
    case 'trimSuffix':
      return String(args[1] ?? '').replace(new RegExp(`${escapeRe(String(args[0]))}$`), '');
    case 'lower':
    case 'upper':
    case 'trim':
      return stringFn(fn, args[args.length - 1]);
    case 'include':
    case 'template':
      return helper(args[0], args[1], env.root);
    case 'dict':
      return dict(args);
    case 'index':
      return args.slice(1).reduce<Val>((v, k) => (v && typeof v === 'object' && (typeof k === 'string' || typeof k === 'number') && Object.hasOwn(v, k) ? (v as Obj)[k as string] : undefined), args[0]);
    case 'kindIs':
      return kindOf(args[1]) === args[0];
    case 'list':
      return [...args];
    case 'printf':
      return printf(args);
    default:
      return more(fn, args);
  }
}

/** The rest of the Sprig and Go template functions charts use to shape values; any other one is unknown. */
function more(fn: string, args: Val[]): Val {
  const last = args[args.length - 1];
  switch (fn) {
    case 'toJson':
    case 'toRawJson':
      return last === undefined ? 'null' : JSON.stringify(last);
    case 'required':
      return last;
    case 'ternary':
      return args.length === 3 ? (truthy(args[2]) ? args[0] : args[1]) : UNKNOWN;
    case 'coalesce':
      return args.find((a) => truthy(a) && a !== UNKNOWN) ?? null;
    case 'replace':
      return args.length === 3 ? String(args[2] ?? '').split(String(args[0])).join(String(args[1])) : UNKNOWN;
    case 'contains':
      return String(args[1] ?? '').includes(String(args[0]));
    case 'hasPrefix':
      return String(args[1] ?? '').startsWith(String(args[0]));
    case 'hasSuffix':
      return String(args[1] ?? '').endsWith(String(args[0]));
    case 'len':
      return typeof last === 'string' || Array.isArray(last) ? last.length : last && typeof last === 'object' ? Object.keys(last).length : 0;
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge':
      return compare(fn, args[0], args[1]);
    default:
      return UNKNOWN;
  }
}

function compare(fn: string, a: Val, b: Val): Val {
  if (typeof a !== 'number' || typeof b !== 'number') return UNKNOWN;
  return fn === 'lt' ? a < b : fn === 'le' ? a <= b : fn === 'gt' ? a > b : a >= b;
}

/** `printf` with the verbs charts use for names (`%s`, `%d`, `%v`); any other format is unknown. */
function printf(args: Val[]): Val {
  if (typeof args[0] !== 'string' || /%[^sdv%]/.test(args[0])) return UNKNOWN;
  let i = 1;
  return args[0].replace(/%([sdv%])/g, (_m, verb: string) => (verb === '%' ? '%' : String(args[i++] ?? '')));
}

function logic(args: Val[], or: boolean): Val {
  let unknown = false;
  for (const a of args) {
    if (a === UNKNOWN) unknown = true;
    else if (truthy(a) === or) return or;
  }
  return unknown ? UNKNOWN : !or;
}

function same(a: Val, b: Val): boolean {
  return a === b || (typeof a !== 'object' && typeof b !== 'object' && String(a) === String(b) && typeof a === typeof b);
}

function stringFn(fn: string, v: Val): Val {
  const s = String(v ?? '');
  return fn === 'lower' ? s.toLowerCase() : fn === 'upper' ? s.toUpperCase() : s.trim();
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A named helper. A chart's `fullname` / `name` helpers give the chart's name; Bitnami's common
 * library helpers, which charts everywhere copy, do what they say: `common.images.image` writes
 * `registry/repository:tag` from its `imageRoot`, `common.tplvalues.render` writes its `value`,
 * `common.capabilities.<kind>.apiVersion` the current API version. Any other helper is unknown.
 */
function helper(name: Val, arg: Val, root: Obj): Val {
  if (typeof name !== 'string') return UNKNOWN;
  const a = arg && typeof arg === 'object' && !Array.isArray(arg) ? (arg as Obj) : {};
  if (/(^|\.)images\.image$/.test(name)) return imageOf(a.imageRoot, a.global);
  const api = /(^|\.)capabilities\.([a-z]+)\.apiVersion$/.exec(name);
  if (api) return Object.hasOwn(API_VERSIONS, api[2]) ? API_VERSIONS[api[2]] : UNKNOWN;
  if (/(^|\.)tplvalues\.render$/.test(name)) return a.value === undefined || a.value === UNKNOWN ? UNKNOWN : typeof a.value === 'string' ? a.value : toYaml(a.value);
  // A chart's own `<chart>.image` helper, given the root: the chart's image from its values.
  if (/^[\w-]+\.image$/.test(name) && arg === root) return imageOf(withAppVersion(obj((root.Values as Obj).image), root), (root.Values as Obj).global);
  if (/(^|\.)(fullname|name)$/.test(name)) return String((root.Chart as Obj).Name);
  return UNKNOWN;
}

/** The image values with the chart's appVersion as the tag when they set none (Helm's usual default). */
function withAppVersion(image: Obj, root: Obj): Obj {
  const app = (root.Chart as Obj).AppVersion;
  return image.tag === undefined || image.tag === null || image.tag === '' ? { ...image, tag: app || undefined } : image;
}

function obj(v: Val): Obj {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

/** What Bitnami's `common.capabilities.<kind>.apiVersion` writes on a current cluster. */
const API_VERSIONS: Record<string, string> = { deployment: 'apps/v1', statefulset: 'apps/v1', daemonset: 'apps/v1', cronjob: 'batch/v1', job: 'batch/v1', ingress: 'networking.k8s.io/v1', hpa: 'autoscaling/v2', policy: 'policy/v1', networkPolicy: 'networking.k8s.io/v1' };

/** Go's kind of a value, as Sprig's `kindIs` names it. */
function kindOf(v: Val): string {
  if (v === null || v === undefined) return 'invalid';
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'object') return 'map';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  return typeof v === 'boolean' ? 'bool' : 'string';
}

/** `dict "k1" v1 "k2" v2`: a map of its string keys; an odd or non-string key is unknown. */
function dict(args: Val[]): Val {
  if (args.length % 2 !== 0) return UNKNOWN;
  const out: Obj = {};
  for (let i = 0; i < args.length; i += 2) {
    if (typeof args[i] !== 'string' || args[i] === '__proto__') return UNKNOWN;
    out[args[i] as string] = args[i + 1];
  }
  return out;
}

/** An image from Bitnami-style values: `{registry, repository, tag, digest}`, a global registry first. */
function imageOf(root: Val, global: Val): Val {
  if (!root || typeof root !== 'object') return UNKNOWN;
  const r = root as Obj;
  const repository = typeof r.repository === 'string' ? r.repository : undefined;
  if (!repository) return UNKNOWN;
  const g = global && typeof global === 'object' ? (global as Obj).imageRegistry : undefined;
  const registry = typeof g === 'string' && g ? g : typeof r.registry === 'string' ? r.registry : '';
  const digest = typeof r.digest === 'string' && r.digest ? `@${r.digest}` : '';
  const tag = !digest && (typeof r.tag === 'string' || typeof r.tag === 'number') && String(r.tag) ? `:${String(r.tag)}` : '';
  return `${registry ? `${registry}/` : ''}${repository}${digest || tag}`;
}

function toYaml(v: Val): Val {
  if (v === undefined || v === null) return 'null';
  if (typeof v !== 'object') return String(v);
  if (Object.keys(v as object).length === 0) return Array.isArray(v) ? '[]' : '{}';
  return dump(v, { lineWidth: -1 }).replace(/\n$/, '');
}

function indent(v: Val, n: number, leadingNewline: boolean): Val {
  if (typeof v !== 'string' || !Number.isFinite(n) || n < 0 || n > 200) return UNKNOWN;
  const pad = ' '.repeat(n);
  const body = v.split('\n').map((l) => pad + l).join('\n');
  return leadingNewline ? `\n${body}` : body;
}
