import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CONFIG_FILE, emptyConfig, parseConfig, type Config } from '../parse/config';
import { discover, knownAbsent, type Discovery } from '../discover';
import { parseFile, readAndParse, recordingContext, type ParseJob } from '../parse';
import { contentHash, hashedReads, ParseCache } from '../parse/cache';
import { PlanCache, type PlanInputs } from './plan-cache';
import { readDiscovered, readRepoFile } from '../discover/read';
import type { ComposeInclude, K8sAux, ParseResult } from '../parse/common';
import type { Plan } from '.';
import type { DescriptorFile, Diagnostic, PartialWorkload } from '../types';
import { planFromPartials, type PlanOptions } from './build';
import { pushAll } from '../collections';

export { assumptionsFor, DEFAULT_REGIONS, planFromPartials, TOOL_NAME, TOOL_VERSION } from './build';
/** The plan names its root '.': never the checkout folder, so that every clone gives the same plan. */
export const PLAN_ROOT = '.';

/** What one assessment takes: the planning options, and what only reading the repository needs. */
export interface AssessOptions extends PlanOptions {
  /** Extra exclude globs (settings); `.migration.yaml` may add more. */
  exclude?: string[];
  /** Sizing headroom from the editor's settings; .migration.yaml's sizing.headroom wins. */
  headroom?: number;
  /** Text of open editors that differ from disk, keyed by POSIX path relative to the root. */
  overlay?: Map<string, string>;
  /** The folder of the on-disk parse cache; no disk cache without it. */
  parseCache?: string;
  /** Told of every YAML file that is not a descriptor, with why (the CLI's `--verbose`). */
  onNotDescriptor?: (file: string, reason: string) => void;
}

/** A worker's answer for one chunk: JSON when that is lossless, else the results themselves. */
interface ChunkMessage {
  chunk: number;
  json?: string;
  results?: ParseResult[];
}

/** The descriptors read before parsing (for the plan cache), with their parse-cache keys: each text is hashed once. */
interface ReadFirst {
  texts: Array<string | undefined>;
  keys: Array<string | null>;
}

interface CachedParse {
  text: string;
  /** The other files the parse read, hashed, when the disk cache was on (for the plan cache). */
  reads?: Array<[string, string | null]>;
  /** A chart's template files when it was parsed: a template added or removed is a change. */
  templates?: string;
  result: ParseResult;
}

/**
 * The engine, with a per-file parse cache: assessing again after one file changed re-parses that
 * file only (and files whose parse reads it, such as a compose file's `.env`).
 */
export interface AssessorOptions {
  /**
   * Parse on worker threads when a repository has at least this many descriptors and `threads` is
   * more than 1 (one-shot runs: the CLI). Parses are then not cached. Off by default.
   */
  parallelThreshold?: number;
  /** How many threads may parse, this one included (at most 4); 1 by default. See `defaultParseThreads`. */
  threads?: number;
  /** The worker script (dist/parse-worker.js next to the bundle); parallel parsing is off without it. */
  workerFile?: string;
}

/**
 * Parse threads worth having on this machine. On most cloud VMs vCPUs are hyperthreads, two to a
 * physical core, and two parsing threads on one core slow each other down so much that a worker
 * does not pay: so a machine with fewer than 4 logical processors parses on one thread.
 */
export function defaultParseThreads(): number {
  const cpus = os.availableParallelism();
  return cpus >= 4 ? Math.min(Math.floor(cpus / 2), 4) : 1;
}

/** Where the bundled parse worker sits, when this code runs from a bundle that has one. */
export function defaultWorkerFile(): string | undefined {
  const f = path.join(__dirname, 'parse-worker.js');
  return fs.existsSync(f) ? f : undefined;
}

export class Assessor {
  private cache = new Map<string, CachedParse>();
  private deps = new Map<string, Set<string>>();

  constructor(readonly root: string, private readonly options: AssessorOptions = {}) {}

  /** Forget cached parses of these files (after a save or a delete). */
  invalidate(files: string[]): void {
    for (const f of files) {
      this.cache.delete(f);
      for (const dependant of this.deps.get(f) ?? []) this.cache.delete(dependant);
    }
  }

  get cachedFiles(): number {
    return this.cache.size;
  }

  async assess(opts: AssessOptions = {}): Promise<Plan> {
    const diagnostics: Diagnostic[] = [];
    // Every read of the repository goes through the guarded reader; what it refuses is reported once.
    const refused = new Set<string>();
    let listing: Discovery | undefined; // once the walk has listed the folders
    const read = (rel: string): string | undefined => {
      const o = opts.overlay?.get(rel);
      if (o !== undefined) return o;
      if (listing && knownAbsent(listing, rel)) return undefined;
      const r = readRepoFile(this.root, rel);
      if (r.diagnostic && !refused.has(rel)) {
        refused.add(rel);
        diagnostics.push(r.diagnostic);
      }
      return r.text;
    };
    const readFound = (rel: string): string | undefined => {
      const o = opts.overlay?.get(rel);
      if (o !== undefined) return o;
      const r = readDiscovered(this.root, rel);
      if (r.diagnostic) diagnostics.push(r.diagnostic);
      return r.text;
    };
    opts.onProgress?.('Reading configuration');
    let config: Config = emptyConfig();
    const configText = read(CONFIG_FILE);
    if (configText !== undefined) {
      const parsed = parseConfig(configText, CONFIG_FILE);
      config = parsed.config;
      pushAll(diagnostics, parsed.diagnostics);
    }
    if (opts.headroom !== undefined && !/^\s*headroom\s*:/m.test(configText ?? '')) config.sizing.headroom = opts.headroom;
    opts.onProgress?.('Finding descriptors');
    const found = discover(this.root, { exclude: [...(opts.exclude ?? []), ...config.exclude] });
    pushAll(diagnostics, found.diagnostics);
    listing = found;
    throwIfAborted(opts.signal);
    opts.onProgress?.(`Parsing ${found.files.length} descriptor${found.files.length === 1 ? '' : 's'}`);
    // Workers only pay off on large repositories: starting one costs about as much as parsing a
    // few hundred files.
    const { workerFile, parallelThreshold } = this.options;
    const threads = Math.min(this.options.threads ?? 1, 4);
    const parallel = workerFile && parallelThreshold !== undefined && threads > 1 && found.files.length >= parallelThreshold && !opts.overlay;
    const disk = opts.parseCache && !opts.overlay ? ParseCache.open(opts.parseCache, this.root) : undefined;
    const cache = opts.parseCache && disk && opts.priceSource === undefined && opts.snapshot === undefined ? PlanCache.open(opts.parseCache, this.root) : undefined;
    // With the plan cache, every descriptor is read first: if nothing planning depends on changed, nothing is parsed.
    const texts = cache ? found.files.map((f) => readFound(f.path)) : undefined;
    const inputs = cache && texts ? planInputs(found, texts, diagnostics, configText, opts) : undefined;
    // A run told of every file that is not a descriptor (--verbose) parses them all to say why.
    const reused = inputs && !opts.onNotDescriptor ? cache?.reuse(inputs, (rel) => hashOrNull(read(rel)), () => [...refused].sort()) : undefined;
    if (reused) {
      opts.onProgress?.('Nothing the plan depends on changed: the last plan is reused');
      return reused;
    }
    const read0 = texts && inputs ? { texts, keys: inputs.keys } : undefined;
    const reads: Array<Array<[string, string | null]>> = [];
    let results: ParseResult[];
    if (parallel) {
      // They join in as soon as they have loaded; this thread starts on the first chunks meanwhile.
      const workers = Array.from({ length: threads - 1 }, () => new Worker(workerFile));
      try {
        results = await this.parseParallel(found.files, workers, readFound, read, disk, reads, read0, opts.signal);
      } finally {
        for (const w of workers) void w.terminate();
      }
    } else results = this.parseAll(found.files, readFound, read, opts, disk, reads, read0);
    disk?.save();
    opts.onProgress?.('Collecting parse results');
    if (opts.onNotDescriptor) {
      const notes = [...found.skipped, ...results.flatMap((r, i) => (r.notDescriptor ? [{ path: found.files[i].path, reason: r.notDescriptor }] : []))];
      for (const n of notes.sort((a, b) => (a.path < b.path ? -1 : 1))) opts.onNotDescriptor(n.path, n.reason);
    }
    const plan = await planOfResults(results, diagnostics, config, opts);
    if (inputs) cache?.set(inputs, reads, [...refused].sort(), plan);
    return plan;
  }

  /**
   * Parse on this thread and the workers at once. The files are cut into chunks, largest files
   * first, and each thread claims the next chunk from a shared counter until none is left, so that
   * all finish together whatever their speed. Workers send each chunk back as JSON (quicker to
   * decode than a structured clone), which this thread decodes between its own chunks. Results go
   * back in file order: the plan is the same as a one-thread run's, byte for byte. A chunk that a
   * worker claimed but never delivered (the worker died) is parsed here.
   */
  private async parseParallel(files: DescriptorFile[], workers: Worker[], readFound: (rel: string) => string | undefined, read: (rel: string) => string | undefined, disk: ParseCache | undefined, reads: Array<Array<[string, string | null]>>, read0?: ReadFirst, signal?: AbortSignal): Promise<ParseResult[]> {
    const root = path.resolve(this.root);
    const out: (ParseResult | undefined)[] = new Array<ParseResult | undefined>(files.length).fill(undefined);
    const misses: number[] = [];
    files.forEach((f, i) => {
      const text = read0 ? read0.texts[i] : disk ? readFound(f.path) : undefined;
      const hit = text !== undefined ? disk?.get(read0?.keys[i] ?? ParseCache.key(f, text), read) : undefined;
      if (hit) {
        out[i] = hit.v;
        reads[i] = hit.r;
      } else misses.push(i);
    });
    const sizeAt = new Map(misses.map((i) => [i, files[i].size ?? sizeOf(path.join(root, files[i].path))]));
    const order = misses.sort((a, b) => (sizeAt.get(b) as number) - (sizeAt.get(a) as number) || a - b);
    const chunks: number[][] = [];
    let cur: number[] = [];
    let bytes = 0;
    for (const i of order) {
      cur.push(i);
      bytes += (sizeAt.get(i) as number) + 512; // a fixed cost per file, whatever its size
      if (cur.length >= 64 || bytes >= 96 * 1024) {
        chunks.push(cur);
        cur = [];
        bytes = 0;
      }
    }
    if (cur.length) chunks.push(cur);
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const place = (m: ChunkMessage) => {
      const results = m.json !== undefined ? (JSON.parse(m.json) as ParseResult[]) : (m.results as ParseResult[]);
      chunks[m.chunk].forEach((i, k) => (out[i] = results[k]));
    };
    const finished = workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          w.on('message', (m: ChunkMessage | { done: true }) => ('done' in m ? resolve() : place(m)));
          // A worker that fails leaves its chunks to this thread (below), never the run.
          w.once('error', () => resolve());
          w.once('exit', () => resolve());
        }),
    );
    const job: ParseJob = { root, files, chunks, counter: counter.buffer as SharedArrayBuffer, forCache: disk !== undefined };
    for (const w of workers) w.postMessage(job);
    for (;;) {
      const c = Atomics.add(counter, 0, 1);
      if (c >= chunks.length) break;
      for (const i of chunks[c]) out[i] = readAndParse(root, files[i], disk !== undefined);
      throwIfAborted(signal);
      await new Promise<void>((resolve) => setImmediate(resolve)); // take in what the workers sent
    }
    await Promise.all(finished);
    const results = out.map((r, i) => r ?? readAndParse(root, files[i], disk !== undefined));
    for (const i of misses) {
      const r = results[i];
      if (disk && r.cacheKey && r.reads) disk.setHashed(r.cacheKey, files[i].path, r.reads, r);
      reads[i] = r.reads ?? [];
    }
    return results;
  }

  private parseAll(files: DescriptorFile[], readFound: (rel: string) => string | undefined, read: (rel: string) => string | undefined, opts: AssessOptions, disk: ParseCache | undefined, reads: Array<Array<[string, string | null]>>, read0?: ReadFirst): ParseResult[] {
    const out: ParseResult[] = [];
    for (let i = 0; i < files.length; i++) {
      const f = files[i];
      const text = read0 ? read0.texts[i] : readFound(f.path);
      if (text === undefined) {
        out.push({ workloads: [], diagnostics: [] }); // the reader has said why
        reads.push([]);
        continue;
      }
      const cached = this.cache.get(f.path);
      if (cached && cached.text === text && cached.templates === f.templates?.join('\0') && !opts.overlay?.has(f.path)) {
        out.push(cached.result);
        reads.push(cached.reads ?? []);
        continue;
      }
      const parsed = this.parseOne(f, text, read, disk, read0?.keys[i] ?? undefined);
      this.cache.set(f.path, { text, templates: f.templates?.join('\0'), ...parsed });
      out.push(parsed.result);
      reads.push(parsed.reads ?? []);
    }
    return out;
  }

  /** One descriptor from the disk cache or parsed (and kept there), with the other files it read. */
  private parseOne(f: DescriptorFile, text: string, read: (rel: string) => string | undefined, disk: ParseCache | undefined, known?: string): { result: ParseResult; reads?: Array<[string, string | null]> } {
    const key = disk ? (known ?? ParseCache.key(f, text)) : undefined;
    const hit = key !== undefined ? disk?.get(key, read) : undefined;
    if (hit) {
      for (const [r] of hit.r) this.dependOn(r, f.path);
      return { result: hit.v, reads: hit.r };
    }
    const { ctx, reads } = recordingContext(read, f.templates);
    const result = parseFile(f.kind, text, f.path, ctx);
    for (const r of reads.keys()) this.dependOn(r, f.path);
    if (key === undefined || !disk) return { result };
    const hashed = hashedReads(reads);
    disk.setHashed(key, f.path, hashed, result);
    return { result, reads: hashed };
  }

  private dependOn(file: string, dependant: string): void {
    let s = this.deps.get(file);
    if (!s) this.deps.set(file, (s = new Set()));
    s.add(dependant);
  }
}

/** A file's size for balancing the parse across threads (0 when it cannot be asked: the reader will say why). */
function sizeOf(abs: string): number {
  try {
    return fs.statSync(abs).size;
  } catch {
    return 0;
  }
}

/** The parse results gathered and planned. */
async function planOfResults(results: ParseResult[], diagnostics: Diagnostic[], config: Config, opts: AssessOptions): Promise<Plan> {
  const partials: PartialWorkload[] = [];
  const aux: K8sAux[] = [];
  const crdDirs: string[] = [];
  const composeIncludes: ComposeInclude[] = [];
  for (const r of results) {
    // Loops, not push(...xs): a file of 130,000 items must not overflow the stack.
    for (const x of r.workloads) partials.push(x);
    for (const x of r.diagnostics) diagnostics.push(x);
    for (const x of r.aux ?? []) aux.push(x);
    for (const x of r.crdDirs ?? []) crdDirs.push(x);
    for (const x of r.composeIncludes ?? []) composeIncludes.push(x);
  }
  throwIfAborted(opts.signal);
  return planFromPartials(PLAN_ROOT, partials, aux, crdDirs, diagnostics, config, { ...opts, composeIncludes });
}

/** What planning depends on besides the other files the parses read (see PlanCache), taken before anything is parsed. */
function planInputs(found: Discovery, texts: Array<string | undefined>, diagnostics: Diagnostic[], configText: string | undefined, opts: AssessOptions): PlanInputs {
  return {
    options: JSON.stringify({ regions: opts.regions, whatIfRegions: opts.whatIfRegions, headroom: opts.headroom, exclude: opts.exclude }),
    configText,
    files: JSON.stringify(found.files.map((f) => [f.path, f.kind, f.templates ?? null])),
    keys: texts.map((t, i) => (t === undefined ? null : ParseCache.key(found.files[i], t))),
    diagnostics: JSON.stringify(diagnostics),
  };
}

function hashOrNull(text: string | undefined): string | null {
  return text === undefined ? null : contentHash(text);
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new Error('Assessment cancelled');
}

/** Assess a directory once (the CLI's entry point). */
export async function assess(root: string, opts: AssessOptions = {}, assessor: AssessorOptions = {}): Promise<Plan> {
  return new Assessor(root, assessor).assess(opts);
}
