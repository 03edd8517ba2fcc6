/**
 * Workspace Trust. A repository opened in Restricted Mode may be hostile: its settings must not
 * make the extension use the developer's AWS profile, stored GCP key or the network. The settings
 * below are declared `restrictedConfigurations` (VS Code then ignores their workspace values), and
 * whatever they say, an untrusted workspace is planned offline from the bundled snapshot.
 */
export const RESTRICTED_SETTINGS = [
  'migrationPlanner.pricing.mode',
  'migrationPlanner.pricing.awsProfile',
  'migrationPlanner.pricing.awsPricingRegion',
  'migrationPlanner.pricing.cacheTtlHours',
] as const;

export const RESTRICTED_NOTICE = 'Restricted Mode: planned offline from the bundled price snapshot; live pricing (your AWS profile, your GCP key, the network) is off until you trust this workspace.';

/** The pricing mode to use, and what to tell the user when trust changed it. */
export function effectivePricingMode(trusted: boolean, configured: string | undefined): { mode: 'offline' | 'live'; notice?: string } {
  if (configured !== 'live') return { mode: 'offline' };
  if (!trusted) return { mode: 'offline', notice: RESTRICTED_NOTICE };
  return { mode: 'live' };
}
