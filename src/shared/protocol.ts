/**
 * The one message protocol between the extension and the plan webview. Both sides import these
 * types; the extension validates every message it receives against schemas/webview-messages.schema.json.
 */
import type { Plan } from '../core/plan';

export interface PlanView {
  /** Workspace folder name and URI (string) the plan belongs to. */
  folder: string;
  folderUri: string;
  plan: Plan;
  /** Pricing mode in the settings. */
  pricingMode: 'offline' | 'live';
  /** Regions the price source covers (for the region pickers). */
  regionChoices: { aws: string[]; gcp: string[] };
}

export type ToWebview = { type: 'plan'; view: PlanView; focus?: string };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'openSource'; folderUri: string; file: string; line: number }
  | { type: 'refreshPrices' }
  | { type: 'setRegions'; aws: string; gcp: string }
  | { type: 'exportMarkdown' }
  | { type: 'overrideStrategy'; workload: string }
  | { type: 'compareRegions'; pairs: { aws: string; gcp: string }[] };

/** State the webview keeps across reloads (vscode.setState), restored by the serializer. */
export interface WebviewState {
  folderUri?: string;
  selected?: string | null;
  scenario?: string;
  sort?: { column: string; descending: boolean };
  filter?: string;
}
