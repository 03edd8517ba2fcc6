/** Live pricing for the extension, bundled on its own (SDKs included) and loaded only when used. */
export { LivePriceSource } from '../core/price/live/source';
export { PriceCache } from '../core/price/live/cache';
