/**
 * Bundled for the e2e suite (out/e2e/emulators.js): both price API emulators, serving the reference
 * tables' SKU names and Price List attributes with the snapshot's prices, for the regions the suite prices.
 */
import { bundledSnapshot } from '../../src/core/price/snapshot';
import { awsProductsFromSnapshot, gcpSkusFromSnapshot, startAwsPricing, startGcpCatalog } from '../emulators';

const REGIONS = ['us-east-1', 'eu-west-3', 'us-central1', 'europe-west9', 'global'];

export async function startPriceEmulators(apiKey: string) {
  const snap = bundledSnapshot();
  return { aws: await startAwsPricing(awsProductsFromSnapshot(snap, REGIONS)), gcp: await startGcpCatalog(gcpSkusFromSnapshot(snap, REGIONS), { apiKey }) };
}
