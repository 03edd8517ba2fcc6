import type { SizedTarget, Usage } from '../target/size';
import type { Snapshot } from './snapshot';
import type { Cost, CostLine, Provider } from '../types';
import { round } from '../units';

export interface PriceRequest {
  provider: Provider;
  region: string;
  key: string;
}

export interface PriceQuote {
  usd: number;
  unit: string;
  source: 'snapshot' | 'live';
  asOf: string;
  /** Where the figure comes from, for the plan's price sources. */
  origin: string;
  confidence?: string;
}

export interface PriceMiss {
  missing: string;
}

export type PriceAnswer = PriceQuote | PriceMiss;

export function requestKey(r: PriceRequest): string {
  return `${r.provider}|${r.region}|${r.key}`;
}

/**
 * Where prices come from. The snapshot answers at once; a live source (AWS Price List, GCP
 * Cloud Billing Catalog) answers the same requests over the network and falls back per request.
 */
export interface PriceSource {
  readonly name: 'snapshot' | 'live' | string;
  quote(requests: PriceRequest[], signal?: AbortSignal): Promise<Map<string, PriceAnswer>>;
  /** Notices for the plan: why some prices are not live, and so on. */
  notices(): string[];
}

export class SnapshotPriceSource implements PriceSource {
  readonly name = 'snapshot';
  constructor(private readonly snap: Snapshot) {}
  async quote(requests: PriceRequest[]): Promise<Map<string, PriceAnswer>> {
    return this.quoteSync(requests);
  }
  quoteSync(requests: PriceRequest[]): Map<string, PriceAnswer> {
    const out = new Map<string, PriceAnswer>();
    for (const r of requests) {
      const p = this.snap.price(r.provider, r.region, r.key);
      out.set(requestKey(r), p ? { usd: p.usd, unit: p.unit, source: 'snapshot', asOf: p.asOf, origin: p.source, confidence: p.confidence } : { missing: missingReason(this.snap, r) });
    }
    return out;
  }
  notices(): string[] {
    return [];
  }
}

/** Regions named when a price exists elsewhere but not in the region asked for. */
const REFERENCE_REGIONS: Record<Provider, string[]> = { aws: ['us-east-1', 'us-east-2', 'eu-west-1'], gcp: ['us-central1', 'europe-west3'] };

/** Why the bundled data has no price for a request: no such region, none for this region, or none at all. */
export function missingReason(snap: Snapshot, r: PriceRequest): string {
  if (r.region !== '' && !snap.regions(r.provider).includes(r.region)) return `the bundled data has no prices for region ${r.region}`;
  const elsewhere = REFERENCE_REGIONS[r.provider].find((x) => x !== r.region && snap.price(r.provider, x, r.key));
  if (elsewhere) return `no published price in the bundled data for ${r.region} (it has one for ${elsewhere})`;
  return 'no published price in the bundled data';
}

export function isQuote(a: PriceAnswer | undefined): a is PriceQuote {
  return a !== undefined && 'usd' in a;
}

/** Price a sized target: quantity × unit price per line; a missing price is a line without a figure. */
export function costOf(target: SizedTarget | undefined, provider: Provider, region: string, answers: Map<string, PriceAnswer>): Cost {
  if (!target) return { monthlyUsd: 0, complete: true, lines: [] };
  return costLines(target.usage, provider, region, answers);
}

export function costLines(usage: Usage[], provider: Provider, region: string, answers: Map<string, PriceAnswer>): Cost {
  const lines: CostLine[] = usage.map((u) => {
    const a = answers.get(requestKey({ provider, region, key: u.priceKey }));
    if (isQuote(a)) {
      const line: CostLine = { resource: u.resource, quantity: u.quantity, unit: u.unit, unitPriceUsd: a.usd, monthlyUsd: round(u.quantity * a.usd, 2), priceKey: u.priceKey, source: a.source, asOf: a.asOf };
      if (a.confidence) line.confidence = a.confidence;
      return line;
    }
    return { resource: u.resource, quantity: u.quantity, unit: u.unit, unitPriceUsd: null, monthlyUsd: null, priceKey: u.priceKey, source: 'missing', missing: a?.missing ?? 'no price' };
  });
  const monthlyUsd = round(lines.reduce((s, l) => s + (l.monthlyUsd ?? 0), 0), 2);
  return { monthlyUsd, complete: lines.every((l) => l.monthlyUsd !== null), lines };
}
