import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { userCacheRoot } from '../core/user-cache';

/**
 * Run the CLI bundle with V8's code cache, as Node 22's `module.enableCompileCache()` does (this
 * tool supports Node 20, which lacks it). Compiling the 2 MB bundle, and each function the first
 * time it runs, is a fixed cost of every run; the compiled code of a run is kept under the user
 * cache folder and handed to V8 by the next. The file is named after the bundle file as it is on
 * disk and Node's version; V8 checks the rest and rejects what does not fit, in which case the
 * bundle compiles as usual and the cache is written anew. A cache that cannot be read or written
 * changes nothing. MIGRATION_PLANNER_COMPILE_CACHE=0 turns it off.
 */
export function runWithCompileCache(bundle: string, env: NodeJS.ProcessEnv = process.env): void {
  const source = fs.readFileSync(bundle, 'utf8');
  const file = env.MIGRATION_PLANNER_COMPILE_CACHE === '0' ? undefined : cacheFile(bundle, env);
  const cachedData = file ? readOrUndefined(file) : undefined;
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  if (file && (!cachedData || script.cachedDataRejected)) {
    // After the run: the code cache then holds every function the run compiled, not only the top level.
    process.once('exit', () => writeQuietly(file, () => script.createCachedData()));
  }
  const m = new Module(bundle, module);
  m.filename = bundle;
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  const req = Module.createRequire(bundle);
  wrapper.call(m.exports, m.exports, req, m, bundle, path.dirname(bundle));
}

/**
 * V8 flags for a one-shot run of the CLI, set before the bundle is compiled. V8 optimises a hot
 * function on a background thread while the run goes on. A run over a large repository makes
 * hundreds of functions hot once each, and with V8's default inlining budget compiling them took
 * 1.4 s of processor time in a 2.7 s run over 10,000 services. On a 2-vCPU machine (a CI runner)
 * that competes with the run itself. A smaller inlining budget cuts the time spent compiling by a
 * quarter and made such runs 7% quicker, with the same output (README: Compiled code). Inlining is
 * a heuristic of the optimising compiler, read as each function is compiled; nothing else changes.
 * MIGRATION_PLANNER_V8_TUNING=0 leaves V8's defaults.
 */
export const ONE_SHOT_V8_FLAGS = ['--max-inlined-bytecode-size-cumulative=100'];

export function tuneV8ForOneShotRun(env: NodeJS.ProcessEnv = process.env): void {
  if (env.MIGRATION_PLANNER_V8_TUNING === '0') return;
  for (const flag of ONE_SHOT_V8_FLAGS) v8.setFlagsFromString(flag);
}

/**
 * Named by the bundle file (its size, change time and inode: a rebuild or an edit makes another
 * name) and the Node build; none when there is no cache folder to name (no home directory).
 */
function cacheFile(bundle: string, env: NodeJS.ProcessEnv): string | undefined {
  try {
    const st = fs.statSync(bundle);
    const key = createHash('sha256').update(`${process.version}\0${process.arch}\0${process.platform}\0${bundle}\0${st.size}\0${st.mtimeMs}\0${st.ctimeMs}\0${st.ino}`).digest('hex').slice(0, 24);
    const dir = env.MIGRATION_PLANNER_CACHE_DIR ? path.join(env.MIGRATION_PLANNER_CACHE_DIR, 'code') : path.join(userCacheRoot(env), 'code');
    return path.join(dir, `cli-${key}.bin`);
  } catch {
    return undefined;
  }
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

function writeQuietly(file: string, data: () => Buffer): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, data());
    fs.renameSync(tmp, file);
    removeOthers(file);
  } catch {
    /* a cache that cannot be written is a cache that misses */
  }
}

/** Caches of other builds of the bundle are only disk space once this one is written. */
function removeOthers(file: string): void {
  const dir = path.dirname(file);
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith('cli-') && path.join(dir, name) !== file && (name.endsWith('.bin') || name.endsWith('.tmp'))) fs.rmSync(path.join(dir, name), { force: true });
  }
}
