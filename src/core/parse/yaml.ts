import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document } from 'yaml';
import { constructFromEvents, CORE_SCHEMA, EVENT_ID, getScalarValue, mergeTag, parseEvents } from 'js-yaml';
import type { Event, ScalarEvent } from 'js-yaml';
import type { Diagnostic, SourceRef } from '../types';

/**
 * YAML is read by one library, js-yaml: its event parser gives every node's source offsets, the
 * events are walked once to record where each key and item is (for file:line:col evidence), and
 * the library builds the plain data from the same events. Nothing is parsed twice.
 *
 * Aliases may bring in at most this many nodes per document: enough for real files full of
 * anchors and merge keys, far too few for a "billion laughs" alias bomb, which is measured from
 * the anchors' sizes and refused before anything is expanded.
 */
export const MAX_ALIAS_NODES = 100_000;
/** Collections nested deeper than this end in a diagnostic for the file. */
export const MAX_DEPTH = 200;
/** A stream of more documents than this is read up to the limit, with a diagnostic. */
export const MAX_DOCUMENTS = 10_000;

export type PathSeg = string | number;

/** Where the keys and items of one mapping or sequence are (offsets into the file). */
interface PosMap {
  start: number;
  keys: Map<string, number>;
  values: Map<string, PosNode>;
  /** Mappings merged in with `<<`, in order. */
  merges?: PosNode[];
  size: number;
}
interface PosSeq {
  start: number;
  at: number[];
  items: PosNode[];
  size: number;
}
/** A scalar is just its start offset. */
type PosNode = PosMap | PosSeq | number;

export interface YamlDoc {
  file: string;
  /** 0-based index of the document in a multi-document stream. */
  index: number;
  /** Where each key and item is. */
  pos: PosNode;
  lines: LineIndex;
  /** The document as plain data (merge keys applied). */
  js: unknown;
}

export interface ParsedYaml {
  docs: YamlDoc[];
  diagnostics: Diagnostic[];
}

/** Offsets to 1-based line and column, computed once per file when first asked. */
export class LineIndex {
  private starts?: Uint32Array;
  constructor(private readonly text: string) {}
  linePos(at: number): { line: number; col: number } {
    const starts = (this.starts ??= lineStarts(this.text));
    // An empty node has no offset of its own (-1): it is placed at the start of the file.
    const offset = Math.max(0, Math.min(Number.isFinite(at) ? at : 0, this.text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo] + 1 };
  }
}

function lineStarts(text: string): Uint32Array {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  const starts = new Uint32Array(n);
  let k = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts[k++] = i + 1;
  return starts;
}

export function refAt(lines: LineIndex, file: string, offset: number, end?: number): SourceRef {
  const p = lines.linePos(offset);
  const ref: SourceRef = { file, line: p.line, column: p.col };
  if (end !== undefined) {
    const e = lines.linePos(end);
    ref.endLine = e.line;
    ref.endColumn = e.col;
  }
  return ref;
}

const SCHEMA = CORE_SCHEMA.withTags(mergeTag);
/** Tags the schema resolves; any other tag (`!Ref`, `!override`, `!!binary`) is reported and read as untagged. */
const KNOWN_TAGS = new Set(['!', '!!str', '!!int', '!!float', '!!bool', '!!null', '!!map', '!!seq', '!!merge']);

/** Tags a format defines on top of YAML's: read as untagged like any other, but not reported. */
export interface YamlOptions {
  formatTags?: ReadonlySet<string>;
}

/** Compose's merge tags (`!reset`, `!override`), part of the Compose specification. */
export const COMPOSE_TAGS: ReadonlySet<string> = new Set(['!reset', '!override']);
/** CloudFormation's intrinsic functions in short form, as Serverless Framework resources use them. */
export const CLOUDFORMATION_TAGS: ReadonlySet<string> = new Set(['!Ref', '!GetAtt', '!Sub', '!Join', '!Select', '!Split', '!FindInMap', '!If', '!Equals', '!Not', '!And', '!Or', '!Base64', '!Cidr', '!ImportValue', '!GetAZs', '!Condition', '!Transform', '!ValueOf']);

/** Parse every document of a YAML stream, keeping positions; errors become diagnostics. */
export function parseYaml(text: string, file: string, opts: YamlOptions = {}): ParsedYaml {
  const lines = new LineIndex(text);
  const out: ParsedYaml = { docs: [], diagnostics: [] };
  let events: Event[];
  try {
    events = parseEvents(text, { maxDepth: MAX_DEPTH });
  } catch {
    readWithYamlLibrary(text, file, lines, out);
    return out;
  }
  readDocuments(text, events, file, lines, out, 0, opts.formatTags);
  return out;
}

/** Build each document of an event stream; returns the next document index. */
function readDocuments(text: string, events: Event[], file: string, lines: LineIndex, out: ParsedYaml, index: number, formatTags?: ReadonlySet<string>): number {
  let i = 0;
  while (i < events.length) {
    if (events[i].type !== EVENT_ID.DOCUMENT) {
      i++;
      continue;
    }
    if (index >= MAX_DOCUMENTS) {
      out.diagnostics.push({ file, line: 1, column: 1, severity: 'warning', code: 'yaml-too-many-documents', message: `More than ${MAX_DOCUMENTS.toLocaleString('en-US')} documents in this file: the first ${MAX_DOCUMENTS.toLocaleString('en-US')} were read, the rest left out.` });
      break;
    }
    const walked = walkDocument(text, events, i, file, lines, out.diagnostics, formatTags);
    const docEvents = events.slice(i, walked.end);
    i = walked.end;
    if (walked.expanded > MAX_ALIAS_NODES) {
      out.diagnostics.push({ ...refAt(lines, file, startOf(walked.root)), severity: 'error', code: 'yaml-alias-limit', message: `Document ${index + 1} brings in more than ${MAX_ALIAS_NODES} nodes through aliases (a YAML alias bomb?); it was not read.` });
      index++;
      continue;
    }
    try {
      const [js] = constructFromEvents(docEvents, { source: text, schema: SCHEMA, json: true });
      out.docs.push({ file, index, pos: walked.root, lines, js: js ?? null });
    } catch (e) {
      out.diagnostics.push({ ...refAt(lines, file, startOf(walked.root)), severity: 'error', code: 'yaml-convert', message: `Document ${index + 1} could not be converted: ${firstLine((e as { reason?: string }).reason ?? (e as Error).message)}` });
    }
    index++;
  }
  return index;
}

interface Frame {
  node: PosMap | PosSeq;
  anchor?: string;
  /** Mapping only: the key read, waiting for its value. */
  key?: string;
  keyAt?: number;
  merge?: boolean;
}

/**
 * One pass over a document's events: positions of every key and item, duplicate keys and unknown
 * tags reported, and how many nodes aliases bring in (from the anchors' sizes, nothing expanded).
 * Iterative: the depth of the input never grows the call stack.
 */
function walkDocument(text: string, events: Event[], from: number, file: string, lines: LineIndex, diagnostics: Diagnostic[], formatTags?: ReadonlySet<string>): { root: PosNode; end: number; expanded: number } {
  const anchors = new Map<string, PosNode>();
  const stack: Frame[] = [];
  let root: PosNode = 0;
  let expanded = 0;
  const attach = (node: PosNode, at: number, scalar?: ScalarEvent): void => {
    const top = stack[stack.length - 1];
    if (!top) {
      root = node;
      return;
    }
    const size = typeof node === 'number' ? 1 : node.size;
    top.node.size += size;
    if ('items' in top.node) {
      top.node.at.push(at);
      top.node.items.push(node);
    } else if (top.key === undefined) {
      top.key = scalar ? getScalarValue(text, scalar) : '';
      top.keyAt = at;
      top.merge = top.key === '<<' && scalar?.style === 1;
    } else {
      addPair(top, node, file, lines, diagnostics);
    }
  };
  let i = from + 1;
  for (; i < events.length; i++) {
    const ev = events[i];
    if (ev.type === EVENT_ID.DOCUMENT) break;
    if (ev.type === EVENT_ID.POP) {
      const frame = stack.pop();
      if (!frame) {
        i++;
        break;
      }
      if (frame.anchor) anchors.set(frame.anchor, frame.node);
      attach(frame.node, frame.node.start);
      continue;
    }
    if ('tagStart' in ev && ev.tagStart >= 0) checkTag(text, ev as { tagStart: number; tagEnd: number }, file, lines, diagnostics, formatTags);
    if (ev.type === EVENT_ID.ALIAS) {
      const target = anchors.get(text.slice(ev.anchorStart, ev.anchorEnd));
      const size = target === undefined ? 1 : typeof target === 'number' ? 1 : target.size;
      expanded += size;
      // A bomb is measured, not built: stop growing sizes once past the bound.
      if (expanded > MAX_ALIAS_NODES) return { root, end: skipDocument(events, i), expanded };
      attach(target ?? ev.anchorStart, ev.anchorStart - 1);
      continue;
    }
    const anchor = ev.anchorStart >= 0 ? text.slice(ev.anchorStart, ev.anchorEnd) : undefined;
    if (ev.type === EVENT_ID.SCALAR) {
      const at = scalarStart(ev);
      if (anchor) anchors.set(anchor, at);
      attach(at, at, ev);
      continue;
    }
    const node: PosMap | PosSeq = ev.type === EVENT_ID.MAPPING ? { start: ev.start, keys: new Map(), values: new Map(), size: 1 } : { start: ev.start, at: [], items: [], size: 1 };
    stack.push({ node, anchor });
  }
  return { root, end: i, expanded };
}

function skipDocument(events: Event[], i: number): number {
  while (i < events.length && events[i].type !== EVENT_ID.DOCUMENT) i++;
  return i;
}

function addPair(top: Frame, value: PosNode, file: string, lines: LineIndex, diagnostics: Diagnostic[]): void {
  const map = top.node as PosMap;
  const key = top.key as string;
  const keyAt = top.keyAt as number;
  top.key = undefined;
  if (top.merge) {
    const sources = typeof value !== 'number' && 'items' in value ? value.items : [value];
    (map.merges ??= []).push(...sources.slice(0, 64));
    return;
  }
  if (map.keys.has(key)) {
    diagnostics.push({ ...refAt(lines, file, keyAt), severity: 'warning', code: 'yaml-duplicate-key', message: `Duplicate key "${key.slice(0, 80)}": this later value is the one read.` });
  }
  map.keys.set(key, keyAt);
  map.values.set(key, value);
}

/** Where a scalar starts, counting its opening quote or block indicator. */
function scalarStart(ev: ScalarEvent): number {
  return ev.style === 2 || ev.style === 3 ? ev.valueStart - 1 : ev.valueStart;
}

function startOf(n: PosNode): number {
  return typeof n === 'number' ? n : n.start;
}

function checkTag(text: string, ev: { tagStart: number; tagEnd: number }, file: string, lines: LineIndex, diagnostics: Diagnostic[], formatTags?: ReadonlySet<string>): void {
  const tag = text.slice(ev.tagStart, ev.tagEnd);
  if (KNOWN_TAGS.has(tag)) return;
  if (!formatTags?.has(tag)) diagnostics.push({ ...refAt(lines, file, ev.tagStart, ev.tagEnd), severity: 'warning', code: 'yaml-warning', message: `Unresolved tag: ${tag.slice(0, 80)}` });
  // Read as untagged, as the YAML core schema reads a tag it does not know.
  ev.tagStart = -1;
  ev.tagEnd = -1;
}

/**
 * The road for a file js-yaml refuses (0.5% of the corpus's valid files: a flow collection closed
 * at its key's indentation, which Compose and the `yaml` library accept), and for broken files: the
 * `yaml` library, whose errors name each broken document while the others are still read.
 */
function readWithYamlLibrary(text: string, file: string, lines: LineIndex, out: ParsedYaml): void {
  let parsed: ReturnType<typeof parseAllDocuments>;
  try {
    parsed = parseAllDocuments(text, { merge: true, uniqueKeys: false, prettyErrors: false });
  } catch (e) {
    out.diagnostics.push({ file, line: 1, column: 1, severity: 'error', code: 'yaml-syntax', message: `YAML could not be read: ${(e as Error).message}` });
    return;
  }
  if (!Array.isArray(parsed)) return;
  const many = parsed.length > 1;
  parsed.forEach((doc, index) => {
    doc.errors.forEach((err, i) => {
      // Say what the error costs: what this document describes is not in the plan.
      const left = i === 0 ? ` (${many ? `document ${index + 1} of this file` : 'this file'} was left out of the plan)` : '';
      out.diagnostics.push({ ...refAt(lines, file, err.pos[0], err.pos[1]), severity: 'error', code: 'yaml-syntax', message: firstLine(err.message) + left });
    });
    for (const warn of doc.warnings) {
      out.diagnostics.push({ ...refAt(lines, file, warn.pos[0], warn.pos[1]), severity: 'warning', code: 'yaml-warning', message: firstLine(warn.message) });
    }
    if (doc.errors.length > 0) return; // a broken document is reported, not guessed at
    const walked = positionsOf(doc);
    if (walked.expanded > MAX_ALIAS_NODES) {
      out.diagnostics.push({ ...refAt(lines, file, startOf(walked.root)), severity: 'error', code: 'yaml-alias-limit', message: `Document ${index + 1} brings in more than ${MAX_ALIAS_NODES} nodes through aliases (a YAML alias bomb?); it was not read.` });
      return;
    }
    try {
      out.docs.push({ file, index, pos: walked.root, lines, js: doc.toJS({ maxAliasCount: -1 }) ?? null });
    } catch (e) {
      out.diagnostics.push({ ...refAt(lines, file, startOf(walked.root)), severity: 'error', code: 'yaml-convert', message: `Document ${index + 1} could not be converted: ${firstLine((e as Error).message)}` });
    }
  });
}

/** The same positions and alias measure as `walkDocument`, from the `yaml` library's nodes; iterative. */
function positionsOf(doc: Document): { root: PosNode; expanded: number } {
  const made = new Map<unknown, PosNode>();
  const sizes = new Map<unknown, number>();
  let expanded = 0;
  // Post-order over the node tree with an explicit stack: children are made before their parent.
  const stack: Array<{ node: unknown; done: boolean }> = [{ node: doc.contents, done: false }];
  while (stack.length > 0 && expanded <= MAX_ALIAS_NODES) {
    const top = stack.pop() as { node: unknown; done: boolean };
    const node = top.node;
    if (made.has(node)) continue;
    const kids = childrenOf(node);
    if (!top.done && kids.length > 0) {
      stack.push({ node, done: true });
      // Reversed, so that nodes are made in document order: an anchor before its aliases.
      for (let k = kids.length - 1; k >= 0; k--) if (!made.has(kids[k])) stack.push({ node: kids[k], done: false });
      continue;
    }
    if (isAlias(node)) {
      const target = node.resolve(doc);
      const size = target ? (sizes.get(target) ?? 1) : 1;
      expanded += size;
      made.set(node, target && made.has(target) ? (made.get(target) as PosNode) : rangeStart(node));
      sizes.set(node, size);
      continue;
    }
    const built = buildPos(node, made, sizes);
    made.set(node, built.pos);
    sizes.set(node, built.size);
  }
  return { root: made.get(doc.contents) ?? rangeStart(doc.contents), expanded };
}

function childrenOf(node: unknown): unknown[] {
  if (isMap(node)) return node.items.flatMap((p) => [p.key, p.value]).filter((x) => x !== null && x !== undefined);
  if (isSeq(node)) return node.items.filter((x) => x !== null && x !== undefined);
  return [];
}

function rangeStart(node: unknown): number {
  return (node as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
}

function buildPos(node: unknown, made: Map<unknown, PosNode>, sizes: Map<unknown, number>): { pos: PosNode; size: number } {
  const sizeOf = (n: unknown): number => (n === null || n === undefined ? 0 : (sizes.get(n) ?? 1));
  if (isSeq(node)) {
    const seq: PosSeq = { start: rangeStart(node), at: [], items: [], size: 1 };
    for (const item of node.items) {
      seq.at.push(rangeStart(item));
      seq.items.push(made.get(item) ?? rangeStart(item));
      seq.size += sizeOf(item);
    }
    return { pos: seq, size: seq.size };
  }
  if (isMap(node)) {
    const map: PosMap = { start: rangeStart(node), keys: new Map(), values: new Map(), size: 1 };
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      map.size += sizeOf(pair.key) + sizeOf(pair.value);
      const k = isScalar(pair.key) ? pair.key.value : pair.key;
      const value = made.get(pair.value) ?? rangeStart(pair.value ?? pair.key);
      if (k === '<<' || (typeof k === 'symbol' && k.description === '<<')) {
        const sources = typeof value !== 'number' && 'items' in value ? value.items : [value];
        (map.merges ??= []).push(...sources.slice(0, 64));
        continue;
      }
      const key = String(k);
      if (map.keys.has(key)) continue; // the library keeps the first of duplicate keys in its positions
      map.keys.set(key, rangeStart(pair.key));
      map.values.set(key, value);
    }
    return { pos: map, size: map.size };
  }
  return { pos: rangeStart(node), size: 1 };
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}

/**
 * The place of `path` in a YAML document: the key's position for a mapping entry, the item's for
 * a sequence entry. When the path does not exist, the deepest existing ancestor.
 */
export function at(d: YamlDoc, path: readonly PathSeg[]): SourceRef {
  let node: PosNode | undefined = d.pos;
  let best = startOf(d.pos);
  for (const seg of path) {
    if (node === undefined || typeof node === 'number') break;
    if ('items' in node) {
      if (typeof seg !== 'number' || node.items[seg] === undefined) break;
      best = node.at[seg];
      node = node.items[seg];
      continue;
    }
    const found = findKey(node, String(seg));
    if (!found) break;
    best = found.at;
    node = found.value;
  }
  return refAt(d.lines, d.file, best);
}

/**
 * The node at `path` as a document of its own (a Kubernetes List's item), positions and all; undefined
 * when there is no such node.
 */
export function subDoc(d: YamlDoc, path: readonly PathSeg[], js: unknown): YamlDoc | undefined {
  let node: PosNode | undefined = d.pos;
  for (const seg of path) {
    if (node === undefined || typeof node === 'number') return undefined;
    if ('items' in node) node = typeof seg === 'number' ? node.items[seg] : undefined;
    else node = findKey(node, String(seg))?.value;
  }
  return node === undefined ? undefined : { ...d, pos: node, js };
}

/** A key of a mapping, or of the mappings merged into it (the anchor's definition), nearest first. */
function findKey(map: PosMap, key: string): { at: number; value: PosNode } | undefined {
  const queue: Array<{ m: PosNode; depth: number }> = [{ m: map, depth: 0 }];
  for (let q = 0; q < queue.length && q < 256; q++) {
    const { m, depth } = queue[q];
    if (typeof m === 'number' || 'items' in m) continue;
    const keyAt = m.keys.get(key);
    if (keyAt !== undefined) return { at: keyAt, value: m.values.get(key) as PosNode };
    if (depth < 8) for (const s of m.merges ?? []) queue.push({ m: s, depth: depth + 1 });
  }
  return undefined;
}

/** Line (1-based) of the first occurrence of `needle` in `text`, or 1. */
export function lineOf(text: string, needle: string, from = 0): number {
  const i = text.indexOf(needle, from);
  if (i < 0) return 1;
  let line = 1;
  for (let k = 0; k < i; k++) if (text.charCodeAt(k) === 10) line++;
  return line;
}

// ---- small typed accessors for the plain data -------------------------------------------------

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function obj(v: unknown): Obj {
  return isObj(v) ? v : {};
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}
