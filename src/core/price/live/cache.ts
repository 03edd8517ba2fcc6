import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { userCacheRoot } from '../../user-cache';

/** The CLI's cache folder: MIGRATION_PLANNER_CACHE_DIR, else the user's cache directory. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MIGRATION_PLANNER_CACHE_DIR) return env.MIGRATION_PLANNER_CACHE_DIR;
  return path.join(userCacheRoot(env), 'prices');
}

/**
 * Answers of the price APIs on disk, one file per request group (provider, service, region,
 * filters), valid for a TTL. A damaged file is a miss, never an error.
 */
export class PriceCache {
  constructor(
    readonly dir: string,
    readonly ttlMs: number = 24 * 3600 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  private file(key: string): string {
    return path.join(this.dir, createHash('sha256').update(key).digest('hex').slice(0, 32) + '.json');
  }

  get<T>(key: string): { value: T; storedAt: number } | undefined {
    try {
      const raw = JSON.parse(fs.readFileSync(this.file(key), 'utf8')) as { key: string; storedAt: number; value: T };
      if (raw.key !== key || this.now() - raw.storedAt > this.ttlMs) return undefined;
      return { value: raw.value, storedAt: raw.storedAt };
    } catch {
      return undefined;
    }
  }

  set(key: string, value: unknown): void {
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      const tmp = this.file(key) + `.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ key, storedAt: this.now(), value }));
      fs.renameSync(tmp, this.file(key));
    } catch {
      /* a cache that cannot be written is a cache that misses */
    }
  }
}
