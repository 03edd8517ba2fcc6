import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { assess, defaultParseThreads, defaultWorkerFile, TOOL_VERSION } from '../core/plan/assess';
import type { Plan } from '../core/plan';
import type { PriceSource } from '../core/price';
import { renderMarkdown } from '../core/render/markdown';
import { planJsonChunks } from '../core/render/json';
import { defaultParseCacheDir } from '../core/parse/cache';
import { usd } from '../core/units';
import { bundledSnapshot } from '../core/price/snapshot';

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export const EXIT = { ok: 0, stale: 1, usage: 2, failOn: 3, internal: 70 } as const;

export const HELP = `Usage: migration-planner assess [dir] [options]

Assess the deployment descriptors in dir (default: the current folder) and print a migration
plan to AWS and GCP with monthly costs.

Options:
  --format md|json        Output format (default: md, or json when --out ends in .json)
  --out FILE              Write the plan to FILE instead of standard output
  --check FILE            Do not write: exit 1 if FILE differs from the plan generated now
  --aws-region REGION     AWS region for prices (default: us-east-1, or .migration.yaml)
  --gcp-region REGION     GCP region for prices (default: us-central1, or .migration.yaml)
  --regions aws:R,gcp:R   Also price and estimate carbon in these regions, side by side
                          (repeatable, up to 3; e.g. --regions aws:eu-west-3,gcp:europe-west9)
  --pricing offline|live  Price from the bundled snapshot (default) or the live price APIs
  --refresh               With --pricing live: ignore the price cache
  --fail-on error|warning Exit 3 when a diagnostic of that severity (or worse) is found
  --quiet                 Print nothing on standard error but errors and warnings
                          about the run itself
  --verbose               Also list every YAML file that is not a descriptor, and why
  --no-cache              Parse every descriptor and plan again (parsed descriptors
                          and the last plan are kept by content in the user cache folder)
  -h, --help              Show this help
  -v, --version           Show the version

Exit codes:
  0  the plan was produced (or --check found it up to date)
  1  --check: the committed plan is stale or missing
  2  wrong usage (unknown option, missing folder)
  3  --fail-on: a diagnostic at or above the given severity was found
  70 internal error (please report it)

Progress and warnings go to standard error; the plan goes to standard output or --out.
`;

/** Word-wrapped list, indented, for the help text. */
function wrapList(items: string[], indent: string, width = 96): string {
  const lines: string[] = [];
  let cur = indent;
  for (const it of items) {
    if (cur.length + it.length + 1 > width && cur.trim()) {
      lines.push(cur.trimEnd());
      cur = indent;
    }
    cur += `${it} `;
  }
  if (cur.trim()) lines.push(cur.trimEnd());
  return lines.join('\n');
}

/** The help, with the regions the bundled prices cover (coverage differs by service: README, "Prices"). */
export function helpText(): string {
  const snap = bundledSnapshot();
  return `${HELP}
Regions with bundled prices (services covered differ by region; the plan warns where a
price is missing, and --pricing live fills the rest):
  AWS:
${wrapList(snap.regions('aws'), '    ')}
  GCP:
${wrapList(snap.regions('gcp'), '    ')}
`;
}

export interface CliDeps {
  /** Builds the live price source; injected by tests and by the live-pricing module. */
  livePriceSource?: (opts: { refresh: boolean; env: NodeJS.ProcessEnv; log: (s: string) => void }) => Promise<PriceSource>;
}

/** Everything a run takes, read from the command line and checked before anything is assessed. */
interface CliOptions {
  root: string;
  dir: string;
  format: 'md' | 'json';
  out?: string;
  check?: string;
  pricing: 'offline' | 'live';
  refresh: boolean;
  failOn?: 'error' | 'warning';
  quiet: boolean;
  verbose: boolean;
  cache: boolean;
  regions: { aws?: string; gcp?: string };
  whatIfRegions: { aws?: string; gcp?: string }[];
}

/** The plan in pieces: Markdown as one piece, JSON item by item (a large plan is never held twice). */
function planChunks(plan: Plan, format: 'md' | 'json', outFile: string | undefined, root: string, cwd: string): Iterable<string> {
  if (format === 'json') return planJsonChunks(plan);
  let linkBase = '';
  if (outFile) {
    const rel = path.relative(path.dirname(path.resolve(cwd, outFile)), path.resolve(cwd, root));
    linkBase = rel ? rel.split(path.sep).join('/') + '/' : '';
  }
  return [renderMarkdown(plan, { linkBase })];
}

function firstDifference(a: string, b: string): string {
  const al = a.split('\n');
  const bl = b.split('\n');
  for (let i = 0; i < Math.max(al.length, bl.length); i++) {
    if (al[i] !== bl[i]) return `line ${i + 1}:\n  committed: ${JSON.stringify((al[i] ?? '<end of file>').slice(0, 160))}\n  generated: ${JSON.stringify((bl[i] ?? '<end of file>').slice(0, 160))}`;
  }
  return 'no line differs';
}

type Parsed = ReturnType<typeof parseArgs>;

function parseCommandLine(argv: string[], io: CliIo): Parsed | number {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        out: { type: 'string' },
        check: { type: 'string' },
        'aws-region': { type: 'string' },
        'gcp-region': { type: 'string' },
        pricing: { type: 'string' },
        regions: { type: 'string', multiple: true },
        refresh: { type: 'boolean' },
        'fail-on': { type: 'string' },
        quiet: { type: 'boolean' },
        'no-cache': { type: 'boolean' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (e) {
    io.stderr.write(`migration-planner: ${(e as Error).message}\n\n${HELP}`);
    return EXIT.usage;
  }
}

/** Read and check the options; a number is the exit code of a run that ends here. */
function readOptions(argv: string[], io: CliIo): CliOptions | number {
  const parsed = parseCommandLine(argv, io);
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const usage = (message: string): number => {
    io.stderr.write(`migration-planner: ${message}\n`);
    return EXIT.usage;
  };
  if (v.help) {
    io.stdout.write(helpText());
    return EXIT.ok;
  }
  if (v.version) {
    io.stdout.write(`${TOOL_VERSION}\n`);
    return EXIT.ok;
  }
  const [command, dirArg, ...extra] = parsed.positionals;
  if (command !== 'assess') {
    io.stderr.write(command ? `migration-planner: unknown command "${command}"\n\n${HELP}` : HELP);
    return EXIT.usage;
  }
  if (extra.length) return usage(`one folder at a time (got ${[dirArg, ...extra].join(', ')})`);
  const dir = dirArg ?? '.';
  const root = path.resolve(io.cwd, dir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) return usage(`${dir} is not a folder`);
  const out = v.out as string | undefined;
  const check = v.check as string | undefined;
  if (out !== undefined && check !== undefined) return usage('--check compares and never writes: use --check or --out, not both');
  if (out !== undefined) {
    const problem = outProblem(path.resolve(io.cwd, out));
    if (problem) return usage(`--out ${out}: ${problem}`);
  }
  const target = check ?? out;
  const format = (v.format as string | undefined) ?? (target?.endsWith('.json') ? 'json' : 'md');
  if (format !== 'md' && format !== 'json') return usage(`--format must be md or json, not "${format}"`);
  const pricing = (v.pricing as string | undefined) ?? 'offline';
  if (pricing !== 'offline' && pricing !== 'live') return usage(`--pricing must be offline or live, not "${pricing}"`);
  const failOn = v['fail-on'] as string | undefined;
  if (failOn !== undefined && failOn !== 'error' && failOn !== 'warning') return usage(`--fail-on must be error or warning, not "${failOn}"`);
  for (const [flag, re] of [['aws-region', /^[a-z]{2}(-gov)?-[a-z]+-\d$/], ['gcp-region', /^[a-z]+-[a-z]+\d$/]] as const) {
    const r = v[flag];
    if (typeof r === 'string' && !re.test(r)) return usage(`--${flag} "${r}" is not a region name`);
  }
  const whatIfRegions = readWhatIfRegions((parsed.values as { regions?: string[] }).regions ?? []);
  if (typeof whatIfRegions === 'string') return usage(whatIfRegions);
  return {
    root,
    dir,
    format,
    out,
    check,
    pricing,
    refresh: v.refresh === true,
    failOn,
    quiet: v.quiet === true,
    verbose: v.verbose === true,
    cache: v['no-cache'] !== true,
    regions: { aws: v['aws-region'] as string | undefined, gcp: v['gcp-region'] as string | undefined },
    whatIfRegions,
  };
}

/** Why the plan cannot be written there, or undefined: a missing folder, a folder, a symbolic link. */
function outProblem(file: string): string | undefined {
  const folder = path.dirname(file);
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) return `the folder ${folder} does not exist; create it first`;
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return undefined; // a new file
  }
  if (st.isSymbolicLink()) return 'is a symbolic link; the plan is never written through one (remove the link first)';
  if (!st.isFile()) return 'is not a regular file';
  return undefined;
}

function readWhatIfRegions(specs: string[]): { aws?: string; gcp?: string }[] | string {
  const out: { aws?: string; gcp?: string }[] = [];
  for (const spec of specs) {
    const pair: { aws?: string; gcp?: string } = {};
    for (const part of spec.split(',')) {
      const m = /^(aws|gcp):([a-z0-9-]+)$/.exec(part.trim());
      if (!m) return `--regions "${spec}": each part must be aws:REGION or gcp:REGION`;
      pair[m[1] as 'aws' | 'gcp'] = m[2];
    }
    out.push(pair);
  }
  return out.length > 3 ? 'at most 3 --regions' : out;
}

/** The live price source, or the snapshot (undefined) with a warning when it cannot be set up. */
async function livePrices(o: CliOptions, io: CliIo, deps: CliDeps, log: (s: string) => void, warn: (s: string) => void): Promise<PriceSource | undefined | number> {
  if (o.pricing !== 'live') return undefined;
  if (!deps.livePriceSource) {
    io.stderr.write('migration-planner: live pricing is not available in this build\n');
    return EXIT.usage;
  }
  try {
    return await deps.livePriceSource({ refresh: o.refresh, env: io.env, log });
  } catch (e) {
    warn(`warning: live pricing could not start (${firstLineOf((e as Error).message)}); prices come from the bundled snapshot`);
    return undefined;
  }
}

function firstLineOf(s: string): string {
  return String(s).split('\n')[0].slice(0, 300);
}

export async function runCli(argv: string[], io: CliIo, deps: CliDeps = {}): Promise<number> {
  const o = readOptions(argv, io);
  if (typeof o === 'number') return o;
  const log = (s: string) => {
    if (!o.quiet) io.stderr.write(s + '\n');
  };
  // Errors and warnings about the run itself are printed even with --quiet.
  const warn = (s: string) => io.stderr.write(s + '\n');
  const priceSource = await livePrices(o, io, deps, log, warn);
  if (typeof priceSource === 'number') return priceSource;

  const plan = await assess(o.root, {
    regions: o.regions,
    whatIfRegions: o.whatIfRegions,
    priceSource,
    parseCache: o.cache ? defaultParseCacheDir(io.env) : undefined,
    onNotDescriptor: o.verbose ? (file, reason) => io.stderr.write(`not a descriptor: ${file}: ${reason}\n`) : undefined,
    onProgress: io.env.MIGRATION_PLANNER_TIMINGS ? (m) => io.stderr.write(`${performance.now().toFixed(0).padStart(6)} ms ${(process.memoryUsage().heapUsed / 1048576).toFixed(0).padStart(5)} MB … ${m}\n`) : (m) => log(`… ${m}`),
  }, {
    parallelThreshold: Number(io.env.MIGRATION_PLANNER_PARALLEL_THRESHOLD ?? 2000),
    threads: io.env.MIGRATION_PLANNER_THREADS ? Number(io.env.MIGRATION_PLANNER_THREADS) : defaultParseThreads(),
    workerFile: defaultWorkerFile(),
  });
  for (const d of plan.diagnostics) {
    const line = `${d.file}:${d.line}:${d.column ?? 1}: ${d.severity}: ${d.message}`;
    if (d.severity === 'error') warn(line);
    else if (d.severity !== 'info') log(line);
  }
  for (const n of plan.pricing.notices) log(`pricing: ${n}`);
  const t = plan.totals;
  log(`${plan.summary.workloads} workloads · AWS ${usd(t.aws.monthlyUsd)}${t.aws.complete ? '' : '+'} / GCP ${usd(t.gcp.monthlyUsd)}${t.gcp.complete ? '' : '+'} a month · prices: ${plan.pricing.source} ${plan.pricing.asOf}`);
  const chunks = planChunks(plan, o.format, o.check ?? o.out, o.dir, io.cwd);
  const code = o.check ? checkPlan(o.check, chunks, io, log) : writePlan(o.out, chunks, io, log);
  if (io.env.MIGRATION_PLANNER_TIMINGS) io.stderr.write(`${performance.now().toFixed(0).padStart(6)} ms … written\n`);
  if (code === EXIT.ok && o.failOn) {
    const worst = plan.diagnostics.filter((d) => d.severity === 'error' || (o.failOn === 'warning' && d.severity === 'warning'));
    if (worst.length) {
      io.stderr.write(`migration-planner: ${worst.length} diagnostic${worst.length === 1 ? '' : 's'} at or above ${o.failOn}\n`);
      return EXIT.failOn;
    }
  }
  return code;
}

/** --check: the committed plan against the one generated now, whatever line endings the checkout uses. */
function checkPlan(check: string, chunks: Iterable<string>, io: CliIo, log: (s: string) => void): number {
  const file = path.resolve(io.cwd, check);
  let committed: string;
  try {
    committed = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  } catch {
    io.stderr.write(`migration-planner: ${check} does not exist; generate it with --out ${check}\n`);
    return EXIT.stale;
  }
  const text = [...chunks].join('');
  if (committed !== text) {
    io.stderr.write(`migration-planner: ${check} is stale; regenerate it with --out ${check}\nFirst difference at ${firstDifference(committed, text)}\n`);
    return EXIT.stale;
  }
  log(`${check} is up to date`);
  return EXIT.ok;
}

/** Write the plan piece by piece to --out (through a temporary file, never through a link) or standard output. */
function writePlan(out: string | undefined, chunks: Iterable<string>, io: CliIo, log: (s: string) => void): number {
  if (out === undefined) {
    for (const c of chunks) io.stdout.write(c);
    return EXIT.ok;
  }
  const file = path.resolve(io.cwd, out);
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    let buf = '';
    for (const c of chunks) {
      buf += c;
      if (buf.length >= 1 << 20) {
        fs.writeSync(fd, buf);
        buf = '';
      }
    }
    fs.writeSync(fd, buf);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  log(`wrote ${out}`);
  return EXIT.ok;
}
