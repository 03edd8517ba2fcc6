import { bundledSnapshot } from '../core/price/snapshot';
import { PriceCache, defaultCacheDir } from '../core/price/live/cache';
import { LivePriceSource } from '../core/price/live/source';
import { runCli } from './cli';

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
