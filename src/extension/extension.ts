import * as vscode from 'vscode';
import { registerAssess } from './commands/assess';
import { registerOverride } from './commands/override';
import { registerPlanCommands } from './commands/plan';
import { Controller } from './controller';
import { PlanPanel, VIEW_TYPE } from './panel';
import { DiagnosticsProvider, FindingActions } from './providers/diagnostics';
import { PlanLenses } from './providers/lens';
import { TotalsStatus, WorkloadTree } from './providers/tree';

const DESCRIPTORS: vscode.DocumentSelector = [{ scheme: 'file', language: 'yaml' }, { scheme: 'file', language: 'dockercompose' }, { scheme: 'file', language: 'dockerfile' }, { scheme: 'file', pattern: '**/{Procfile,app.json,serverless.json,fly.toml,fly.*.toml,railway.json,railway.toml,netlify.toml,task-definition.json,taskdef.json,Dockerfile,*.Dockerfile,Dockerfile.*,Dockerfile-*,Dockerfile_*,Containerfile,*.Containerfile,Containerfile.*,Containerfile-*,Containerfile_*}' }];

export function activate(context: vscode.ExtensionContext): void {
  const c = new Controller(context);
  const panel = new PlanPanel(context, c);
  const diagnostics = new DiagnosticsProvider(c);
  const lenses = new PlanLenses(c);
  c.onDidChange(() => diagnostics.update());
  context.subscriptions.push(
    c,
    panel,
    diagnostics,
    new TotalsStatus(c),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, panel),
    vscode.window.registerTreeDataProvider('migrationPlanner.workloads', new WorkloadTree(c)),
    vscode.languages.registerCodeLensProvider(DESCRIPTORS, lenses),
    vscode.languages.registerHoverProvider(DESCRIPTORS, lenses),
    vscode.languages.registerCodeActionsProvider(DESCRIPTORS, new FindingActions(diagnostics), { providedCodeActionKinds: FindingActions.kinds }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('migrationPlanner.diagnostics') || e.affectsConfiguration('migrationPlanner.codeLens') || e.affectsConfiguration('migrationPlanner.tree')) diagnostics.update();
    }),
    // Trusting the workspace lifts Restricted Mode: plans already shown are made again with the live settings.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (c.assessed) void c.assess(undefined, { silent: true });
    }),
    ...registerAssess(c),
    ...registerOverride(c),
    ...registerPlanCommands(c, panel),
  );
}

export function deactivate(): void {
  /* everything is disposed through context.subscriptions */
}
