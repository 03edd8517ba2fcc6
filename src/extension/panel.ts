import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { loadEngine } from './lazy';
import type { FromWebview, PlanView, ToWebview, WebviewState } from '../shared/protocol';
import type { Controller } from './controller';

export const VIEW_TYPE = 'migrationPlanner.plan';

/** The plan webview: one panel, restored after a reload by its serializer. */
export class PlanPanel implements vscode.Disposable, vscode.WebviewPanelSerializer<WebviewState> {
  private panel: vscode.WebviewPanel | undefined;
  private folderUri: string | undefined;
  private pendingFocus: string | undefined;
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext, private readonly c: Controller) {
    this.disposables.push(c.onDidChange(() => this.post()));
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }

  show(workload?: string, folderUri?: string): void {
    if (folderUri) this.folderUri = folderUri;
    this.pendingFocus = workload;
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Active);
      this.post();
      return;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Migration Plan', vscode.ViewColumn.Active, this.options());
    this.attach(panel);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: WebviewState | undefined): Promise<void> {
    this.folderUri = state?.folderUri;
    this.pendingFocus = state?.selected ?? undefined;
    panel.webview.options = this.options();
    this.attach(panel);
    if (!this.c.assessed) await this.c.assess(undefined, { silent: true });
  }

  private options(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist')] };
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'activity.svg');
    panel.webview.html = this.html(panel.webview);
    panel.onDidDispose(() => {
      this.panel = undefined;
    }, null, this.disposables);
    panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m), null, this.disposables);
  }

  private view(): PlanView | undefined {
    const fp = (this.folderUri && this.c.get(this.folderUri)) || this.c.all()[0];
    if (!fp) return undefined;
    this.folderUri = fp.folder.uri.toString();
    const snap = loadEngine().bundledSnapshot();
    return {
      folder: fp.folder.name,
      folderUri: this.folderUri,
      plan: fp.plan,
      pricingMode: vscode.workspace.getConfiguration('migrationPlanner').get<'offline' | 'live'>('pricing.mode', 'offline'),
      regionChoices: { aws: snap.regions('aws'), gcp: snap.regions('gcp') },
    };
  }

  private post(): void {
    if (!this.panel || !this.ready) return;
    const view = this.view();
    if (!view) return;
    const msg: ToWebview = { type: 'plan', view, ...(this.pendingFocus ? { focus: this.pendingFocus } : {}) };
    this.pendingFocus = undefined;
    void this.panel.webview.postMessage(msg);
  }

  /** Every message is checked against its schema before it is acted on. */
  private async receive(raw: unknown): Promise<void> {
    const { validator, describeError } = loadEngine();
    const v = validator('messages');
    if (!v(raw)) {
      this.c.output.warn(`webview message rejected: ${JSON.stringify(raw)?.slice(0, 200)} (${(v.errors ?? []).map(describeError).join('; ')})`);
      return;
    }
    const m = raw as FromWebview;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.post();
        break;
      case 'openSource': {
        const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.toString() === m.folderUri);
        if (!folder) return;
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, m.file));
        const pos = new vscode.Position(Math.max(0, m.line - 1), 0);
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(pos, pos) });
        break;
      }
      case 'refreshPrices':
        await vscode.commands.executeCommand('migrationPlanner.refreshPrices');
        break;
      case 'setRegions': {
        const cfg = vscode.workspace.getConfiguration('migrationPlanner');
        await cfg.update('regions.aws', m.aws, vscode.ConfigurationTarget.Workspace);
        await cfg.update('regions.gcp', m.gcp, vscode.ConfigurationTarget.Workspace);
        await this.c.assess(undefined, { silent: true });
        break;
      }
      case 'exportMarkdown':
        await vscode.commands.executeCommand('migrationPlanner.exportMarkdown');
        break;
      case 'overrideStrategy':
        await vscode.commands.executeCommand('migrationPlanner.overrideStrategy', m.workload, this.folderUri);
        break;
      case 'compareRegions': {
        const fp = this.folderUri ? this.c.get(this.folderUri) : undefined;
        if (!fp) return;
        this.c.setWhatIf(fp.folder.uri.toString(), m.pairs);
        await this.c.assess([fp.folder], { silent: true });
        break;
      }
    }
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(18).toString('base64');
    const asset = (f: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', f)).toString();
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `font-src ${webview.cspSource}`,
      `style-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicon.css')}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${asset('webview.css')}">
<title>Migration Plan</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="muted">Loading the migration plan…</p></main>
<script nonce="${nonce}" src="${asset('webview.js')}"></script>
</body>
</html>`;
  }
}
