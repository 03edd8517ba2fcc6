import { bundledSnapshot } from '../core/price/snapshot';
import { PriceCache, defaultCacheDir } from '../core/price/live/cache';
import { LivePriceSource } from '../core/price/live/source';
import { runCli } from './cli';

// The price SDKs speak up on their own: deprecation notes go to --verbose, and a promise one of
// them leaves rejected is a warning, never a crash after the plan was written.
const verbose = process.argv.includes('--verbose');
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (verbose) process.stderr.write(`migration-planner: ${w.name}: ${w.message.split('\n')[0]}\n`);
});
process.on('unhandledRejection', (e) => {
  process.stderr.write(`migration-planner: warning: ${String((e as Error)?.message ?? e).split('\n')[0]}\n`);
});

runCli(
  process.argv.slice(2),
  { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env },
  {
    livePriceSource: async ({ refresh, env, log }) => {
      const ttlHours = Number(env.MIGRATION_PLANNER_PRICE_CACHE_TTL_HOURS ?? 24);
      return new LivePriceSource({
        snapshot: bundledSnapshot(),
        cache: new PriceCache(defaultCacheDir(env), (Number.isFinite(ttlHours) ? ttlHours : 24) * 3600 * 1000),
        refresh,
        env,
        awsPricingRegion: env.MIGRATION_PLANNER_AWS_PRICING_REGION,
        awsProfile: env.AWS_PROFILE,
        timeoutMs: env.MIGRATION_PLANNER_PRICE_TIMEOUT_MS ? Number(env.MIGRATION_PLANNER_PRICE_TIMEOUT_MS) : undefined,
        log,
      });
    },
  },
).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`migration-planner: internal error: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 70;
  },
);
