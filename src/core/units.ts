import { table } from './collections';
/** Quantities as descriptors write them, turned into numbers. Undefined means "could not read". */

/** Kubernetes CPU quantity ("500m", "0.5", "2") or compose cpus ("0.50") → vCPU. */
export function parseCpu(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[0-9]+)?)\s*(m?)\s*$/i.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (!Number.isFinite(n)) return undefined;
  return m[2] ? n / 1000 : n;
}

const BIN: Record<string, number> = table({ ki: 1 / 1024, mi: 1, gi: 1024, ti: 1024 * 1024 });
// Decimal SI suffixes (K8s "M", "G") and the short forms of compose/CF ("512m", "1g", "1GB").
const DEC: Record<string, number> = table({
  '': 1 / (1024 * 1024),
  b: 1 / (1024 * 1024),
  k: 1000 / (1024 * 1024),
  kb: 1000 / (1024 * 1024),
  m: 1e6 / (1024 * 1024),
  mb: 1e6 / (1024 * 1024),
  g: 1e9 / (1024 * 1024),
  gb: 1e9 / (1024 * 1024),
  t: 1e12 / (1024 * 1024),
  tb: 1e12 / (1024 * 1024),
});

/**
 * Memory quantity → MiB. Kubernetes rules: "Mi"/"Gi" binary, "M"/"G" decimal, bare number bytes.
 * `shortIsBinary` reads compose/CF/Heroku style "512M", "1G", "1GB" as binary (that is what those
 * tools mean: Docker's "1g" is 1 GiB, Cloud Foundry's "1G" is 1024 MB).
 */
export function parseMemoryMiB(v: unknown, shortIsBinary = false): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v / (1024 * 1024) : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[0-9]+)?)\s*([a-z]*)\s*$/i.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unitRaw = m[2];
  const unit = unitRaw.toLowerCase();
  if (!Number.isFinite(n)) return undefined;
  if (unit in BIN) return n * BIN[unit];
  if (unit === 'kib') return n / 1024;
  if (unit === 'mib') return n;
  if (unit === 'gib') return n * 1024;
  if (shortIsBinary) {
    if (unit === 'k' || unit === 'kb') return n / 1024;
    if (unit === 'm' || unit === 'mb') return n;
    if (unit === 'g' || unit === 'gb') return n * 1024;
    if (unit === 't' || unit === 'tb') return n * 1024 * 1024;
  }
  // Kubernetes: lower-case "m" on memory means milli-bytes; nobody means that, but it is the rule.
  if (unitRaw === 'm') return (n / 1000) / (1024 * 1024);
  if (unit in DEC) return n * DEC[unit];
  return undefined;
}

/** Round to `d` decimals, avoiding binary noise such as 0.30000000000000004. */
export function round(n: number, d = 2): number {
  const f = 10 ** d;
  return Math.round((n + Number.EPSILON) * f) / f;
}

/** Money formatting used by every renderer. */
export function usd(n: number): string {
  return '$' + n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/**
 * A platform's shared vCPU (Fly's `shared-cpu-*`, App Platform's `apps-s-*` and `basic-*`) is sized
 * as a quarter of a vCPU: it is guaranteed a fraction of a core and bursts, as Heroku's smaller dynos
 * do. This tool's assumption; every workload sized so says it.
 */
export const SHARED_VCPU = 0.25;
