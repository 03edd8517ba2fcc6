import { Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Node as YamlNode, ParsedNode } from 'yaml';
import type { Diagnostic, SourceRef } from './types';
import { fastParseYaml, type FastDoc } from './yamlfast';
import { scanYaml } from './yamlscan';

/**
 * Aliases may be expanded at most this many times per document: enough for real files full of
 * anchors and merge keys, far too few for a "billion laughs" alias bomb.
 */
export const MAX_ALIAS_COUNT = 20000;

export type PathSeg = string | number;

export interface YamlDoc {
  file: string;
  /** 0-based index of the document in a multi-document stream. */
  index: number;
  /** The library's document, or undefined when the file was read by the quicker reader. */
  doc?: Document.Parsed<ParsedNode>;
  /** Positions from the quicker reader. */
  fast?: FastDoc;
  lc: LineCounter;
  /** The document as plain data (merge keys applied); undefined when it could not be converted. */
  js: unknown;
}

export interface ParsedYaml {
  docs: YamlDoc[];
  diagnostics: Diagnostic[];
}

export function refAt(lc: LineCounter, file: string, offset: number, end?: number): SourceRef {
  const p = lc.linePos(offset);
  const ref: SourceRef = { file, line: p.line, column: p.col };
  if (end !== undefined) {
    const e = lc.linePos(end);
    ref.endLine = e.line;
    ref.endColumn = e.col;
  }
  return ref;
}

/** Parse every document of a YAML stream, keeping positions; errors become diagnostics. */
export function parseYaml(text: string, file: string): ParsedYaml {
  // Three readers, quickest first: the line scanner takes the plainest files (most manifests and
  // compose files), the syntax-tree reader most of the rest; whatever neither takes, and every
  // error, goes the library's full way.
  const fastLc = new LineCounter();
  const fast = scanYaml(text, fastLc) ?? fastParseYaml(text, fastLc);
  if (fast) return { docs: fast.map((f, index) => ({ file, index, fast: f, lc: fastLc, js: f.js })), diagnostics: [] };
  const lc = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const docs: YamlDoc[] = [];
  let parsed: ReturnType<typeof parseAllDocuments>;
  try {
    parsed = parseAllDocuments(text, { lineCounter: lc, merge: true, uniqueKeys: false, prettyErrors: false });
  } catch (e) {
    diagnostics.push({ file, line: 1, column: 1, severity: 'error', code: 'yaml-syntax', message: `YAML could not be read: ${(e as Error).message}` });
    return { docs, diagnostics };
  }
  if (!Array.isArray(parsed)) return { docs, diagnostics };
  const many = parsed.length > 1;
  parsed.forEach((doc, index) => {
    doc.errors.forEach((err, i) => {
      const r = refAt(lc, file, err.pos[0], err.pos[1]);
      // Say what the error costs: what this document describes is not in the plan.
      const left = i === 0 ? ` (${many ? `document ${index + 1} of this file` : 'this file'} was left out of the plan)` : '';
      diagnostics.push({ ...r, severity: 'error', code: 'yaml-syntax', message: firstLine(err.message) + left });
    });
    for (const warn of doc.warnings) {
      const r = refAt(lc, file, warn.pos[0], warn.pos[1]);
      diagnostics.push({ ...r, severity: 'warning', code: 'yaml-warning', message: firstLine(warn.message) });
    }
    if (doc.errors.length > 0) return; // a broken document is reported, not guessed at
    let js: unknown;
    try {
      js = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      const start = doc.contents?.range?.[0] ?? 0;
      const r = refAt(lc, file, start);
      const msg = (e as Error).message;
      const aliasBomb = /alias/i.test(msg);
      diagnostics.push({
        ...r,
        severity: 'error',
        code: aliasBomb ? 'yaml-alias-limit' : 'yaml-convert',
        message: aliasBomb
          ? `Document ${index + 1} expands aliases more than ${MAX_ALIAS_COUNT} times (a YAML alias bomb?); it was not read.`
          : `Document ${index + 1} could not be converted: ${firstLine(msg)}`,
      });
      return;
    }
    docs.push({ file, index, doc: doc as Document.Parsed<ParsedNode>, lc, js });
  });
  return { docs, diagnostics };
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}

function nodeStart(n: unknown): number | undefined {
  const r = (n as { range?: [number, number, number] } | null)?.range;
  return r ? r[0] : undefined;
}

function findPair(map: unknown, key: string, doc: Document.Parsed<ParsedNode>, depth = 0): { keyNode: unknown; value: unknown } | undefined {
  if (depth > 8 || !isMap(map)) return undefined;
  for (const item of map.items) {
    if (!isPair(item)) continue;
    const k = isScalar(item.key) ? item.key.value : item.key;
    if (String(k) === key) return { keyNode: item.key, value: item.value };
  }
  // Keys brought in by merge keys (<<: *anchor) point at the anchor's definition.
  for (const item of map.items) {
    // With merge keys on, the library reads a plain `<<` key as a symbol.
    const kv = isPair(item) && isScalar(item.key) ? item.key.value : undefined;
    if (!isPair(item) || !(kv === '<<' || (typeof kv === 'symbol' && kv.description === '<<'))) continue;
    const sources = isSeq(item.value) ? item.value.items : [item.value];
    for (const s of sources) {
      const target = isAlias(s) ? s.resolve(doc) : s;
      const found = findPair(target, key, doc, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The place of `path` in a YAML document: the key's position for a mapping entry, the item's for
 * a sequence entry. When the path does not exist, the deepest existing ancestor.
 */
export function at(d: YamlDoc, path: readonly PathSeg[]): SourceRef {
  if (d.fast) return fastAt(d, d.fast, path);
  const doc = d.doc as Document.Parsed<ParsedNode>;
  let node: unknown = doc.contents;
  let best = nodeStart(node) ?? 0;
  for (const seg of path) {
    if (isAlias(node)) node = (node as YamlNode & { resolve: (doc: Document) => unknown }).resolve(doc);
    if (isMap(node)) {
      const found = findPair(node, String(seg), doc);
      if (!found) break;
      best = nodeStart(found.keyNode) ?? best;
      node = found.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) break;
      best = nodeStart(item) ?? best;
      node = item;
    } else break;
  }
  return refAt(d.lc, d.file, best);
}

function fastAt(d: YamlDoc, f: FastDoc, path: readonly PathSeg[]): SourceRef {
  let value: unknown = f.js;
  let best = f.rootOffset;
  for (const seg of path) {
    if (value === null || typeof value !== 'object') break;
    const pos = f.positions.get(value);
    if (pos instanceof Map) {
      const key = String(seg);
      const p = pos.get(key);
      if (p === undefined) break;
      best = p;
      value = (value as Record<string, unknown>)[key];
    } else if (Array.isArray(pos) && typeof seg === 'number') {
      const p = pos[seg];
      if (p === undefined) break;
      best = p;
      value = (value as unknown[])[seg];
    } else break;
  }
  return refAt(d.lc, d.file, best);
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
