import { CST, isScalar, Parser, Schema, type LineCounter } from 'yaml';

/**
 * A quicker road from YAML text to plain data with positions, for the files this engine reads in
 * bulk. It takes the library's own lexer and parser (the concrete syntax tree) and the library's
 * own scalar resolution, and builds the plain data and a table of positions straight from the
 * tree, skipping the library's document nodes (about a third of the time of a full parse).
 *
 * It accepts only a plain subset of YAML that it can read exactly as the library does: block and
 * single-line flow collections, plain, quoted and block scalars, anchors, a few aliases and merge
 * keys, comments. Anything else, and anything the library would report as an error or warning
 * (tabs, tags, directives, explicit keys, multi-line keys, compact nested maps, bad indentation,
 * missing commas...), makes it give up on the whole file: the caller then parses the file the
 * usual way, with the library's errors and positions. A differential test holds the two equal.
 */

/** Where each key of a map and each item of a sequence starts (source offsets). */
export type Positions = Map<string, number> | number[];

/** Positions of the maps and sequences of a document (or of all documents of a file). */
export interface PositionTable {
  get(collection: object): Positions | undefined;
}

export interface FastDoc {
  js: unknown;
  /** Offset of the document's top node. */
  rootOffset: number;
  positions: PositionTable;
}

export class GiveUp extends Error {}
export const giveUp = (): never => {
  throw new GiveUp();
};

const SCHEMA = new Schema({ merge: true });
type ScalarTag = { default?: boolean | 'key'; test?: RegExp; resolve: (value: string, onError: (msg: string) => void, options: object) => unknown };
const TAGS = (SCHEMA.tags as unknown as ScalarTag[]).filter((t) => t.test && (t.default === true || t.default === 'key'));
export const MAX_ALIASES = 64;

type Tok = CST.Token;
type Src = CST.SourceToken;

export function resolvePlain(source: string, atKey: boolean): unknown {
  for (const t of TAGS) {
    if ((t.default === true || atKey) && (t.test as RegExp).test(source)) {
      let failed = false;
      const v = t.resolve(source, () => (failed = true), {});
      if (failed) giveUp();
      return isScalar(v) ? v.value : v;
    }
  }
  return source;
}

/** Parse every document, or undefined when the text is outside the subset read here. */
export function fastParseYaml(text: string, lc: LineCounter): FastDoc[] | undefined {
  if (text.includes('\t') || text.charCodeAt(0) === 0xfeff) return undefined;
  try {
    const docs: FastDoc[] = [];
    for (const tok of new Parser(lc.addNewLine).parse(text)) {
      switch (tok.type) {
        case 'document':
          docs.push(new DocReader(text).read(tok));
          break;
        case 'comment':
        case 'newline':
        case 'space':
          break;
        case 'doc-end':
          for (const e of tok.end ?? []) if (e.type !== 'newline' && e.type !== 'space' && e.type !== 'comment') giveUp();
          break;
        default:
          giveUp();
      }
    }
    return docs;
  } catch (e) {
    if (e instanceof GiveUp) return undefined;
    throw e;
  }
}

/**
 * `<<: *a` or `<<: [*a, *b]`: keys not yet in `out` come from the anchored maps, in order, with
 * their positions. Gives up on anything but maps read here. Returns the keys it added.
 */
export function mergeInto(out: Record<string, unknown>, pos: Map<string, number>, value: unknown, positions: PositionTable): string[] {
  const added: string[] = [];
  const sources = Array.isArray(value) ? value : [value];
  for (const src of sources) {
    if (src === null || typeof src !== 'object' || Array.isArray(src)) giveUp();
    const srcPos = positions.get(src as object);
    if (!(srcPos instanceof Map)) return giveUp();
    for (const [k, v] of Object.entries(src as Record<string, unknown>)) {
      if (Object.prototype.hasOwnProperty.call(out, k)) continue;
      Object.defineProperty(out, k, { value: v, writable: true, enumerable: true, configurable: true });
      added.push(k);
      const p = srcPos.get(k);
      if (p !== undefined && !pos.has(k)) pos.set(k, p);
    }
  }
  return added;
}

class DocReader {
  private readonly positions = new WeakMap<object, Positions>();
  private readonly anchors = new Map<string, unknown>();
  /** Collections still being read: an alias to one of them would make the data circular. */
  private readonly open = new Set<unknown>();
  private aliases = 0;

  constructor(private readonly text: string) {}

  read(doc: CST.Document): FastDoc {
    let hasSpace = true;
    for (const t of doc.start) hasSpace = this.trivia(t, hasSpace, 'doc-start');
    for (const t of doc.end ?? []) if (t.type !== 'newline' && t.type !== 'space' && t.type !== 'comment') giveUp();
    if (!doc.value) giveUp();
    const value = doc.value as Tok;
    // `--- a: 1` or `--- - x`: a block collection on the marker's line is an error to the library.
    const marker = doc.start.findIndex((t) => t.type === 'doc-start');
    if (marker !== -1 && (value.type === 'block-map' || value.type === 'block-seq') && !doc.start.slice(marker).some((t) => t.type === 'newline')) giveUp();
    return { js: this.node(value, false), rootOffset: value.offset, positions: this.positions };
  }

  /** Spaces, newlines and comments (a comment needs white space before it); anything else gives up. */
  private trivia(t: Src, hasSpace: boolean, allowed?: string): boolean {
    if (t.type === 'space' || t.type === 'newline') return true;
    if (t.type === 'comment') {
      if (!hasSpace) giveUp();
      return false;
    }
    if (allowed !== undefined && t.type === allowed) return false;
    return giveUp();
  }

  /**
   * Read props before a value: white space, comments, and at most one anchor followed by white
   * space. `indicator` is the one token that must be there (': ' or '- '), once.
   */
  private props(tokens: Src[], indicator: string | undefined, startOnNewline: boolean): { anchor?: string; found: boolean; newline: boolean } {
    let hasSpace = startOnNewline;
    let anchor: string | undefined;
    let reqSpace = false;
    let found = indicator === undefined;
    let newline = false;
    for (const t of tokens) {
      if (reqSpace && t.type !== 'space' && t.type !== 'newline') giveUp();
      reqSpace = false;
      if (t.type === 'anchor') {
        if (anchor !== undefined || t.source.length < 2 || t.source.endsWith(':') || !found) giveUp();
        anchor = t.source.slice(1);
        reqSpace = true;
        hasSpace = false;
      } else if (t.type === indicator) {
        if (found) giveUp();
        found = true;
        hasSpace = false;
      } else {
        if (t.type === 'newline') newline = true;
        hasSpace = this.trivia(t, hasSpace);
      }
    }
    if (reqSpace) giveUp(); // an anchor runs into the value: the library reports it
    return { anchor, found, newline };
  }

  private scalarEnd(tok: CST.FlowScalar): void {
    let hasSpace = false;
    for (const e of tok.end ?? []) hasSpace = this.trivia(e, hasSpace);
  }

  private node(tok: Tok, atKey: boolean, anchor?: string): unknown {
    let value: unknown;
    switch (tok.type) {
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'block-scalar': {
        if (tok.type !== 'block-scalar') this.scalarEnd(tok);
        else for (const p of tok.props) if (p.type !== 'block-scalar-header' && p.type !== 'newline' && p.type !== 'space' && p.type !== 'comment') giveUp();
        let failed = false;
        const r = CST.resolveAsScalar(tok, true, () => (failed = true));
        if (failed || !r) giveUp();
        const s = (r as { value: string }).value;
        value = tok.type === 'scalar' ? resolvePlain(s, atKey) : s;
        break;
      }
      case 'alias': {
        if (anchor !== undefined || atKey || ++this.aliases > MAX_ALIASES) giveUp();
        this.scalarEnd(tok);
        const name = tok.source.slice(1);
        if (!name) giveUp();
        if (!this.anchors.has(name) || this.open.has(this.anchors.get(name))) giveUp();
        return this.anchors.get(name);
      }
      case 'block-map':
      case 'block-seq':
      case 'flow-collection': {
        const before = this.open.size;
        value = tok.type === 'block-map' ? this.blockMap(tok, anchor) : tok.type === 'block-seq' ? this.blockSeq(tok, anchor) : this.flow(tok, anchor);
        this.open.delete(value);
        if (this.open.size !== before) giveUp();
        break;
      }
      default:
        giveUp();
    }
    // Collections registered their anchor when they began, as the library orders them.
    if (anchor !== undefined && (tok.type === 'scalar' || tok.type === 'single-quoted-scalar' || tok.type === 'double-quoted-scalar' || tok.type === 'block-scalar')) this.anchors.set(anchor, value);
    return value;
  }

  /** An implicit key: a scalar on one line (in a block map, at the map's indentation). */
  private key(tok: Tok | null | undefined, indent?: number): { key: string; merge: boolean; offset: number } {
    if (!tok || (tok.type !== 'scalar' && tok.type !== 'single-quoted-scalar' && tok.type !== 'double-quoted-scalar')) return giveUp();
    if ((indent !== undefined && tok.indent !== indent) || tok.source.includes('\n') || (tok.end ?? []).some((e) => e.type === 'newline')) giveUp();
    if (tok.type === 'scalar' && tok.source === '<<') return { key: '<<', merge: true, offset: tok.offset };
    const js = this.node(tok, true);
    if (js === null) giveUp(); // a null key: the library's own lookups do not find it either
    return { key: String(js), merge: false, offset: tok.offset };
  }

  private newMap(anchor: string | undefined): { out: Record<string, unknown>; pos: Map<string, number>; own: Set<string> } {
    const out: Record<string, unknown> = {};
    const pos = new Map<string, number>();
    this.positions.set(out, pos);
    this.open.add(out);
    // Registered before the entries, as the library does (an alias inside refers to this map).
    if (anchor !== undefined) this.anchors.set(anchor, out);
    return { out, pos, own: new Set() };
  }

  private put(m: { out: Record<string, unknown>; pos: Map<string, number>; own: Set<string> }, key: string, value: unknown, offset: number): void {
    // A key given twice: the library's data keeps the last value, its lookups the first key.
    if (m.own.has(key)) giveUp();
    if (key in m.out) Object.defineProperty(m.out, key, { value, writable: true, enumerable: true, configurable: true });
    else m.out[key] = value;
    m.own.add(key);
    m.pos.set(key, offset);
  }

  private blockMap(bm: CST.BlockMap, anchor: string | undefined): Record<string, unknown> {
    const m = this.newMap(anchor);
    for (const item of bm.items) {
      if (item.explicitKey) giveUp();
      if (!item.sep) {
        // Only a comment line may stand without a key and a value.
        if (item.key || item.value) giveUp();
        let hasSpace = true;
        for (const t of item.start) hasSpace = this.trivia(t, hasSpace);
        continue;
      }
      const kp = this.props(item.start, undefined, true);
      if (kp.anchor !== undefined) giveUp();
      const k = this.key(item.key, bm.indent);
      const vp = this.props(item.sep, 'map-value-ind', false);
      if (!vp.found) giveUp();
      const ind = item.sep.find((t) => t.type === 'map-value-ind') as Src;
      if (ind.offset - k.offset > 1024) giveUp();
      const v = item.value;
      if (v && (v.type === 'block-map' || v.type === 'block-seq') && !vp.newline) giveUp();
      if (k.merge) {
        if (!v || vp.anchor !== undefined) giveUp();
        mergeInto(m.out, m.pos, this.node(v as Tok, false), this.positions);
        continue;
      }
      const value = v ? this.node(v, false, vp.anchor) : vp.anchor !== undefined ? giveUp() : null;
      this.put(m, k.key, value, k.offset);
    }
    return m.out;
  }

  private blockSeq(bs: CST.BlockSequence, anchor: string | undefined): unknown[] {
    const out: unknown[] = [];
    const pos: number[] = [];
    this.positions.set(out, pos);
    this.open.add(out);
    if (anchor !== undefined) this.anchors.set(anchor, out);
    for (const item of bs.items) {
      const p = this.props(item.start, 'seq-item-ind', true);
      if (!item.value) {
        // A comment line, or an empty item (the library gives it a position of its own).
        if (p.found || p.anchor !== undefined || item.start.some((t) => t.type === 'seq-item-ind')) giveUp();
        continue;
      }
      if (!p.found) giveUp();
      const ind = item.start.find((t) => t.type === 'seq-item-ind') as Src;
      if (ind.indent !== bs.indent) giveUp();
      const v = item.value;
      pos.push(v.offset);
      out.push(this.node(v, false, p.anchor));
    }
    return out;
  }

  /** Flow collections on one line only; multi-line ones have indentation rules left to the library. */
  private flow(fc: CST.FlowCollection, anchor: string | undefined): unknown {
    const endTok = fc.end[0];
    const isMap = fc.start.source === '{';
    if (!endTok || endTok.source !== (isMap ? '}' : ']')) giveUp();
    const nl = this.text.indexOf('\n', fc.offset);
    if (nl !== -1 && nl < endTok.offset) giveUp();
    let hasSpace = false;
    for (const e of fc.end.slice(1)) hasSpace = this.trivia(e, hasSpace);
    const m = isMap ? this.newMap(anchor) : undefined;
    const arr: unknown[] = [];
    const pos: number[] = [];
    if (!m) {
      this.positions.set(arr, pos);
      this.open.add(arr);
      if (anchor !== undefined) this.anchors.set(anchor, arr);
    }
    const blockInFlow = (t: Tok | null | undefined) => t && (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'block-scalar');
    fc.items.forEach((item, i) => {
      if (blockInFlow(item.key) || blockInFlow(item.value)) giveUp();
      // Every item but the first starts with exactly one comma.
      const commas = item.start.filter((t) => t.type === 'comma').length;
      if (commas !== (i === 0 ? 0 : 1) || (item.start[0] && i > 0 && item.start[0].type !== 'comma')) giveUp();
      for (const t of item.start) if (t.type !== 'comma' && t.type !== 'space') giveUp();
      if (m) {
        if (!item.sep || !item.value) return giveUp();
        const k = this.key(item.key);
        if (k.merge) giveUp();
        const vp = this.props(item.sep, 'map-value-ind', false);
        if (!vp.found || vp.newline) giveUp();
        const value = this.node(item.value, false, vp.anchor);
        this.put(m, k.key, value, k.offset);
      } else {
        if (item.key || item.sep || !item.value) giveUp();
        const v = item.value as Tok;
        pos.push(v.offset);
        arr.push(this.node(v, false));
      }
    });
    return m ? m.out : arr;
  }
}
