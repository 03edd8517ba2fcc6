/** Bundled for the e2e suite (out/e2e/emulators.js): both price API emulators serving the snapshot's prices. */
import { bundledSnapshot } from '../../src/core/price/snapshot';
import { awsProductsFromSnapshot, gcpSkusFromSnapshot, startAwsPricing, startGcpCatalog } from '../emulators';

export async function startPriceEmulators(apiKey: string) {
  const snap = bundledSnapshot();
  return { aws: await startAwsPricing(awsProductsFromSnapshot(snap)), gcp: await startGcpCatalog(gcpSkusFromSnapshot(snap), { apiKey }) };
}
