import * as vscode from 'vscode';
import { loadEngine } from '../lazy';
import type { Controller } from '../controller';
import type { PlanPanel } from '../panel';
import { SECRET_GCP_KEY } from '../controller';

export function registerPlanCommands(c: Controller, panel: PlanPanel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('migrationPlanner.openPlan', async (workload?: string, folderUri?: string) => {
      if (!c.assessed) await c.assess();
      if (c.assessed) panel.show(typeof workload === 'string' ? workload : undefined, typeof folderUri === 'string' ? folderUri : undefined);
    }),
    vscode.commands.registerCommand('migrationPlanner.exportMarkdown', async () => {
      if (!c.assessed) await c.assess();
      const written: vscode.Uri[] = [];
      for (const fp of c.all()) {
        const uri = vscode.Uri.joinPath(fp.folder.uri, 'MIGRATION-PLAN.md');
        await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(c.markdownFor(fp)));
        written.push(uri);
      }
      if (written.length === 0) return;
      const open = await vscode.window.showInformationMessage(`Wrote ${written.map((u) => vscode.workspace.asRelativePath(u)).join(', ')}`, 'Open');
      if (open) await vscode.window.showTextDocument(written[0]);
    }),
    vscode.commands.registerCommand('migrationPlanner.refreshPrices', async () => {
      c.refreshPricesNext();
      await c.assess();
      const sources = c.all().map((fp) => `${fp.folder.name}: ${fp.plan.pricing.source} (${fp.plan.pricing.asOf})${fp.plan.pricing.notices.length ? ` — ${fp.plan.pricing.notices.join('; ')}` : ''}`);
      if (sources.length) void vscode.window.showInformationMessage(`Prices refreshed. ${sources.join(' · ')}`);
    }),
    vscode.commands.registerCommand('migrationPlanner.chooseRegions', async () => {
      const snap = loadEngine().bundledSnapshot();
      const cfg = vscode.workspace.getConfiguration('migrationPlanner');
      const aws = await vscode.window.showQuickPick(snap.regions('aws').map((r) => ({ label: r, picked: r === cfg.get('regions.aws') })), { placeHolder: 'AWS region (regions with snapshot prices; live pricing covers more)' });
      if (!aws) return;
      const gcp = await vscode.window.showQuickPick(snap.regions('gcp').map((r) => ({ label: r, picked: r === cfg.get('regions.gcp') })), { placeHolder: 'GCP region' });
      if (!gcp) return;
      await cfg.update('regions.aws', aws.label, vscode.ConfigurationTarget.Workspace);
      await cfg.update('regions.gcp', gcp.label, vscode.ConfigurationTarget.Workspace);
      await c.assess();
    }),
    vscode.commands.registerCommand('migrationPlanner.showOutput', () => c.output.show()),
    vscode.commands.registerCommand('migrationPlanner.setGcpApiKey', async () => {
      const key = await vscode.window.showInputBox({ prompt: 'GCP API key for the Cloud Billing Catalog API (kept in VS Code secret storage; empty to remove)', password: true, ignoreFocusOut: true });
      if (key === undefined) return;
      await c.secrets.store(SECRET_GCP_KEY, key.trim());
      void vscode.window.showInformationMessage(key.trim() ? 'GCP API key saved in secret storage.' : 'GCP API key removed.');
    }),
  ];
}
