import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Assessor } from '../core/plan/assess';
import type { Plan } from '../core/plan';
import type { PriceSource } from '../core/price';
import { loadEngine } from './lazy';
import { effectivePricingMode } from './trust';

export const SECRET_GCP_KEY = 'migrationPlanner.gcpApiKey';

export interface FolderPlan {
  folder: vscode.WorkspaceFolder;
  plan: Plan;
  /** When the plan was made (ms since epoch), for the webview's "as of" notice. */
  at: number;
}

/**
 * Owns the engine for the editor: one cached Assessor per workspace folder (so that re-assessing
 * after a save re-parses only the changed files), the latest plan of each folder, and the events
 * every view listens to.
 */
export class Controller implements vscode.Disposable {
  private readonly assessors = new Map<string, Assessor>();
  private readonly plans = new Map<string, FolderPlan>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  readonly output: vscode.LogOutputChannel;
  private running: Promise<void> | undefined;
  private pendingSave = new Map<string, Set<string>>();
  private saveTimer: NodeJS.Timeout | undefined;
  private refreshNext = false;
  /** Region pairs to compare side by side, per folder (the webview's "Compare regions"). */
  private readonly whatIf = new Map<string, { aws: string; gcp: string }[]>();

  constructor(private readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('Migration Planner', { log: true });
    context.subscriptions.push(
      this.output,
      this.changed,
      vscode.workspace.onDidSaveTextDocument((d) => this.onSaved(d.uri)),
      vscode.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const f of e.removed) {
          this.assessors.delete(f.uri.toString());
          this.plans.delete(f.uri.toString());
        }
        this.changed.fire();
      }),
    );
  }

  dispose(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
  }

  all(): FolderPlan[] {
    return [...this.plans.values()].sort((a, b) => a.folder.index - b.folder.index);
  }

  get(folderUri: string): FolderPlan | undefined {
    return this.plans.get(folderUri);
  }

  get assessed(): boolean {
    return this.plans.size > 0;
  }

  setWhatIf(folderUri: string, pairs: { aws: string; gcp: string }[]): void {
    this.whatIf.set(folderUri, pairs.slice(0, 3));
  }

  /** Make the next assessment bypass the live price cache (Refresh Prices). */
  refreshPricesNext(): void {
    this.refreshNext = true;
  }

  private async priceSource(progress?: (m: string) => void): Promise<PriceSource | undefined> {
    const cfg = vscode.workspace.getConfiguration('migrationPlanner');
    const { mode, notice } = effectivePricingMode(vscode.workspace.isTrusted, cfg.get<string>('pricing.mode'));
    if (notice) {
      this.output.warn(notice);
      progress?.(notice);
    }
    if (mode !== 'live') return undefined;
    // Loaded on demand from its own bundle (the SDKs are heavy; most assessments never need them).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { LivePriceSource, PriceCache } = require(path.join(__dirname, 'live.js')) as typeof import('./live-entry');
    const key = await this.context.secrets.get(SECRET_GCP_KEY);
    const refresh = this.refreshNext;
    this.refreshNext = false;
    progress?.('Fetching live prices');
    return new LivePriceSource({
      snapshot: loadEngine().bundledSnapshot(),
      cache: new PriceCache(vscode.Uri.joinPath(this.context.globalStorageUri, 'prices').fsPath, cfg.get<number>('pricing.cacheTtlHours', 24) * 3600 * 1000),
      refresh,
      gcpApiKey: key || undefined,
      awsProfile: cfg.get<string>('pricing.awsProfile') || undefined,
      awsPricingRegion: cfg.get<string>('pricing.awsPricingRegion') || undefined,
      log: (s) => this.output.info(s),
    });
  }

  /** Assess folders (all workspace folders by default) with progress and cancellation. */
  async assess(folders?: readonly vscode.WorkspaceFolder[], opts: { silent?: boolean; folderOverride?: vscode.Uri } = {}): Promise<void> {
    const targets = folders ?? vscode.workspace.workspaceFolders ?? [];
    if (targets.length === 0) {
      void vscode.window.showWarningMessage('Open a folder to assess it.');
      return;
    }
    const run = async (progress: vscode.Progress<{ message?: string }>, token: vscode.CancellationToken) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      const source = await this.priceSource((m) => progress.report({ message: m }));
      for (const folder of targets) {
        if (token.isCancellationRequested) break;
        const key = folder.uri.toString();
        let assessor = this.assessors.get(key);
        if (!assessor) this.assessors.set(key, (assessor = new (loadEngine().Assessor)(folder.uri.fsPath)));
        const cfg = vscode.workspace.getConfiguration('migrationPlanner', folder.uri);
        const started = Date.now();
        try {
          const plan = await assessor.assess({
            // Until this folder's parses are in memory (the first assessment after a start), the disk
            // caches: unchanged descriptors are not parsed again, an unchanged folder not planned again.
            parseCache: assessor.cachedFiles === 0 ? vscode.Uri.joinPath(this.context.globalStorageUri, 'parses').fsPath : undefined,
            regions: { aws: cfg.get<string>('regions.aws'), gcp: cfg.get<string>('regions.gcp') },
            exclude: cfg.get<string[]>('exclude', []),
            headroom: cfg.get<number>('sizing.headroom'),
            whatIfRegions: this.whatIf.get(key),
            priceSource: source,
            signal: ac.signal,
            onProgress: (m) => progress.report({ message: `${folder.name}: ${m}` }),
          });
          this.plans.set(key, { folder, plan, at: Date.now() });
          this.output.info(`${folder.name}: ${plan.summary.workloads} workloads, AWS $${plan.totals.aws.monthlyUsd} / GCP $${plan.totals.gcp.monthlyUsd} a month, prices ${plan.pricing.source} (${Date.now() - started} ms)`);
          for (const n of plan.pricing.notices) this.output.warn(`${folder.name}: pricing: ${n}`);
        } catch (e) {
          if (ac.signal.aborted) {
            this.output.info(`${folder.name}: assessment cancelled`);
            break;
          }
          this.output.error(`${folder.name}: ${(e as Error).stack ?? String(e)}`);
          void vscode.window.showErrorMessage(`Migration assessment of ${folder.name} failed: ${(e as Error).message}`);
        }
      }
      await vscode.commands.executeCommand('setContext', 'migrationPlanner.assessed', this.plans.size > 0);
      this.changed.fire();
    };
    const previous = this.running ?? Promise.resolve();
    this.running = previous.then(() =>
      opts.silent
        ? vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Migration' }, (p, t) => run(p, t ?? new vscode.CancellationTokenSource().token))
        : vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Migration assessment', cancellable: true }, run),
    );
    await this.running;
  }

  /** Re-assess after a save: only the saved files are re-parsed (debounced, per folder). */
  private onSaved(uri: vscode.Uri): void {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder || !this.plans.has(folder.uri.toString())) return;
    const rel = path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
    const base = rel.slice(rel.lastIndexOf('/') + 1);
    if (!loadEngine().kindOfPath(rel) && base !== '.env' && base !== 'values.yaml' && base !== '.gitignore') return;
    const set = this.pendingSave.get(folder.uri.toString()) ?? new Set<string>();
    set.add(rel);
    this.pendingSave.set(folder.uri.toString(), set);
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      const todo = [...this.pendingSave];
      this.pendingSave.clear();
      const folders: vscode.WorkspaceFolder[] = [];
      for (const [key, files] of todo) {
        this.assessors.get(key)?.invalidate([...files]);
        const f = vscode.workspace.workspaceFolders?.find((x) => x.uri.toString() === key);
        if (f) folders.push(f);
        this.output.info(`re-assessing ${f?.name ?? key} after saving ${[...files].join(', ')}`);
      }
      void this.assess(folders, { silent: true });
    }, 300);
  }

  markdownFor(fp: FolderPlan): string {
    return loadEngine().renderMarkdown(fp.plan);
  }

  get secrets(): vscode.SecretStorage {
    return this.context.secrets;
  }

  configUri(folder: vscode.WorkspaceFolder): vscode.Uri {
    return vscode.Uri.joinPath(folder.uri, loadEngine().CONFIG_FILE);
  }
}
