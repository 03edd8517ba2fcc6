import type { Diagnostic, PartialWorkload, Resources, SourceRef } from '../types';

/**
 * What a descriptor may say about a quantity. A value outside these bounds is not a size anyone
 * means (1e308 vCPU, a negative timeout, a billion replicas): it is reported at its place and the
 * stated fallback is used, so that totals stay finite, non-negative and believable.
 */
interface Bound {
  what: string;
  unit: string;
  min: number;
  /** The minimum itself is not allowed (a timeout of 0 s). */
  minExclusive?: boolean;
  max: number;
  integer?: boolean;
}

const BOUNDS: Record<keyof Resources, Bound> = {
  cpu: { what: 'CPU', unit: 'vCPU', min: 0, max: 1024 },
  memoryMiB: { what: 'Memory', unit: 'MiB', min: 0, max: 32 * 1024 * 1024 },
  replicas: { what: 'Replicas', unit: '', min: 0, max: 100_000, integer: true },
  minReplicas: { what: 'Minimum replicas', unit: '', min: 0, max: 100_000, integer: true },
  maxReplicas: { what: 'Maximum replicas', unit: '', min: 0, max: 100_000, integer: true },
  storageGiB: { what: 'Storage', unit: 'GiB', min: 0, max: 1024 * 1024 },
  gpus: { what: 'GPUs', unit: '', min: 0, max: 64, integer: true },
  timeoutSeconds: { what: 'Timeout', unit: 's', min: 0, minExclusive: true, max: 86_400 },
  onPremMonthlyUsd: { what: 'On-premises monthly cost', unit: 'USD', min: 0, max: 1e9 },
  utilisation: { what: 'Utilisation', unit: '', min: 0, max: 1 },
};

function inBounds(v: number, b: Bound): boolean {
  if (!Number.isFinite(v)) return false;
  if (b.minExclusive ? v <= b.min : v < b.min) return false;
  if (v > b.max) return false;
  return !b.integer || Number.isInteger(v);
}

function describe(v: number, b: Bound): string {
  const range = `${b.minExclusive ? 'more than ' : ''}${b.min} to ${b.max.toLocaleString('en-US')}${b.unit ? ` ${b.unit}` : ''}${b.integer ? ', a whole number' : ''}`;
  return `${b.what} ${String(v)} is not a believable value (${range})`;
}

/** Drop every out-of-range quantity of these workloads, each with a diagnostic at its place. */
export function boundResources(workloads: PartialWorkload[], diagnostics: Diagnostic[]): void {
  for (const w of workloads) {
    const r = w.resources as Record<string, { value: number; source?: SourceRef } | undefined>;
    for (const key of Object.keys(r) as Array<keyof Resources>) {
      const q = r[key];
      const b = BOUNDS[key];
      if (!q || !b || inBounds(q.value, b)) continue;
      const at = q.source ?? w.source;
      diagnostics.push({ ...at, column: at.column ?? 1, severity: 'warning', code: 'quantity-out-of-range', message: `${describe(q.value, b)} for ${w.name}; it was ignored and the default used instead.` });
      delete r[key];
    }
  }
}

/** A quantity written where a number belongs that no reading makes a number of ("abc", "lots"). */
export function unreadableQuantity(what: string, raw: unknown, at: SourceRef, name: string): Diagnostic {
  const shown = typeof raw === 'string' ? JSON.stringify(raw.slice(0, 60)) : String(raw).slice(0, 60);
  return { ...at, column: at.column ?? 1, severity: 'warning', code: 'quantity-unreadable', message: `${what} ${shown} of ${name} is not a number; the default was used instead.` };
}
