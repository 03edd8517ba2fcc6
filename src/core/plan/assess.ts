import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CONFIG_FILE, emptyConfig, parseConfig, type Config } from '../parse/config';
import { discover } from '../discover';
import { parseFile, readAndParse, recordingContext, type ParseJob } from '../parse';
import { ParseCache } from '../parse/cache';
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

interface CachedParse {
  text: string;
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
    const read = (rel: string): string | undefined => {
      const o = opts.overlay?.get(rel);
      if (o !== undefined) return o;
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
    throwIfAborted(opts.signal);
    opts.onProgress?.(`Parsing ${found.files.length} descriptor${found.files.length === 1 ? '' : 's'}`);
    // Workers only pay off on large repositories: starting one costs about as much as parsing a
    // few hundred files.
    const { workerFile, parallelThreshold } = this.options;
    const threads = Math.min(this.options.threads ?? 1, 4);
    const parallel = workerFile && parallelThreshold !== undefined && threads > 1 && found.files.length >= parallelThreshold && !opts.overlay;
    const disk = opts.parseCache && !opts.overlay ? ParseCache.open(opts.parseCache, this.root) : undefined;
    let results: ParseResult[];
    if (parallel) {
      // They join in as soon as they have loaded; this thread starts on the first chunks meanwhile.
      const workers = Array.from({ length: threads - 1 }, () => new Worker(workerFile));
      try {
        results = await this.parseParallel(found.files, workers, readFound, read, disk, opts.signal);
      } finally {
        for (const w of workers) void w.terminate();
      }
    } else results = this.parseAll(found.files, readFound, read, opts, disk);
    disk?.save();
    opts.onProgress?.('Collecting parse results');
    if (opts.onNotDescriptor) {
      const notes = [...found.skipped, ...results.flatMap((r, i) => (r.notDescriptor ? [{ path: found.files[i].path, reason: r.notDescriptor }] : []))];
      for (const n of notes.sort((a, b) => (a.path < b.path ? -1 : 1))) opts.onNotDescriptor(n.path, n.reason);
    }
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

  /**
   * Parse on this thread and the workers at once. The files are cut into chunks, largest files
   * first, and each thread claims the next chunk from a shared counter until none is left, so that
   * all finish together whatever their speed. Workers send each chunk back as JSON (quicker to
   * decode than a structured clone), which this thread decodes between its own chunks. Results go
   * back in file order: the plan is the same as a one-thread run's, byte for byte. A chunk that a
   * worker claimed but never delivered (the worker died) is parsed here.
   */
  private async parseParallel(files: DescriptorFile[], workers: Worker[], readFound: (rel: string) => string | undefined, read: (rel: string) => string | undefined, disk: ParseCache | undefined, signal?: AbortSignal): Promise<ParseResult[]> {
    const root = path.resolve(this.root);
    const out: (ParseResult | undefined)[] = new Array<ParseResult | undefined>(files.length).fill(undefined);
    const misses: number[] = [];
    files.forEach((f, i) => {
      const text = disk ? readFound(f.path) : undefined;
      const hit = text !== undefined ? disk?.get(ParseCache.key(f, text), read) : undefined;
      if (hit) out[i] = hit.v;
      else misses.push(i);
    });
    const order = misses.sort((a, b) => files[b].size - files[a].size || a - b);
    const chunks: number[][] = [];
    let cur: number[] = [];
    let bytes = 0;
    for (const i of order) {
      cur.push(i);
      bytes += files[i].size + 512; // a fixed cost per file, whatever its size
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
    }
    return results;
  }

  private parseAll(files: DescriptorFile[], readFound: (rel: string) => string | undefined, read: (rel: string) => string | undefined, opts: AssessOptions, disk?: ParseCache): ParseResult[] {
    const out: ParseResult[] = [];
    for (const f of files) {
      const text = readFound(f.path);
      if (text === undefined) {
        out.push({ workloads: [], diagnostics: [] }); // the reader has said why
        continue;
      }
      const cached = this.cache.get(f.path);
      if (cached && cached.text === text && cached.templates === f.templates?.join('\0') && !opts.overlay?.has(f.path)) {
        out.push(cached.result);
        continue;
      }
      const key = disk ? ParseCache.key(f, text) : undefined;
      const hit = key !== undefined ? disk?.get(key, read) : undefined;
      let result: ParseResult;
      if (hit) {
        result = hit.v;
        for (const [r] of hit.r) this.dependOn(r, f.path);
      } else {
        const { ctx, reads } = recordingContext(read, f.templates);
        result = parseFile(f.kind, text, f.path, ctx);
        if (key !== undefined) disk?.set(key, f.path, reads, result);
        for (const r of reads.keys()) this.dependOn(r, f.path);
      }
      this.cache.set(f.path, { text, templates: f.templates?.join('\0'), result });
      out.push(result);
    }
    return out;
  }

  private dependOn(file: string, dependant: string): void {
    let s = this.deps.get(file);
    if (!s) this.deps.set(file, (s = new Set()));
    s.add(dependant);
  }
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new Error('Assessment cancelled');
}

/** Assess a directory once (the CLI's entry point). */
export async function assess(root: string, opts: AssessOptions = {}, assessor: AssessorOptions = {}): Promise<Plan> {
  return new Assessor(root, assessor).assess(opts);
}
