import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { K8sAux, ParseResult } from './common';
import type { DescriptorFile, PartialWorkload, SourceRef } from '../types';
import { userCacheRoot } from '../user-cache';

/**
 * Parsed descriptors on disk, like ESLint's `--cache`: a repeated assessment (CI on every pull
 * request, `--check`, the editor after a restart) reparses only what changed.
 *
 * An entry is keyed by the hash of the descriptor's kind, path and text, and remembers the hash of
 * every other file its parse read (a compose file's `.env`, a chart's values); it is used only when
 * all of them are unchanged. One pack file per repository and engine build holds the entries of
 * the last run, and replaces the packs of older builds for that repository. A pack from another
 * engine build or another repository, or one that does not look as this code writes it, is ignored,
 * never trusted; a pack that cannot be written is a cache that misses.
 */

/** The user cache folder for parsed descriptors: MIGRATION_PLANNER_PARSE_CACHE_DIR, else beside the price cache. */
export function defaultParseCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MIGRATION_PLANNER_PARSE_CACHE_DIR) return env.MIGRATION_PLANNER_PARSE_CACHE_DIR;
  if (env.MIGRATION_PLANNER_CACHE_DIR) return path.join(env.MIGRATION_PLANNER_CACHE_DIR, 'parses');
  return path.join(userCacheRoot(env), 'parses');
}

const FORMAT = 2;
/** Set by the build: a hash of the sources, data, schemas and locked dependencies. */
declare const __ENGINE_BUILD__: string | undefined;
let engineIdMemo: string | undefined;

/** This engine build, so that a changed parser never reads old entries. */
export function engineId(): string {
  if (engineIdMemo === undefined) {
    // Unbundled (a test run straight from the sources): the hash of the code running now.
    let build = typeof __ENGINE_BUILD__ === 'string' ? __ENGINE_BUILD__ : undefined;
    if (!build) {
      try {
        build = createHash('sha256').update(fs.readFileSync(__filename)).digest('hex');
      } catch {
        build = String(Date.now()); // no way to tell builds apart: a cache for this process only
      }
    }
    engineIdMemo = createHash('sha256').update(`${FORMAT}\0${build}`).digest('hex').slice(0, 32);
  }
  return engineIdMemo;
}

export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

/** The other files a parse read, as the cache remembers them: path and content hash, or null when absent. */
export function hashedReads(reads: Map<string, string | undefined>): Array<[string, string | null]> {
  return [...reads].map(([rel, text]) => [rel, text === undefined ? null : contentHash(text)]);
}

export interface Entry {
  /** The descriptor parsed: in the pack, a place in it is one number (see `packRef`). */
  f: string;
  /** Other files the parse read: path and content hash, or null when the file was absent. */
  r: Array<[string, string | null]>;
  v: ParseResult;
}

interface Pack {
  format: number;
  engine: string;
  root: string;
  entries: Record<string, Entry>;
}

export class ParseCache {
  /** The last run's entries, read from disk the first time they are needed (a reused plan needs none). */
  private oldEntries: Map<string, Entry> | undefined;
  private readonly next = new Map<string, Entry>();
  private changed = false;
  private hits = 0;

  private constructor(private readonly file: string, private readonly root: string) {}

  private get old(): Map<string, Entry> {
    return (this.oldEntries ??= loadPack(this.file, this.root));
  }

  /** The cache of this repository in `dir`; empty when there is none or it is not to be trusted. */
  static open(dir: string, root: string): ParseCache {
    const absRoot = path.resolve(root);
    return new ParseCache(packFile(dir, absRoot), absRoot);
  }

  /** A descriptor's key: its kind, path and text, and for a Helm chart which template files it has. */
  static key(f: Pick<DescriptorFile, 'kind' | 'path' | 'templates'>, text: string): string {
    return contentHash(`${f.kind}\0${f.path}\0${f.templates ? `${f.templates.join('\0')}\0\0` : ''}${text}`);
  }

  /** The cached result of this parse (and the files it read), if every file it read is as it was. */
  get(key: string, readOther: (rel: string) => string | undefined): Entry | undefined {
    const e = this.old.get(key);
    if (!e) return undefined;
    for (const [rel, hash] of e.r) {
      const now = readOther(rel);
      if ((now === undefined ? null : contentHash(now)) !== hash) return undefined;
    }
    if (!unpackEntry(e)) return undefined;
    this.next.set(key, e);
    this.hits++;
    return e;
  }

  set(key: string, file: string, reads: Map<string, string | undefined>, result: ParseResult): void {
    this.next.set(key, { f: file, r: hashedReads(reads), v: result });
    this.changed = true;
  }

  /** The same, with the other files' content already hashed (a worker's parse). */
  setHashed(key: string, file: string, reads: Array<[string, string | null]>, result: ParseResult): void {
    const { cacheKey: _k, reads: _r, ...v } = result;
    this.next.set(key, { f: file, r: reads, v });
    this.changed = true;
  }

  get hitCount(): number {
    return this.hits;
  }

  /** Keep the entries this run used or made (older ones go), if anything changed. */
  save(): void {
    if (!this.changed && this.next.size === (this.oldEntries?.size ?? 0)) return;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      const fd = fs.openSync(tmp, 'w');
      try {
        fs.writeSync(fd, `{"format":${FORMAT},"engine":${JSON.stringify(engineId())},"root":${asciiJson(JSON.stringify(this.root))},"entries":{`);
        let first = true;
        let buf = '';
        for (const [k, e] of this.next) {
          const json = asciiJson(JSON.stringify(packEntry(e)));
          if (json.includes('null') && !isLossless(e)) continue;
          buf += `${first ? '' : ','}${JSON.stringify(k)}:${json}`;
          first = false;
          if (buf.length > 1 << 20) {
            fs.writeSync(fd, buf);
            buf = '';
          }
        }
        fs.writeSync(fd, buf);
        fs.writeSync(fd, '}}');
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, this.file);
      removeOlderBuilds(this.file);
    } catch {
      /* a cache that cannot be written is a cache that misses */
    }
  }
}

/** A repository's pack: named by the repository, then by the engine build (`<root>-<engine>.json`). */
function packFile(dir: string, absRoot: string): string {
  return repositoryCacheFile(dir, absRoot, '.json');
}

/** A file this engine build keeps for a repository: `<repository>-<engine><ext>` (the pack, the last plan). */
export function repositoryCacheFile(dir: string, absRoot: string, ext: string): string {
  const repoPart = createHash('sha256').update(absRoot).digest('hex').slice(0, 16);
  return path.join(dir, `${repoPart}-${engineId().slice(0, 16)}${ext}`);
}

/**
 * The files of this kind other engine builds wrote for the same repository: no build reads
 * another's, so after an upgrade they are only disk space (one per build, megabytes each on a
 * large repository).
 */
export function removeOlderBuilds(file: string): void {
  const dir = path.dirname(file);
  const base = path.basename(file);
  const repoPart = base.slice(0, base.indexOf('-') + 1);
  const ext = path.extname(base);
  for (const name of fs.readdirSync(dir)) {
    if (name !== base && name.startsWith(repoPart) && name.endsWith(ext)) fs.rmSync(path.join(dir, name), { force: true });
  }
}

function loadPack(file: string, root: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  let pack: Pack;
  try {
    pack = JSON.parse(readPackText(file)) as Pack;
  } catch {
    return out;
  }
  if (!pack || pack.format !== FORMAT || pack.engine !== engineId() || pack.root !== root || typeof pack.entries !== 'object' || pack.entries === null) return out;
  for (const [k, e] of Object.entries(pack.entries)) if (looksLikeEntry(e)) out.set(k, e);
  return out;
}

/**
 * The pack is written in ASCII (JSON escapes for everything else), which reads back as a one-byte
 * string several times faster than UTF-8 decoding; a pack that is not ASCII is decoded as UTF-8.
 */
function readPackText(file: string): string {
  const bytes = fs.readFileSync(file);
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

const NON_ASCII = /[\u0080-\uffff]/g;
function asciiJson(json: string): string {
  NON_ASCII.lastIndex = 0;
  return NON_ASCII.test(json) ? json.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

function looksLikeEntry(e: unknown): e is Entry {
  const x = e as Entry;
  return (
    typeof x === 'object' && x !== null && typeof x.f === 'string' && Array.isArray(x.r) && x.r.every((p) => Array.isArray(p) && typeof p[0] === 'string' && (typeof p[1] === 'string' || p[1] === null)) &&
    typeof x.v === 'object' && x.v !== null && Array.isArray(x.v.workloads) && Array.isArray(x.v.diagnostics)
  );
}

/** JSON keeps an entry whole unless it holds undefined array items, NaN or infinities (they would come back as null). */
function isLossless(r: Entry): boolean {
  let ok = true;
  JSON.stringify(r, (_k, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) ok = false;
    if (Array.isArray(v) && v.includes(undefined)) ok = false;
    return v;
  });
  return ok;
}

/**
 * A place in the entry's own file is most of what a pack holds (every trait, figure and link cites
 * one): it is stored as one number, line × 2^23 + column (0 for none), and made an object again
 * when the entry is used. Any other place (another file, a range, a relocated template line) is
 * stored whole. The entries in use are never changed: the pack gets copies. The places are those
 * `forEachRef` lists; one it may list later is stored whole until it is added here.
 */
const COLUMN_SPAN = 2 ** 23;
type Packed = SourceRef | number;

function packRef(ref: SourceRef, file: string): Packed {
  if (ref.file !== file || ref.endLine !== undefined || ref.endColumn !== undefined) return ref;
  if (!Number.isInteger(ref.line) || ref.line < 0 || ref.line >= 2 ** 29) return ref;
  const col = ref.column;
  if (col !== undefined && !(Number.isInteger(col) && col > 0 && col < COLUMN_SPAN)) return ref;
  // JSON would write the keys in this order: the number must come back as the same object.
  const keys = Object.keys(ref).filter((k) => (ref as unknown as Record<string, unknown>)[k] !== undefined);
  if (keys[0] !== 'file' || keys[1] !== 'line' || keys.length !== (col === undefined ? 2 : 3)) return ref;
  return ref.line * COLUMN_SPAN + (col ?? 0);
}

function unpackRef(p: unknown, file: string): SourceRef {
  if (typeof p !== 'number') {
    if (typeof p === 'object' && p !== null && typeof (p as SourceRef).file === 'string') return p as SourceRef;
    throw new TypeError('not a place');
  }
  const column = p % COLUMN_SPAN;
  const line = (p - column) / COLUMN_SPAN;
  return column ? { file, line, column } : { file, line };
}

function packWorkload(w: PartialWorkload, file: string): unknown {
  const resources: Record<string, unknown> = {};
  for (const [k, r] of Object.entries(w.resources)) resources[k] = r?.source ? { ...r, source: packRef(r.source, file) } : r;
  return {
    ...w,
    source: packRef(w.source, file),
    traits: w.traits.map((t) => ({ ...t, source: packRef(t.source, file) })),
    resources,
    dependsOn: w.dependsOn.map((d) => (d.source ? { ...d, source: packRef(d.source, file) } : d)),
    env: w.env.map((e) => (e.source ? { ...e, source: packRef(e.source, file) } : e)),
  };
}

function packEntry(e: Entry): unknown {
  const v = { ...e.v, workloads: e.v.workloads.map((w) => packWorkload(w, e.f)) };
  if (e.v.aux) v.aux = e.v.aux.map((a) => ({ ...a, source: packRef(a.source, e.f) })) as K8sAux[];
  return { ...e, v };
}

/**
 * Places back to objects, in the entry as read from the pack (again is harmless); false when it is
 * not shaped as this code writes it.
 */
function unpackEntry(e: Entry): boolean {
  try {
    const f = e.f;
    for (const w of e.v.workloads) {
      w.source = unpackRef(w.source, f);
      for (const t of w.traits) t.source = unpackRef(t.source, f);
      for (const r of Object.values(w.resources)) if (r?.source !== undefined) r.source = unpackRef(r.source, f);
      for (const d of w.dependsOn) if (d.source !== undefined) d.source = unpackRef(d.source, f);
      for (const x of w.env) if (x.source !== undefined) x.source = unpackRef(x.source, f);
    }
    for (const a of e.v.aux ?? []) a.source = unpackRef(a.source, f);
    return true;
  } catch {
    return false;
  }
}
