import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Plan } from '.';
import { engineId, removeOlderBuilds, repositoryCacheFile } from '../parse/cache';

/**
 * The last plan of a repository, beside its parse cache, for the run that finds nothing changed:
 * `--check` in CI on a pull request that touched no descriptor, the editor's first assessment after
 * a restart. Planning is a pure function of what it is given (the parse results, the diagnostics
 * of reading, the configuration, the options and the engine with its bundled prices), so the plan
 * is keyed by a hash of exactly that: every descriptor's parse-cache key (its kind, path and text)
 * and the hashes of the other files its parse read, the diagnostics so far, the text of
 * `.migration.yaml`, the planning options and the engine build. Any change is another key and the
 * plan is made anew (each unchanged file still comes from the parse cache). Live prices are never
 * cached here: they change without the repository changing.
 *
 * A plan file from another engine build or another repository, one that does not look as this code
 * writes it, is ignored, never trusted; a plan JSON would not carry whole (NaN, infinities, holes) is not kept.
 */
const FORMAT = 1;

/** What planning depends on, taken before anything is parsed (the other files each parse read come with the plan). */
export interface PlanInputs {
  /** The planning options, as JSON. */
  options: string;
  /** `.migration.yaml`'s text, if there is one. */
  configText?: string;
  /** The descriptors found (path, kind, chart templates), as JSON. */
  files: string;
  /** Each descriptor's parse-cache key (its kind, path and text), null when it could not be read. */
  keys: Array<string | null>;
  /** The diagnostics of finding and reading, as JSON. */
  diagnostics: string;
}

type Reads = Array<Array<[string, string | null]>>;

/**
 * The file: a fixed-size first line (`Meta`, padded with spaces), then the head (the repository
 * and the reads, JSON), then the plan (JSON), so that a run whose inputs changed reads a few
 * kilobytes, not the plan, and the plan is written in pieces as it is made into text.
 */
const META_BYTES = 512;

interface Meta {
  format: number;
  engine: string;
  key: string;
  headBytes: number;
  bodyBytes: number;
}

interface Head {
  root: string;
  /** The other files each descriptor's parse read, with their hashes (null: absent). */
  reads: Reads;
}

export class PlanCache {
  private constructor(private readonly file: string, private readonly root: string) {}

  static open(dir: string, root: string): PlanCache {
    const absRoot = path.resolve(root);
    return new PlanCache(repositoryCacheFile(dir, absRoot, '.plan'), absRoot);
  }

  /** The key of a planning: every part in order, each one's length first so that no two lists collide. */
  static key(inputs: PlanInputs, reads: Reads, refused: string[]): string {
    const h = createHash('sha256');
    const parts = [String(FORMAT), engineId(), inputs.options, inputs.configText === undefined ? '' : `=${inputs.configText}`, inputs.files, JSON.stringify(inputs.keys), JSON.stringify(reads), inputs.diagnostics, JSON.stringify(refused)];
    for (const p of parts) h.update(`${p.length}:`).update(p);
    return h.digest('base64');
  }

  /**
   * The last plan, if every input is as it was: the other files its parses read are read again and
   * hashed (`hashOf`), and the key made of them and `inputs` is the one the plan was kept under.
   * `refused` lists, once those reads are done, the files the guarded reader refused.
   */
  reuse(inputs: PlanInputs, hashOf: (rel: string) => string | null, refused: () => string[]): Plan | undefined {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return undefined;
    }
    try {
      const meta = readMeta(fd, fs.fstatSync(fd).size);
      const head = meta && (parseJson(readBytes(fd, META_BYTES, meta.headBytes)) as Head | undefined);
      if (!meta || !head || head.root !== this.root || !isReads(head.reads) || head.reads.length !== inputs.keys.length) return undefined;
      const now = new Map<string, string | null>(); // a file many parses read (a shared .env) is hashed once
      for (const list of head.reads) {
        for (const [rel, hash] of list) {
          if (!now.has(rel)) now.set(rel, hashOf(rel));
          if (now.get(rel) !== hash) return undefined;
        }
      }
      if (PlanCache.key(inputs, head.reads, refused()) !== meta.key) return undefined;
      const plan = parseJson(readBytes(fd, META_BYTES + meta.headBytes, meta.bodyBytes)) as Plan | undefined;
      return isPlan(plan) ? plan : undefined;
    } catch {
      return undefined;
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Keep this plan for the next run (one per repository and engine build); a plan JSON cannot carry whole is not kept. */
  set(inputs: PlanInputs, reads: Reads, refused: string[], plan: Plan): void {
    if (!jsonKeepsWhole(plan)) return;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      const fd = fs.openSync(tmp, 'w');
      try {
        const headBytes = fs.writeSync(fd, Buffer.from(JSON.stringify({ root: this.root, reads } satisfies Head)), 0, undefined, META_BYTES);
        const bodyBytes = writeJson(fd, META_BYTES + headBytes, plan);
        const meta: Meta = { format: FORMAT, engine: engineId(), key: PlanCache.key(inputs, reads, refused), headBytes, bodyBytes };
        fs.writeSync(fd, Buffer.from(`${JSON.stringify(meta).padEnd(META_BYTES - 1)}\n`), 0, META_BYTES, 0);
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

/** The first line, if it is this build's and its parts add up to the file's size (nothing is read past what is there). */
function readMeta(fd: number, fileBytes: number): Meta | undefined {
  if (fileBytes < META_BYTES) return undefined;
  const m = parseJson(readBytes(fd, 0, META_BYTES)) as Meta | undefined;
  const ok = m && m.format === FORMAT && m.engine === engineId() && typeof m.key === 'string' && Number.isSafeInteger(m.headBytes) && Number.isSafeInteger(m.bodyBytes) && m.headBytes > 0 && m.bodyBytes > 0;
  return ok && META_BYTES + m.headBytes + m.bodyBytes === fileBytes ? m : undefined;
}

/** Exactly `length` bytes at `position`, as text; a file cut short gives what it has, which then fails to parse. */
function readBytes(fd: number, position: number, length: number): string {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  for (let n = -1; got < length && n !== 0; got += n) n = fs.readSync(fd, buf, got, length - got, position + got);
  return buf.toString('utf8', 0, got);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isPlan(p: unknown): p is Plan {
  const x = p as Plan | undefined;
  return typeof x === 'object' && x !== null && Array.isArray(x.workloads) && Array.isArray(x.diagnostics) && typeof x.summary === 'object' && x.summary !== null;
}

/**
 * The plan as compact JSON, written from `position` a top-level key or array item at a time (never
 * one string of the whole plan); the bytes written.
 */
function writeJson(fd: number, position: number, plan: Plan): number {
  let bytes = 0;
  let buf = '{';
  const flush = (force: boolean) => {
    if (!force && buf.length < 1 << 20) return;
    bytes += fs.writeSync(fd, buf, position + bytes, 'utf8');
    buf = '';
  };
  const record = plan as unknown as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined && typeof record[k] !== 'function');
  keys.forEach((k, i) => {
    const value = record[k];
    buf += `${i ? ',' : ''}${JSON.stringify(k)}:`;
    if (!Array.isArray(value)) buf += JSON.stringify(value);
    else {
      buf += '[';
      for (let j = 0; j < value.length; j++) {
        buf += `${j ? ',' : ''}${JSON.stringify(value[j] === undefined || typeof value[j] === 'function' ? null : value[j])}`;
        flush(false);
      }
      buf += ']';
    }
    flush(false);
  });
  buf += '}';
  flush(true);
  return bytes;
}

/**
 * Whether JSON brings the plan back as it is: no NaN or infinity (they come back as null) and no
 * hole or undefined item in an array. Walked with a stack, not recursion.
 */
function jsonKeepsWhole(plan: Plan): boolean {
  const stack: unknown[] = [plan];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return false;
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (v[i] === undefined) return false;
        stack.push(v[i]);
      }
    } else if (typeof v === 'object' && v !== null) {
      for (const k in v) stack.push((v as Record<string, unknown>)[k]);
    }
  }
  return true;
}

function isReads(x: unknown): x is Reads {
  return Array.isArray(x) && x.every((l) => Array.isArray(l) && l.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && (typeof p[1] === 'string' || p[1] === null)));
}
