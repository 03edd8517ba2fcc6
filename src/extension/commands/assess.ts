import * as vscode from 'vscode';
import type { Controller } from '../controller';

export function registerAssess(c: Controller): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('migrationPlanner.assessWorkspace', () => c.assess()),
    vscode.commands.registerCommand('migrationPlanner.assessFolder', async (uri?: vscode.Uri) => {
      const folder = uri ? vscode.workspace.getWorkspaceFolder(uri) : await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder to assess' });
      if (folder) await c.assess([folder]);
    }),
  ];
}
