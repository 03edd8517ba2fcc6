import type { LineCounter } from 'yaml';
import { GiveUp, giveUp, MAX_ALIASES, mergeInto, resolvePlain, type FastDoc, type Positions } from './yamlfast';

/**
 * The quickest road from YAML text to plain data with positions, for the plainest files: the
 * block maps and sequences, one-line flow collections and one-line scalars that Kubernetes
 * manifests and compose files are mostly made of. It reads the text line by line with no token
 * stream at all. Plain scalars are resolved by the `yaml` library's own tags (yamlfast's
 * `resolvePlain`), so `on`, `0x1F` or `1e3` mean what the library says they mean.
 *
 * Anchors on block values, aliases (at most MAX_ALIASES a document) and `<<` merge keys in block
 * maps are read as the syntax-tree reader reads them. It knows much less than that reader, and
 * gives up on the whole file at the first thing outside its subset: tags, block scalars, anything
 * spread over lines (plain, quoted or flow), quoted keys, keys beyond letters, digits and `_.-/$`,
 * escapes in double quotes, anchors inside flow collections, duplicate keys, empty documents or
 * items, directives, `...`, tabs, carriage returns and control characters. The caller then tries
 * the next reader. A differential test holds its output (data, key order, positions, line starts)
 * equal to the library's.
 */
export function scanYaml(text: string, lc: LineCounter): FastDoc[] | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x09\x0b-\x1f\x7f\x85\ufeff\u2028\u2029]/.test(text)) return undefined;
  let docs: FastDoc[];
  try {
    docs = new Scanner(text).documents();
  } catch (e) {
    if (e instanceof GiveUp) return undefined;
    throw e;
  }
  lc.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
  return docs;
}

const SPACE = 32;
const NL = 10;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const DQUOTE = 34;
const SQUOTE = 39;
const LBRACE = 123;
const RBRACE = 125;
const LBRACKET = 91;
const RBRACKET = 93;
const COMMA = 44;
const BACKSLASH = 92;
const AMP = 38;
const STAR = 42;
const END = -1;
/** Document marker `---` at the start of a line. */
const MARKER = -2;

/** Characters that may start a key: letters, digits, `_`. */
function keyStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}
/** Characters that may follow in a key: those, and `.-/$`. */
function keyChar(c: number): boolean {
  return keyStart(c) || c === 46 || c === DASH || c === 47 || c === 36;
}
/**
 * Characters that cannot start a plain scalar here: indicators and reserved characters, and `?`
 * and `:`, which YAML allows before a non-space but this scanner leaves to the other readers.
 * (`-` is checked where it is met: it may start a word such as `-c` or `--flag`.)
 */
function badPlainStart(c: number): boolean {
  return c === HASH || c === AMP || c === STAR || c === 33 /* ! */ || c === 124 /* | */ || c === 62 /* > */ || c === 37 /* % */ || c === 64 /* @ */ || c === 96 /* ` */ || c === 63 /* ? */ || c === COLON || c === COMMA || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE || c === DQUOTE || c === SQUOTE;
}
function flowIndicator(c: number): boolean {
  return c === COMMA || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE;
}

/** Characters of anchor and alias names read here. */
function nameChar(c: number): boolean {
  return keyStart(c) || c === DASH;
}

interface MapBuild {
  out: Record<string, unknown>;
  pos: Map<string, number>;
  /** Keys that came from a merge and were not given in the map itself (yet). */
  merged?: Set<string>;
}

class Scanner {
  /** Start of the first line not yet read. */
  private i = 0;
  private readonly n: number;
  private readonly positions = new Map<object, Positions>();
  /** The current document's anchors, and how many aliases it used. */
  private anchors = new Map<string, unknown>();
  private aliases = 0;
  /** Anchored collections still being read: an alias to one would make the data circular. */
  private readonly open = new Set<unknown>();

  constructor(private readonly text: string) {
    this.n = text.length;
  }

  documents(): FastDoc[] {
    const docs: FastDoc[] = [];
    let marker = false;
    for (;;) {
      const indent = this.nextContent();
      if (indent === END) break;
      if (indent === MARKER) {
        if (marker) giveUp(); // an empty document
        marker = true;
        this.i = this.lineEnd(this.i + 3, false);
        continue;
      }
      const start = this.i + indent;
      this.anchors = new Map();
      this.aliases = 0;
      const js = this.block(indent, undefined);
      docs.push({ js, rootOffset: start, positions: this.positions });
      marker = false;
      const after = this.nextContent();
      if (after !== END && after !== MARKER) giveUp();
    }
    if (marker) giveUp();
    return docs;
  }

  /**
   * Move to the next line with content, skipping blank and comment lines. Returns its indentation,
   * END at the end of the text, or MARKER at a `---` line (which it leaves in place).
   */
  private nextContent(): number {
    const t = this.text;
    for (;;) {
      if (this.i >= this.n) return END;
      let p = this.i;
      while (p < this.n && t.charCodeAt(p) === SPACE) p++;
      const c = p < this.n ? t.charCodeAt(p) : NL;
      if (c === NL || c === HASH) {
        const nl = t.indexOf('\n', p);
        this.i = nl === -1 ? this.n : nl + 1;
        continue;
      }
      if (p === this.i && c === DASH && t.startsWith('---', p)) return MARKER; // left for documents() to take
      return p - this.i;
    }
  }

  /**
   * After a value: spaces, then a comment (after a space) or the end of the line. Returns the start
   * of the next line. `spaced` says whether a space came just before `p`.
   */
  private lineEnd(p: number, spaced: boolean): number {
    const t = this.text;
    const from = p;
    while (p < this.n && t.charCodeAt(p) === SPACE) p++;
    if (p >= this.n) return this.n;
    const c = t.charCodeAt(p);
    if (c === NL) return p + 1;
    if (c === HASH && (spaced || p > from)) {
      const nl = t.indexOf('\n', p);
      return nl === -1 ? this.n : nl + 1;
    }
    return giveUp();
  }

  /** A block collection whose first line (at `this.i`) has content at column `indent`. */
  private block(indent: number, anchor: string | undefined): unknown {
    const p = this.i + indent;
    return this.seqAt(indent) ? this.seq(indent, anchor) : this.map(indent, p, anchor);
  }

  /** Register a collection under its anchor as it begins, as the library does. */
  private begin(value: object, anchor: string | undefined): void {
    if (anchor === undefined) return;
    this.anchors.set(anchor, value);
    this.open.add(value);
  }

  private end(value: object, anchor: string | undefined): void {
    if (anchor !== undefined) this.open.delete(value);
  }

  /** `&name` at `p`, followed by a space or the end of the line: the name and where the value starts. */
  private anchorAt(p: number): { name: string; next: number } {
    const t = this.text;
    let q = p + 1;
    while (q < this.n && nameChar(t.charCodeAt(q))) q++;
    const c = q < this.n ? t.charCodeAt(q) : NL;
    if (q === p + 1 || (c !== SPACE && c !== NL)) giveUp();
    return { name: t.slice(p + 1, q), next: this.spaces(q) };
  }

  /** `*name` at `p`: the anchored value and the end of the name. */
  private alias(p: number, inFlow: boolean): { value: unknown; end: number } {
    const t = this.text;
    let q = p + 1;
    while (q < this.n && nameChar(t.charCodeAt(q))) q++;
    const c = q < this.n ? t.charCodeAt(q) : NL;
    if (q === p + 1 || !(c === SPACE || c === NL || (inFlow && (c === COMMA || c === RBRACKET || c === RBRACE)))) giveUp();
    if (++this.aliases > MAX_ALIASES) giveUp();
    const name = t.slice(p + 1, q);
    if (!this.anchors.has(name)) giveUp();
    const value = this.anchors.get(name);
    if (this.open.has(value)) giveUp();
    return { value, end: q };
  }

  /** A block sequence at `indent`; the current line starts with its first `-`. */
  private seq(indent: number, anchor: string | undefined): unknown[] {
    const t = this.text;
    const out: unknown[] = [];
    const pos: number[] = [];
    this.positions.set(out, pos);
    this.begin(out, anchor);
    for (;;) {
      const ind = this.nextContent();
      if (ind !== indent) {
        if (ind > indent) giveUp();
        break;
      }
      let p = this.i + indent;
      if (t.charCodeAt(p) !== DASH) break; // the end of a sequence inside a map at the same indentation
      p++;
      const c = p < this.n ? t.charCodeAt(p) : NL;
      if (c !== SPACE && c !== NL) break;
      while (p < this.n && t.charCodeAt(p) === SPACE) p++;
      let v = p < this.n ? t.charCodeAt(p) : NL;
      let itemAnchor: string | undefined;
      if (v === AMP) {
        const a = this.anchorAt(p);
        itemAnchor = a.name;
        p = a.next;
        v = p < this.n ? t.charCodeAt(p) : NL;
      }
      if (v === NL || v === HASH) {
        // The item's value starts on a later line, further in.
        this.i = this.lineEnd(p, true);
        const inner = this.nextContent();
        if (inner <= indent) giveUp(); // an empty item
        pos.push(this.i + inner);
        out.push(this.block(inner, itemAnchor));
        continue;
      }
      if (v === DASH) {
        const d = p + 1 < this.n ? t.charCodeAt(p + 1) : NL;
        if (d === SPACE || d === NL) giveUp(); // a sequence in a sequence on one line
      }
      pos.push(p);
      if (keyStart(v) && this.isKey(p)) {
        // A map that starts on the item's line: its keys line up with this one.
        if (itemAnchor !== undefined) giveUp();
        out.push(this.map(p - this.i, p, undefined));
      } else out.push(this.inlineValue(p, itemAnchor));
    }
    this.end(out, anchor);
    return out;
  }

  /** Does a key (`name:` followed by a space or the end of the line) start at `p`? */
  private isKey(p: number): boolean {
    const t = this.text;
    let q = p + 1;
    while (q < this.n && keyChar(t.charCodeAt(q))) q++;
    if (q >= this.n || t.charCodeAt(q) !== COLON) return false;
    const c = q + 1 < this.n ? t.charCodeAt(q + 1) : NL;
    return c === SPACE || c === NL;
  }

  private newMap(anchor: string | undefined): MapBuild {
    const out: Record<string, unknown> = {};
    const pos = new Map<string, number>();
    this.positions.set(out, pos);
    this.begin(out, anchor);
    return { out, pos };
  }

  private put(m: MapBuild, raw: string, value: unknown, offset: number): void {
    const k = resolvePlain(raw, true);
    if (k === null) giveUp(); // a null key: the library's own lookups do not find it either
    const key = String(k);
    // A key given twice: left to the library's warning (a merged key may be given once).
    if (m.pos.has(key) && !m.merged?.delete(key)) giveUp();
    // `toString`, `constructor`...: an own property, as the library's data has it.
    if (key in m.out) Object.defineProperty(m.out, key, { value, writable: true, enumerable: true, configurable: true });
    else m.out[key] = value;
    m.pos.set(key, offset);
  }

  /** `<<: *a` or `<<: [*a, *b]`, as the syntax-tree reader merges. */
  private merge(m: MapBuild, value: unknown): void {
    for (const k of mergeInto(m.out, m.pos, value, this.positions)) (m.merged ??= new Set()).add(k);
  }

  /**
   * A block map whose keys are at column `indent`; its first key starts at `first` (which may be
   * after a `- ` on the line).
   */
  private map(indent: number, first: number, anchor: string | undefined): Record<string, unknown> {
    const t = this.text;
    const m = this.newMap(anchor);
    let p = first;
    for (;;) {
      // The key, or `<<` (a merge).
      let q = p;
      let merge = false;
      if (t.charCodeAt(p) === 60 && t.charCodeAt(p + 1) === 60) {
        merge = true;
        q = p + 2;
      } else {
        if (!keyStart(t.charCodeAt(p))) giveUp();
        q = p + 1;
        while (q < this.n && keyChar(t.charCodeAt(q))) q++;
      }
      if (q >= this.n || t.charCodeAt(q) !== COLON || q - p > 1024) giveUp();
      const raw = merge ? '' : t.slice(p, q);
      q++;
      const c = q < this.n ? t.charCodeAt(q) : NL;
      if (c !== SPACE && c !== NL) giveUp();
      while (q < this.n && t.charCodeAt(q) === SPACE) q++;
      let v = q < this.n ? t.charCodeAt(q) : NL;
      let valueAnchor: string | undefined;
      if (v === AMP) {
        if (merge) giveUp();
        const a = this.anchorAt(q);
        valueAnchor = a.name;
        q = a.next;
        v = q < this.n ? t.charCodeAt(q) : NL;
      }
      let value: unknown;
      if (v === NL || v === HASH) {
        // Nothing on the key's line: a collection on the lines below, or null.
        this.i = this.lineEnd(q, true);
        const inner = this.nextContent();
        if (inner > indent) value = this.block(inner, valueAnchor);
        else if (inner === indent && this.seqAt(indent)) value = this.seq(indent, valueAnchor);
        else if (valueAnchor !== undefined || merge) return giveUp(); // an anchor on nothing, or a merge of nothing
        else value = null;
      } else value = this.inlineValue(q, valueAnchor);
      if (merge) this.merge(m, value);
      else this.put(m, raw, value, p);
      const next = this.nextContent();
      if (next !== indent) {
        if (next > indent) giveUp();
        break;
      }
      p = this.i + indent;
      if (t.charCodeAt(p) === DASH && this.seqAt(indent)) break; // a sequence item of an outer sequence
    }
    this.end(m.out, anchor);
    return m.out;
  }

  /** Does the current line hold a `- ` at `indent`? */
  private seqAt(indent: number): boolean {
    const p = this.i + indent;
    if (this.text.charCodeAt(p) !== DASH) return false;
    const c = p + 1 < this.n ? this.text.charCodeAt(p + 1) : NL;
    return c === SPACE || c === NL;
  }

  /** A value that starts at `p` and ends on this line: a flow collection, a quoted or plain scalar. */
  private inlineValue(p: number, anchor: string | undefined): unknown {
    const t = this.text;
    const c = t.charCodeAt(p);
    let value: unknown;
    let end: number;
    if (c === LBRACE || c === LBRACKET) {
      const r = this.flow(p, anchor);
      value = r.value;
      end = r.end;
    } else if (c === STAR) {
      if (anchor !== undefined) giveUp(); // an anchor on an alias
      const r = this.alias(p, false);
      value = r.value;
      end = r.end;
    } else if (c === DQUOTE || c === SQUOTE) {
      const r = this.quoted(p);
      value = r.value;
      end = r.end;
    } else {
      if (badPlainStart(c)) giveUp();
      if (c === DASH) {
        const d = p + 1 < this.n ? t.charCodeAt(p + 1) : NL;
        if (d === SPACE || d === NL) giveUp();
      }
      // To the end of the line, or to a comment (` #`).
      let q = p;
      let last = p; // one past the last non-space character
      for (; q < this.n; q++) {
        const ch = t.charCodeAt(q);
        if (ch === NL) break;
        if (ch === SPACE) {
          if (q + 1 < this.n && t.charCodeAt(q + 1) === HASH) break;
          continue;
        }
        if (ch === COLON) {
          const d = q + 1 < this.n ? t.charCodeAt(q + 1) : NL;
          if (d === SPACE || d === NL) giveUp(); // `a: b: c`, or a key after all
        }
        last = q + 1;
      }
      value = resolvePlain(t.slice(p, last), false);
      end = last;
    }
    this.i = this.lineEnd(end, false);
    // Scalars are registered under their anchor once read (collections, as they begin).
    if (anchor !== undefined && c !== LBRACE && c !== LBRACKET) this.anchors.set(anchor, value);
    return value;
  }

  /** A quoted scalar on one line: `'…'` (with `''`) or `"…"` without escapes. */
  private quoted(p: number): { value: string; end: number } {
    const t = this.text;
    const quote = t.charCodeAt(p);
    let q = p + 1;
    let value = '';
    let from = q;
    for (;;) {
      if (q >= this.n) giveUp();
      const ch = t.charCodeAt(q);
      if (ch === NL || ch === BACKSLASH) giveUp();
      if (ch === quote) {
        if (quote === SQUOTE && q + 1 < this.n && t.charCodeAt(q + 1) === SQUOTE) {
          value += t.slice(from, q + 1);
          q += 2;
          from = q;
          continue;
        }
        value += t.slice(from, q);
        return { value, end: q + 1 };
      }
      q++;
    }
  }

  /** A flow collection on one line, starting at `p`. */
  private flow(p: number, anchor: string | undefined): { value: unknown; end: number } {
    const t = this.text;
    const isMap = t.charCodeAt(p) === LBRACE;
    const close = isMap ? RBRACE : RBRACKET;
    const m = isMap ? this.newMap(anchor) : undefined;
    const arr: unknown[] = [];
    const pos: number[] = [];
    if (!m) {
      this.positions.set(arr, pos);
      this.begin(arr, anchor);
    }
    const value = m ? m.out : arr;
    let q = this.spaces(p + 1);
    if (t.charCodeAt(q) === close) {
      this.end(value, anchor);
      return { value, end: q + 1 };
    }
    for (;;) {
      if (m) {
        const k = q;
        if (!keyStart(t.charCodeAt(q))) giveUp();
        q++;
        while (q < this.n && keyChar(t.charCodeAt(q))) q++;
        if (t.charCodeAt(q) !== COLON || t.charCodeAt(q + 1) !== SPACE) giveUp();
        const raw = t.slice(k, q);
        q = this.spaces(q + 1);
        const r = this.flowValue(q);
        this.put(m, raw, r.value, k);
        q = r.end;
      } else {
        pos.push(q);
        const r = this.flowValue(q);
        arr.push(r.value);
        q = r.end;
      }
      q = this.spaces(q);
      const c = t.charCodeAt(q);
      if (c === close) {
        this.end(value, anchor);
        return { value, end: q + 1 };
      }
      if (c !== COMMA) giveUp();
      q = this.spaces(q + 1);
      if (t.charCodeAt(q) === close) giveUp(); // a trailing comma
    }
  }

  private spaces(p: number): number {
    while (p < this.n && this.text.charCodeAt(p) === SPACE) p++;
    return p;
  }

  /** An item or a map value inside a flow collection. */
  private flowValue(p: number): { value: unknown; end: number } {
    const t = this.text;
    const c = p < this.n ? t.charCodeAt(p) : NL;
    if (c === LBRACE || c === LBRACKET) return this.flow(p, undefined);
    if (c === DQUOTE || c === SQUOTE) return this.quoted(p);
    if (c === STAR) return this.alias(p, true);
    if (c === NL || badPlainStart(c)) giveUp();
    if (c === DASH) {
      const d = p + 1 < this.n ? t.charCodeAt(p + 1) : NL;
      if (d === SPACE || d === NL || flowIndicator(d)) giveUp();
    }
    let q = p;
    let last = p;
    for (; q < this.n; q++) {
      const ch = t.charCodeAt(q);
      if (ch === NL) giveUp(); // a flow collection over several lines
      if (flowIndicator(ch)) {
        if (ch === LBRACE || ch === LBRACKET) giveUp();
        break;
      }
      if (ch === SPACE) {
        if (q + 1 < this.n && t.charCodeAt(q + 1) === HASH) giveUp();
        continue;
      }
      if (ch === COLON) {
        // `a:b` and `data:/x` are plain scalars; `a: b` or `a:,` would make a pair.
        const d = q + 1 < this.n ? t.charCodeAt(q + 1) : NL;
        if (d === SPACE || d === NL || flowIndicator(d)) giveUp();
      }
      if (ch === DQUOTE || ch === SQUOTE) giveUp();
      last = q + 1;
    }
    return { value: resolvePlain(t.slice(p, last), false), end: last };
  }
}
