import * as vscode from 'vscode';
import { STRATEGIES, type Strategy } from '../../core/types';
import type { Controller, FolderPlan } from '../controller';
import { editConfig } from './yamlEdit';

const DESCRIPTIONS: Record<Strategy, string> = {
  rehost: 'Lift and shift to VMs',
  replatform: 'Managed containers or managed services',
  rewrite: 'Re-architect',
  retain: 'Keep where it is (for now)',
  retire: 'Switch it off',
};

async function pickWorkload(c: Controller, id?: string, folderUri?: string): Promise<{ fp: FolderPlan; id: string } | undefined> {
  if (id) {
    const fp = folderUri ? c.get(folderUri) : c.all().find((f) => f.plan.workloads.some((w) => w.id === id || w.name === id));
    if (fp) return { fp, id };
  }
  const items = c.all().flatMap((fp) => fp.plan.workloads.map((w) => ({ label: w.name, description: `${w.strategy} · ${fp.folder.name}`, fp, id: w.id })));
  if (items.length === 0) {
    void vscode.window.showInformationMessage('Assess the workspace first.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Workload to override' });
  return picked && { fp: picked.fp, id: picked.id };
}

export function registerOverride(c: Controller): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('migrationPlanner.overrideStrategy', async (id?: string, folderUri?: string) => {
      const target = await pickWorkload(c, typeof id === 'string' ? id : undefined, folderUri);
      if (!target) return;
      const w = target.fp.plan.workloads.find((x) => x.id === target.id || x.name === target.id);
      if (!w) return;
      const strategy = await vscode.window.showQuickPick(
        STRATEGIES.map((s) => ({ label: s, description: DESCRIPTIONS[s], picked: s === w.strategy })),
        { placeHolder: `Strategy for ${w.name} (now ${w.strategy})` },
      );
      if (!strategy) return;
      const reason = await vscode.window.showInputBox({ prompt: `Why ${strategy.label} for ${w.name}? (recorded in .migration.yaml)`, validateInput: (v) => (v.trim() ? undefined : 'A reason is required') });
      if (!reason) return;
      try {
        await editConfig(c.configUri(target.fp.folder), (doc) => doc.setIn(['overrides', w.name], doc.createNode({ strategy: strategy.label, reason: reason.trim() })));
      } catch (e) {
        void vscode.window.showErrorMessage((e as Error).message);
        return;
      }
      await c.assess([target.fp.folder], { silent: true });
    }),
    vscode.commands.registerCommand('migrationPlanner.excludeFinding', async (rule?: string, workload?: string, folderUri?: string) => {
      const fp = folderUri ? c.get(folderUri) : c.all()[0];
      if (!fp || !rule) return;
      const reason = await vscode.window.showInputBox({ prompt: `Why exclude ${rule}${workload ? ` for ${workload}` : ''}? (recorded in .migration.yaml)`, validateInput: (v) => (v.trim() ? undefined : 'A reason is required') });
      if (!reason) return;
      try {
        await editConfig(c.configUri(fp.folder), (doc) => {
          const entry = doc.createNode({ rule, ...(workload ? { workload } : {}), reason: reason.trim() });
          if (doc.hasIn(['suppress'])) doc.addIn(['suppress'], entry);
          else doc.setIn(['suppress'], doc.createNode([entry]));
        });
      } catch (e) {
        void vscode.window.showErrorMessage((e as Error).message);
        return;
      }
      await c.assess([fp.folder], { silent: true });
    }),
  ];
}
