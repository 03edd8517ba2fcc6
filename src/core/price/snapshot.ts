import bundled from '../../../data/price-snapshot.json';
import type { Provider } from '../types';

export interface SnapshotPrice {
  provider: Provider;
  region: string;
  key: string;
  item: string;
  unit: string;
  usd: number;
  asOf: string;
  source: string;
  confidence: string;
}

export interface Shape {
  vcpu: number;
  memoryGiB: number;
  billedVcpu?: number;
  gpus?: number;
  family?: string;
  regions?: string[];
  deprecated?: boolean;
}

export interface Discount {
  provider: Provider;
  term: 'oneYear' | 'threeYear' | 'sustainedUse';
  appliesTo: string;
  region?: string;
  fraction: number;
  source: string;
  asOf: string;
}

export interface SnapshotData {
  version: 1;
  asOf: string;
  oldestAsOf?: string;
  currency: 'USD';
  hoursPerMonth: 730;
  prices: SnapshotPrice[];
  shapes: { aws: Record<string, Shape>; gcp: Record<string, Shape> };
  shapeSources?: Record<string, string>;
  discounts?: Discount[];
}

/** A dated price snapshot with O(1) lookups. */
export class Snapshot {
  readonly asOf: string;
  readonly oldestAsOf: string;
  readonly shapes: SnapshotData['shapes'];
  private readonly index = new Map<string, SnapshotPrice>();
  private readonly regionSet = { aws: new Set<string>(), gcp: new Set<string>() };

  constructor(readonly data: SnapshotData) {
    this.asOf = data.asOf;
    this.oldestAsOf = data.oldestAsOf ?? data.asOf;
    this.shapes = data.shapes;
    for (const p of data.prices) {
      this.index.set(`${p.provider}|${p.region}|${p.key}`, p);
      this.regionSet[p.provider].add(p.region);
    }
  }

  price(provider: Provider, region: string, key: string): SnapshotPrice | undefined {
    return this.index.get(`${provider}|${region}|${key}`);
  }

  /** Regions with at least one price. */
  regions(provider: Provider): string[] {
    return [...this.regionSet[provider]].sort();
  }
}

let cached: Snapshot | undefined;
export function bundledSnapshot(): Snapshot {
  cached ??= new Snapshot(bundled as SnapshotData);
  return cached;
}

/** The snapshot's file format: one price or shape per line, so that a changed price is a one-line diff. */
export function serializeSnapshot(s: SnapshotData): string {
  const lines = ['{'];
  for (const k of ['version', 'asOf', 'oldestAsOf', 'currency', 'hoursPerMonth', 'shapeSources'] as const) if (s[k] !== undefined) lines.push(`  ${JSON.stringify(k)}: ${JSON.stringify(s[k])},`);
  if (s.discounts) lines.push(`  "discounts": ${JSON.stringify(s.discounts)},`);
  lines.push('  "prices": [');
  lines.push([...s.prices].sort((a, b) => (a.provider + a.region + a.key < b.provider + b.region + b.key ? -1 : 1)).map((p) => '    ' + JSON.stringify(p)).join(',\n'));
  lines.push('  ],');
  lines.push('  "shapes": {');
  lines.push((['aws', 'gcp'] as const).map((pv) => `    "${pv}": {\n` + Object.entries(s.shapes[pv]).map(([n, x]) => `      ${JSON.stringify(n)}: ${JSON.stringify(x)}`).join(',\n') + '\n    }').join(',\n'));
  lines.push('  }');
  lines.push('}');
  return lines.join('\n') + '\n';
}
