import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { assess, defaultParseThreads, defaultWorkerFile, TOOL_VERSION } from '../core/plan/assess';
import type { Plan } from '../core/plan';
import type { PriceSource } from '../core/price';
import { renderMarkdown } from '../core/render/markdown';
import { usd } from '../core/units';

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
  --quiet                 Print nothing on standard error but errors
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

export interface CliDeps {
  /** Builds the live price source; injected by tests and by the live-pricing module. */
  livePriceSource?: (opts: { refresh: boolean; env: NodeJS.ProcessEnv; log: (s: string) => void }) => Promise<PriceSource>;
}

function renderPlan(plan: Plan, format: 'md' | 'json', outFile: string | undefined, root: string, cwd: string): string {
  if (format === 'json') return JSON.stringify(plan, null, 2) + '\n';
  let linkBase = '';
  if (outFile) {
    const rel = path.relative(path.dirname(path.resolve(cwd, outFile)), path.resolve(cwd, root));
    linkBase = rel ? rel.split(path.sep).join('/') + '/' : '';
  }
  return renderMarkdown(plan, { linkBase });
}

function firstDifference(a: string, b: string): string {
  const al = a.split('\n');
  const bl = b.split('\n');
  for (let i = 0; i < Math.max(al.length, bl.length); i++) {
    if (al[i] !== bl[i]) return `line ${i + 1}:\n  committed: ${JSON.stringify((al[i] ?? '<end of file>').slice(0, 160))}\n  generated: ${JSON.stringify((bl[i] ?? '<end of file>').slice(0, 160))}`;
  }
  return 'no line differs';
}

export async function runCli(argv: string[], io: CliIo, deps: CliDeps = {}): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
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
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (e) {
    io.stderr.write(`migration-planner: ${(e as Error).message}\n\n${HELP}`);
    return EXIT.usage;
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  if (v.help) {
    io.stdout.write(HELP);
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
  if (extra.length) {
    io.stderr.write(`migration-planner: one folder at a time (got ${[dirArg, ...extra].join(', ')})\n`);
    return EXIT.usage;
  }
  const log = (s: string) => {
    if (!v.quiet) io.stderr.write(s + '\n');
  };
  const dir = dirArg ?? '.';
  const root = path.resolve(io.cwd, dir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    io.stderr.write(`migration-planner: ${dir} is not a folder\n`);
    return EXIT.usage;
  }
  const target = (v.check ?? v.out) as string | undefined;
  const format = (v.format as string | undefined) ?? (target?.endsWith('.json') ? 'json' : 'md');
  if (format !== 'md' && format !== 'json') {
    io.stderr.write(`migration-planner: --format must be md or json, not "${format}"\n`);
    return EXIT.usage;
  }
  const pricing = (v.pricing as string | undefined) ?? 'offline';
  if (pricing !== 'offline' && pricing !== 'live') {
    io.stderr.write(`migration-planner: --pricing must be offline or live, not "${pricing}"\n`);
    return EXIT.usage;
  }
  const failOn = v['fail-on'] as string | undefined;
  if (failOn !== undefined && failOn !== 'error' && failOn !== 'warning') {
    io.stderr.write(`migration-planner: --fail-on must be error or warning, not "${failOn}"\n`);
    return EXIT.usage;
  }
  for (const [flag, re] of [['aws-region', /^[a-z]{2}(-gov)?-[a-z]+-\d$/], ['gcp-region', /^[a-z]+-[a-z]+\d$/]] as const) {
    const r = v[flag];
    if (typeof r === 'string' && !re.test(r)) {
      io.stderr.write(`migration-planner: --${flag} "${r}" is not a region name\n`);
      return EXIT.usage;
    }
  }

  const whatIfRegions: { aws?: string; gcp?: string }[] = [];
  for (const spec of (parsed.values as { regions?: string[] }).regions ?? []) {
    const pair: { aws?: string; gcp?: string } = {};
    for (const part of spec.split(',')) {
      const m = /^(aws|gcp):([a-z0-9-]+)$/.exec(part.trim());
      if (!m) {
        io.stderr.write(`migration-planner: --regions "${spec}": each part must be aws:REGION or gcp:REGION\n`);
        return EXIT.usage;
      }
      pair[m[1] as 'aws' | 'gcp'] = m[2];
    }
    whatIfRegions.push(pair);
  }
  if (whatIfRegions.length > 3) {
    io.stderr.write('migration-planner: at most 3 --regions\n');
    return EXIT.usage;
  }

  let priceSource: PriceSource | undefined;
  if (pricing === 'live') {
    if (!deps.livePriceSource) {
      io.stderr.write('migration-planner: live pricing is not available in this build\n');
      return EXIT.usage;
    }
    priceSource = await deps.livePriceSource({ refresh: v.refresh === true, env: io.env, log });
  }

  const plan = await assess(root, {
    regions: { aws: v['aws-region'] as string | undefined, gcp: v['gcp-region'] as string | undefined },
    whatIfRegions,
    priceSource,
    onProgress: io.env.MIGRATION_PLANNER_TIMINGS ? (m) => io.stderr.write(`${performance.now().toFixed(0).padStart(6)} ms ${(process.memoryUsage().heapUsed / 1048576).toFixed(0).padStart(5)} MB … ${m}\n`) : (m) => log(`… ${m}`),
  }, {
    parallelThreshold: Number(io.env.MIGRATION_PLANNER_PARALLEL_THRESHOLD ?? 2000),
    threads: io.env.MIGRATION_PLANNER_THREADS ? Number(io.env.MIGRATION_PLANNER_THREADS) : defaultParseThreads(),
    workerFile: defaultWorkerFile(),
  });
  for (const d of plan.diagnostics) if (d.severity !== 'info') log(`${d.file}:${d.line}:${d.column ?? 1}: ${d.severity}: ${d.message}`);
  for (const n of plan.pricing.notices) log(`pricing: ${n}`);
  const t = plan.totals;
  log(
    `${plan.summary.workloads} workloads · AWS ${usd(t.aws.monthlyUsd)}${t.aws.complete ? '' : '+'} / GCP ${usd(t.gcp.monthlyUsd)}${t.gcp.complete ? '' : '+'} a month · prices: ${plan.pricing.source} ${plan.pricing.asOf}`,
  );

  const text = renderPlan(plan, format, target, dir, io.cwd);
  if (io.env.MIGRATION_PLANNER_TIMINGS) io.stderr.write(`${performance.now().toFixed(0).padStart(6)} ms … rendered\n`);
  let code: number = EXIT.ok;
  if (v.check) {
    const file = path.resolve(io.cwd, v.check as string);
    let committed: string | undefined;
    try {
      committed = fs.readFileSync(file, 'utf8');
    } catch {
      committed = undefined;
    }
    if (committed === undefined) {
      io.stderr.write(`migration-planner: ${v.check} does not exist; generate it with --out ${v.check}\n`);
      code = EXIT.stale;
    } else if (committed !== text) {
      io.stderr.write(`migration-planner: ${v.check} is stale; regenerate it with --out ${v.check}\nFirst difference at ${firstDifference(committed, text)}\n`);
      code = EXIT.stale;
    } else log(`${v.check} is up to date`);
  } else if (v.out) {
    fs.writeFileSync(path.resolve(io.cwd, v.out as string), text);
    log(`wrote ${v.out}`);
  } else {
    io.stdout.write(text);
  }
  if (code === EXIT.ok && failOn) {
    const worst = plan.diagnostics.filter((d) => d.severity === 'error' || (failOn === 'warning' && d.severity === 'warning'));
    if (worst.length) {
      io.stderr.write(`migration-planner: ${worst.length} diagnostic${worst.length === 1 ? '' : 's'} at or above ${failOn}\n`);
      code = EXIT.failOn;
    }
  }
  return code;
}
