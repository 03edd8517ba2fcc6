import * as path from 'node:path';
import * as os from 'node:os';
import * as fs from 'node:fs';
import { isQuote, requestKey, SnapshotPriceSource, type PriceAnswer, type PriceRequest, type PriceSource } from '..';
import type { Snapshot } from '../snapshot';
import type { PriceCache } from './cache';
import { awsGroupFor, gcpGroupFor, type AwsGroup, type AwsPick, type GcpGroup } from './groups';

/** A product of the AWS Price List, reduced to what pricing needs. */
export interface AwsProduct {
  sku: string;
  usagetype: string;
  group: string;
  publicationDate: string;
  /** On-demand price dimensions, sorted by beginRange. */
  dims: { usd: number; unit: string; beginRange: number }[];
}

/** A GCP SKU, reduced to what pricing needs. */
export interface GcpSku {
  skuId: string;
  description: string;
  resourceGroup: string;
  usageType: string;
  regions: string[];
  unit: string;
  effectiveTime: string;
  /** Tiered unit prices in USD. */
  tiers: { start: number; usd: number }[];
}

export interface LiveOptions {
  snapshot: Snapshot;
  cache?: PriceCache;
  /** Ignore the cache (Refresh Prices / --refresh). */
  refresh?: boolean;
  env?: NodeJS.ProcessEnv;
  /** AWS Price List endpoint region: us-east-1 (default), eu-central-1 or ap-south-1. */
  awsPricingRegion?: string;
  awsProfile?: string;
  gcpApiKey?: string;
  /** e.g. http://127.0.0.1:4600 for an emulator. */
  gcpEndpoint?: string;
  timeoutMs?: number;
  maxAttempts?: number;
  /** Base of the exponential backoff between GCP retries (ms). */
  backoffMs?: number;
  log?: (s: string) => void;
  /** Price groups fetched at the same time (default 8): the APIs throttle bursts. */
  concurrency?: number;
}

export const MAX_PAGES = 200;

/** Read one Price List entry (a JSON string); undefined when it is malformed. */
export function parseAwsEntry(entry: string): AwsProduct | undefined {
  try {
    const e = JSON.parse(entry) as {
      product?: { sku?: string; attributes?: Record<string, string> };
      terms?: { OnDemand?: Record<string, { priceDimensions?: Record<string, { unit?: string; beginRange?: string; pricePerUnit?: { USD?: string } }>; effectiveDate?: string }> };
      publicationDate?: string;
    };
    const attrs = e.product?.attributes ?? {};
    const term = Object.values(e.terms?.OnDemand ?? {})[0];
    if (!term?.priceDimensions) return undefined;
    const dims = Object.values(term.priceDimensions)
      .map((d) => ({ usd: Number(d.pricePerUnit?.USD), unit: d.unit ?? '', beginRange: Number(d.beginRange ?? 0) }))
      .filter((d) => Number.isFinite(d.usd) && Number.isFinite(d.beginRange))
      .sort((a, b) => a.beginRange - b.beginRange);
    if (dims.length === 0) return undefined;
    return {
      sku: e.product?.sku ?? '',
      usagetype: attrs.usagetype ?? '',
      group: attrs.group ?? '',
      publicationDate: (e.publicationDate ?? term.effectiveDate ?? '').slice(0, 10),
      dims,
    };
  } catch {
    return undefined;
  }
}

export function pickAws(products: AwsProduct[], pick: AwsPick): { usd: number; unit: string; asOf: string } | undefined {
  const matching = products
    .filter((p) => (!pick.usagetype || pick.usagetype.test(p.usagetype)) && (!pick.group || p.group === pick.group))
    .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  const p = matching[0];
  if (!p) return undefined;
  const paid = p.dims.filter((d) => d.usd > 0 || p.dims.length === 1);
  const d = paid[pick.tier ?? 0] ?? paid[paid.length - 1];
  if (!d) return undefined;
  return { usd: d.usd * (pick.scale ?? 1), unit: d.unit, asOf: p.publicationDate };
}

export function pickGcp(skus: GcpSku[], g: GcpGroup, region: string): { usd: number; unit: string; asOf: string } | undefined {
  if (g.parts) {
    // A composite price: every part must be found, in the same region.
    let usd = 0;
    let asOf = '';
    for (const part of g.parts) {
      const one = pickOne(skus, part.description, part.resourceGroup, region);
      if (!one) return undefined;
      usd += part.factor * one.usd;
      if (one.asOf > asOf) asOf = one.asOf;
    }
    return { usd: usd * (g.scale ?? 1), unit: 'h', asOf };
  }
  const description = typeof g.description === 'function' ? g.description(region) : g.description;
  const one = pickOne(skus, description, g.resourceGroup, region);
  return one && { ...one, usd: one.usd * (g.scale ?? 1) };
}

function pickOne(skus: GcpSku[], description: RegExp, resourceGroup: string | undefined, region: string): { usd: number; unit: string; asOf: string } | undefined {
  const s = skus
    .filter((x) => description.test(x.description) && (!resourceGroup || x.resourceGroup === resourceGroup) && x.usageType === 'OnDemand' && (x.regions.includes(region) || x.regions.includes('global')))
    .sort((a, b) => (a.skuId < b.skuId ? -1 : 1))[0];
  if (!s) return undefined;
  // The applicable tier: the first one with a price (a free tier's zero-priced first tier is skipped,
  // as the plan states that free tiers are not deducted).
  const tier = s.tiers.find((t) => t.usd > 0) ?? s.tiers[s.tiers.length - 1];
  if (!tier) return undefined;
  return { usd: tier.usd, unit: s.unit, asOf: s.effectiveTime.slice(0, 10) };
}

function describeError(e: unknown): string {
  const err = e as { name?: string; code?: number | string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = err.name ?? '';
  const status = err.$metadata?.httpStatusCode ?? (typeof err.code === 'number' ? err.code : undefined);
  if (/Credentials|credential/i.test(name + (err.message ?? ''))) return 'no credentials';
  if (/Throttl|TooManyRequests|RESOURCE_EXHAUSTED/i.test(name + (err.message ?? '')) || status === 429 || err.code === 8) return 'throttled';
  if (/Timeout|TimedOut|DEADLINE|ETIMEDOUT|aborted/i.test(name + (err.message ?? '')) || err.code === 4) return 'timed out';
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|socket hang up|fetch failed|ECONNRESET/i.test((err.message ?? '') + JSON.stringify(err))) return 'unreachable';
  if (status && status >= 500) return `server error ${status}`;
  return (err.message ?? String(e)).split('\n')[0].slice(0, 160);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Prices from the AWS Price List Query API and the GCP Cloud Billing Catalog API, through their
 * official SDKs, cached on disk. Each request for the same group is shared; a group that fails
 * falls back, price by price, to the snapshot, and the reason is kept for the plan.
 */
export class LivePriceSource implements PriceSource {
  readonly name = 'live';
  private readonly inflight = new Map<string, Promise<AwsProduct[] | GcpSku[]>>();
  private readonly snapshotSource: SnapshotPriceSource;
  private awsClient?: Promise<{ send: (c: unknown, o?: unknown) => Promise<unknown>; GetProductsCommand: new (i: unknown) => unknown }>;
  private gcpClient?: Promise<{ listSkusAsync: (req: unknown, opts?: unknown) => AsyncIterable<unknown> }>;
  private reasons = new Map<string, Set<string>>();
  /** Requests actually sent (pages), for the plan's notices and for tests. */
  requests = { aws: 0, gcp: 0 };

  constructor(private readonly o: LiveOptions) {
    this.snapshotSource = new SnapshotPriceSource(o.snapshot);
  }

  notices(): string[] {
    return [...this.reasons].map(([reason, keys]) => `${keys.size} price${keys.size === 1 ? '' : 's'} from the snapshot instead of live: ${reason}`);
  }

  private note(reason: string, key: string): void {
    let s = this.reasons.get(reason);
    if (!s) this.reasons.set(reason, (s = new Set()));
    s.add(key);
  }

  async quote(requests: PriceRequest[], signal?: AbortSignal): Promise<Map<string, PriceAnswer>> {
    const out = new Map<string, PriceAnswer>();
    const fallback = this.snapshotSource.quoteSync(requests);
    const jobs = requests.map(async (r) => {
      const k = requestKey(r);
      const fb = fallback.get(k) as PriceAnswer;
      let reason: string;
      try {
        const live = r.provider === 'aws' ? await this.awsPrice(r, signal) : await this.gcpPrice(r, signal);
        if (typeof live !== 'string') {
          out.set(k, { usd: live.usd, unit: live.unit, source: 'live', asOf: live.asOf, origin: r.provider === 'aws' ? 'AWS Price List Query API' : 'GCP Cloud Billing Catalog API', confidence: 'live' });
          return;
        }
        reason = live;
      } catch (e) {
        if (signal?.aborted) throw e;
        reason = describeError(e);
      }
      if (isQuote(fb)) {
        this.note(`${r.provider.toUpperCase()} ${reason}`, k);
        out.set(k, fb);
      } else {
        out.set(k, { missing: `${'missing' in fb ? fb.missing : 'no price'}; live: ${reason}` });
      }
    });
    await Promise.all(jobs);
    return out;
  }

  // ---- AWS ------------------------------------------------------------------------------------

  private async awsPrice(r: PriceRequest, signal?: AbortSignal): Promise<{ usd: number; unit: string; asOf: string } | string> {
    const found = awsGroupFor(r.key, r.region);
    if (!found) return 'no live price filter for this item';
    const products = (await this.shared(found.group.id, () => this.fetchAws(found.group, signal))) as AwsProduct[];
    if (products.length === 0) return 'no product found';
    return pickAws(products, found.pick) ?? 'no matching price dimension';
  }

  private async aws() {
    this.awsClient ??= (async () => {
      const sdk = await import('@aws-sdk/client-pricing');
      const client = new sdk.PricingClient({
        region: this.o.awsPricingRegion ?? 'us-east-1',
        maxAttempts: this.o.maxAttempts ?? 3,
        ...(this.o.awsProfile ? { profile: this.o.awsProfile } : {}),
        requestHandler: { requestTimeout: this.o.timeoutMs ?? 15000 },
      });
      return { send: (c: unknown, opts?: unknown) => client.send(c as never, opts as never) as Promise<unknown>, GetProductsCommand: sdk.GetProductsCommand as unknown as new (i: unknown) => unknown };
    })();
    return this.awsClient;
  }

  private async fetchAws(g: AwsGroup, signal?: AbortSignal): Promise<AwsProduct[]> {
    const cached = this.o.refresh ? undefined : this.o.cache?.get<AwsProduct[]>(g.id);
    if (cached) return cached.value;
    const { send, GetProductsCommand } = await this.aws();
    const products: AwsProduct[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    for (let page = 0; ; page++) {
      if (page >= MAX_PAGES) throw new Error(`pagination did not end after ${MAX_PAGES} pages`);
      if (signal?.aborted) throw new Error('aborted');
      this.requests.aws++;
      const res = (await send(new GetProductsCommand({ ServiceCode: g.serviceCode, FormatVersion: 'aws_v1', Filters: g.filters, NextToken: token, MaxResults: 100 }), { abortSignal: signal })) as { PriceList?: string[]; NextToken?: string };
      for (const entry of res.PriceList ?? []) {
        const p = parseAwsEntry(entry);
        if (p) products.push(p);
        else this.o.log?.(`pricing: a malformed AWS Price List entry was skipped (${g.serviceCode})`);
      }
      if (!res.NextToken) break;
      if (seen.has(res.NextToken)) throw new Error('pagination loop: the API returned the same next token twice');
      seen.add(res.NextToken);
      token = res.NextToken;
    }
    this.o.cache?.set(g.id, products);
    return products;
  }

  // ---- GCP ------------------------------------------------------------------------------------

  private async gcpPrice(r: PriceRequest, signal?: AbortSignal): Promise<{ usd: number; unit: string; asOf: string } | string> {
    const g = gcpGroupFor(r.key, this.o.snapshot.shapes.gcp);
    if (!g) return 'no live SKU matcher for this item';
    const skus = (await this.shared(g.id, () => this.fetchGcp(g, signal))) as GcpSku[];
    return pickGcp(skus, g, r.region) ?? 'no SKU found';
  }

  private async gcp() {
    this.gcpClient ??= (async () => {
      const env = this.o.env ?? process.env;
      const apiKey = this.o.gcpApiKey ?? env.MIGRATION_PLANNER_GCP_API_KEY;
      const endpoint = this.o.gcpEndpoint ?? env.MIGRATION_PLANNER_GCP_BILLING_ENDPOINT;
      // Without an API key or application default credentials the client would only fail, late and
      // loudly (a metadata-server probe, then an unhandled rejection): say so at once instead.
      if (!apiKey && !endpoint && !hasGoogleCredentials(env)) throw new Error('no credentials: no API key (MIGRATION_PLANNER_GCP_API_KEY) and no application default credentials');
      const { CloudCatalogClient } = await import('@google-cloud/billing');
      const opts: Record<string, unknown> = { fallback: true };
      if (apiKey) opts.apiKey = apiKey;
      if (endpoint) {
        const u = new URL(endpoint);
        opts.apiEndpoint = u.hostname;
        opts.port = Number(u.port || (u.protocol === 'http:' ? 80 : 443));
        opts.protocol = u.protocol.replace(':', '');
      }
      return new CloudCatalogClient(opts as never) as unknown as { listSkusAsync: (req: unknown, o?: unknown) => AsyncIterable<unknown> };
    })();
    return this.gcpClient;
  }

  private async fetchGcp(g: GcpGroup, signal?: AbortSignal): Promise<GcpSku[]> {
    const cached = this.o.refresh ? undefined : this.o.cache?.get<GcpSku[]>(g.id);
    if (cached) return cached.value;
    const client = await this.gcp();
    const attempts = this.o.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        const skus: GcpSku[] = [];
        const seen = new Set<string>();
        this.requests.gcp++;
        let count = 0;
        const timeoutMs = this.o.timeoutMs ?? 15000;
        const it = client.listSkusAsync({ parent: `services/${g.serviceId}`, pageSize: 5000 }, { timeout: timeoutMs })[Symbol.asyncIterator]();
        for (;;) {
          // The client's own timeout does not cover every page in REST mode: bound each step here.
          let timer: NodeJS.Timeout | undefined;
          const next = it.next();
          next.catch(() => undefined); // a page that loses the race must not reject unhandled
          const step = await Promise.race([
            next,
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(Object.assign(new Error(`Timeout after ${timeoutMs} ms`), { name: 'TimeoutError' })), timeoutMs);
            }),
          ]).finally(() => clearTimeout(timer));
          if (step.done) break;
          const raw = step.value;
          if (signal?.aborted) throw new Error('aborted');
          const s = raw as {
            skuId?: string;
            description?: string;
            category?: { resourceGroup?: string; usageType?: string };
            serviceRegions?: string[];
            pricingInfo?: { effectiveTime?: { seconds?: string | number } | string; pricingExpression?: { usageUnit?: string; tieredRates?: { startUsageAmount?: number; unitPrice?: { units?: string | number; nanos?: number } }[] } }[];
          };
          const id = s.skuId ?? '';
          // The same SKU twice means the pages repeat: an endless next-page token.
          if (seen.has(id)) throw new Error('pagination loop: the API returned the same SKUs again');
          seen.add(id);
          if (++count > 100000) throw new Error('pagination did not end');
          const info = s.pricingInfo?.[s.pricingInfo.length - 1];
          const tiers = (info?.pricingExpression?.tieredRates ?? []).map((t) => ({ start: Number(t.startUsageAmount ?? 0), usd: Number(String(t.unitPrice?.units ?? 0)) + Number(t.unitPrice?.nanos ?? 0) / 1e9 }));
          if (!s.description || tiers.length === 0 || tiers.some((t) => !Number.isFinite(t.usd))) continue; // malformed: skipped
          const eff = info?.effectiveTime;
          const effectiveTime = typeof eff === 'string' ? eff : eff?.seconds !== undefined ? new Date(Number(String(eff.seconds)) * 1000).toISOString() : '';
          skus.push({ skuId: id, description: s.description, resourceGroup: s.category?.resourceGroup ?? '', usageType: s.category?.usageType ?? '', regions: s.serviceRegions ?? [], unit: info?.pricingExpression?.usageUnit ?? '', effectiveTime, tiers });
        }
        this.o.cache?.set(g.id, skus);
        return skus;
      } catch (e) {
        const reason = describeError(e);
        const retryable = reason === 'throttled' || reason.startsWith('server error') || reason === 'timed out';
        if (!retryable || attempt >= attempts || signal?.aborted) throw e;
        await sleep((this.o.backoffMs ?? 500) * 2 ** (attempt - 1));
      }
    }
  }

  private active = 0;
  private waiting: (() => void)[] = [];

  /** One fetch per group, shared by every price it answers; at most a few groups at a time. */
  private shared<T extends AwsProduct[] | GcpSku[]>(id: string, f: () => Promise<T>): Promise<T> {
    let p = this.inflight.get(id) as Promise<T> | undefined;
    if (!p) {
      p = this.limited(f);
      this.inflight.set(id, p);
    }
    return p;
  }

  private async limited<T>(f: () => Promise<T>): Promise<T> {
    const max = this.o.concurrency ?? 8;
    if (this.active >= max) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await f();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/** Application default credentials the Google client would find: the variable, or gcloud's file. */
function hasGoogleCredentials(env: NodeJS.ProcessEnv): boolean {
  if (env.GOOGLE_APPLICATION_CREDENTIALS) return true;
  const dirs = process.platform === 'win32' ? [env.APPDATA ? path.join(env.APPDATA, 'gcloud') : ''] : [env.CLOUDSDK_CONFIG ?? '', path.join(os.homedir(), '.config', 'gcloud')];
  return dirs.some((d) => d !== '' && fs.existsSync(path.join(d, 'application_default_credentials.json')));
}
