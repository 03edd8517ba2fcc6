import * as fs from 'node:fs';
import * as path from 'node:path';
import bundledIndex from '../../../data/prices/index.json';
import type { Provider } from '../types';

export interface SnapshotPrice {
  provider: Provider;
  region: string;
  key: string;
  item?: string;
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

export interface SnapshotData {
  version: 1 | 2;
  pack?: string;
  asOf: string;
  oldestAsOf?: string;
  currency: 'USD';
  hoursPerMonth: 730;
  prices: SnapshotPrice[];
  shapes: { aws: Record<string, Shape>; gcp: Record<string, Shape> };
  shapeSources?: Record<string, string>;
}

/** The bundled snapshot's index: everything but the prices, which sit in one file per region. */
export interface SnapshotIndex extends Omit<SnapshotData, 'prices' | 'version'> {
  version: 2;
  regions: Record<Provider, Record<string, number>>;
  sources: { source: string; asOf: string; confidence: string }[];
}

/** Reads one region's prices, or undefined when the snapshot has no file for it. */
export type RegionLoader = (provider: Provider, region: string) => SnapshotPrice[] | undefined;

/** A region whose prices apply everywhere (licence fees, page formulas). */
export const GLOBAL_REGION = 'global';

/**
 * A dated price snapshot with O(1) lookups. Its prices are given whole (`data.prices`) or read a
 * region at a time, the first time a plan asks for that region.
 */
export class Snapshot {
  readonly asOf: string;
  readonly oldestAsOf: string;
  readonly shapes: SnapshotData['shapes'];
  private readonly index = new Map<string, SnapshotPrice>();
  private readonly loaded = new Set<string>();
  private readonly regionSet = { aws: new Set<string>(), gcp: new Set<string>() };
  private full: SnapshotData | undefined;

  constructor(private readonly base: SnapshotData, private readonly loader?: RegionLoader, regionNames?: Record<Provider, string[]>) {
    this.asOf = base.asOf;
    this.oldestAsOf = base.oldestAsOf ?? base.asOf;
    this.shapes = base.shapes;
    for (const p of base.prices) this.add(p);
    for (const pv of ['aws', 'gcp'] as const) for (const r of regionNames?.[pv] ?? []) this.regionSet[pv].add(r);
    if (!loader) this.full = base;
  }

  private add(p: SnapshotPrice): void {
    this.index.set(`${p.provider}|${p.region}|${p.key}`, p);
    this.regionSet[p.provider].add(p.region);
  }

  private load(provider: Provider, region: string): void {
    const id = `${provider}|${region}`;
    if (!this.loader || this.loaded.has(id)) return;
    this.loaded.add(id);
    if (!this.regionSet[provider].has(region)) return;
    for (const p of this.loader(provider, region) ?? []) this.add(p);
  }

  /** The price of a key in a region; a key priced only globally (a licence fee) answers in every region. */
  price(provider: Provider, region: string, key: string): SnapshotPrice | undefined {
    const k = `${provider}|${region}|${key}`;
    let p = this.index.get(k);
    if (p) return p;
    if (this.loader && !this.loaded.has(`${provider}|${region}`)) {
      this.load(provider, region);
      p = this.index.get(k);
      if (p) return p;
    }
    if (region === GLOBAL_REGION) return undefined;
    return this.price(provider, GLOBAL_REGION, key);
  }

  /** Regions with at least one price (not counting the global prices). */
  regions(provider: Provider): string[] {
    return [...this.regionSet[provider]].filter((r) => r !== GLOBAL_REGION).sort();
  }

  /** Every price, every region read: for prices:update, the emulators and tests. */
  get data(): SnapshotData {
    if (!this.full) {
      for (const pv of ['aws', 'gcp'] as const) for (const r of [...this.regionSet[pv]]) this.load(pv, r);
      const prices = [...this.index.values()].sort(byPriceOrder);
      this.full = { ...this.base, prices };
    }
    return this.full;
  }
}

function byPriceOrder(a: SnapshotPrice, b: SnapshotPrice): number {
  const x = `${a.provider}|${a.region}|${a.key}`;
  const y = `${b.provider}|${b.region}|${b.key}`;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Where the bundled snapshot's files are: beside the built bundle (dist/, out/test/) or the sources. */
function pricesDir(): string {
  for (const up of ['..', '../..', '../../..']) {
    const d = path.join(__dirname, up, 'data', 'prices');
    if (fs.existsSync(path.join(d, 'index.json'))) return d;
  }
  return path.join(__dirname, '..', 'data', 'prices');
}

/** Snapshot prices from the rows of one region file: [key, usd, unit, source id]. */
export function pricesFromRows(index: SnapshotIndex, provider: Provider, region: string, rows: [string, number, string, number][]): SnapshotPrice[] {
  return rows.map(([key, usd, unit, src]) => {
    const s = index.sources[src];
    return { provider, region, key, unit, usd, asOf: s.asOf, source: s.source, confidence: s.confidence };
  });
}

/** A snapshot read from a folder: index.json and <provider>/<region>.json, a region when first needed. */
export function snapshotFromDir(dir: string, index: SnapshotIndex): Snapshot {
  const loader: RegionLoader = (provider, region) => {
    if (!/^[a-z0-9-]+$/.test(region) || index.regions[provider]?.[region] === undefined) return undefined;
    const rows = JSON.parse(fs.readFileSync(path.join(dir, provider, `${region}.json`), 'utf8')) as [string, number, string, number][];
    return pricesFromRows(index, provider, region, rows);
  };
  const { regions, sources: _sources, version: _v, ...rest } = index;
  const names = { aws: Object.keys(regions.aws), gcp: Object.keys(regions.gcp) };
  return new Snapshot({ ...rest, version: 2, prices: [] }, loader, names);
}

let cached: Snapshot | undefined;
export function bundledSnapshot(): Snapshot {
  cached ??= snapshotFromDir(pricesDir(), bundledIndex as SnapshotIndex);
  return cached;
}

/**
 * The snapshot's files: index.json (sources, regions, shapes) and one file per region with one price
 * a line, so that a changed price is a one-line diff. The same bytes as scripts/build-snapshot.mjs.
 */
export function serializeSnapshot(s: SnapshotData): Map<string, string> {
  const files = new Map<string, string>();
  const sources: SnapshotIndex['sources'] = [];
  const ids = new Map<string, number>();
  const regions: SnapshotIndex['regions'] = { aws: {}, gcp: {} };
  const byRegion = new Map<string, SnapshotPrice[]>();
  for (const p of [...s.prices].sort(byPriceOrder)) {
    const id = `${p.provider}|${p.region}`;
    if (!byRegion.has(id)) byRegion.set(id, []);
    byRegion.get(id)!.push(p);
  }
  for (const [id, rows] of byRegion) {
    const [provider, region] = id.split('|') as [Provider, string];
    const body = rows.map((p) => {
      const k = `${p.source}\u0000${p.asOf}\u0000${p.confidence}`;
      if (!ids.has(k)) {
        ids.set(k, sources.length);
        sources.push({ source: p.source, asOf: p.asOf, confidence: p.confidence });
      }
      return '  ' + JSON.stringify([p.key, p.usd, p.unit, ids.get(k)]);
    });
    files.set(`${provider}/${region}.json`, `[\n${body.join(',\n')}\n]\n`);
    regions[provider][region] = rows.length;
  }
  const head: Record<string, unknown> = { version: 2, asOf: s.asOf, oldestAsOf: s.oldestAsOf, currency: s.currency, hoursPerMonth: s.hoursPerMonth, pack: s.pack, shapeSources: s.shapeSources, regions };
  const lines = ['{'];
  for (const [k, v] of Object.entries(head)) if (v !== undefined) lines.push(`  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  lines.push('  "sources": [');
  lines.push(sources.map((x) => '    ' + JSON.stringify(x)).join(',\n'));
  lines.push('  ],');
  lines.push('  "shapes": {');
  lines.push((['aws', 'gcp'] as const).map((pv) => `    "${pv}": {\n` + Object.entries(s.shapes[pv]).map(([n, x]) => `      ${JSON.stringify(n)}: ${JSON.stringify(x)}`).join(',\n') + '\n    }').join(',\n'));
  lines.push('  }');
  lines.push('}');
  files.set('index.json', lines.join('\n') + '\n');
  return files;
}
