import * as vscode from 'vscode';
import type { PlanWorkload } from '../../core/plan';
import { STRATEGIES } from '../../core/types';
import type { Controller, FolderPlan } from '../controller';
import { lensTitle } from './lens';

type Node = { kind: 'folder'; fp: FolderPlan } | { kind: 'group'; fp: FolderPlan; label: string; items: PlanWorkload[] } | { kind: 'workload'; fp: FolderPlan; w: PlanWorkload };

const ICON: Record<string, string> = { rehost: 'server', replatform: 'cloud', rewrite: 'code', retain: 'home', retire: 'trash' };

/** Workloads grouped by strategy (or wave), with their monthly costs. */
export class WorkloadTree implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  constructor(private readonly c: Controller) {
    c.onDidChange(() => this.changed.fire());
  }

  getChildren(n?: Node): Node[] {
    if (!n) {
      const all = this.c.all();
      return all.length > 1 ? all.map((fp) => ({ kind: 'folder', fp })) : all.flatMap((fp) => this.groups(fp));
    }
    if (n.kind === 'folder') return this.groups(n.fp);
    if (n.kind === 'group') return n.items.map((w) => ({ kind: 'workload', fp: n.fp, w }));
    return [];
  }

  private groups(fp: FolderPlan): Node[] {
    const byWave = vscode.workspace.getConfiguration('migrationPlanner').get<string>('tree.groupBy') === 'wave';
    if (byWave) {
      const waves = [...fp.plan.waves.map((wv) => ({ label: `Wave ${wv.wave}`, items: fp.plan.workloads.filter((w) => w.wave === wv.wave) })), { label: 'Not moved', items: fp.plan.workloads.filter((w) => w.wave === null) }];
      return waves.filter((g) => g.items.length).map((g) => ({ kind: 'group', fp, ...g }));
    }
    return STRATEGIES.map((s) => ({ kind: 'group' as const, fp, label: s, items: fp.plan.workloads.filter((w) => w.strategy === s) })).filter((g) => g.items.length);
  }

  getTreeItem(n: Node): vscode.TreeItem {
    if (n.kind === 'folder') {
      const t = n.fp.plan.totals;
      const item = new vscode.TreeItem(n.fp.folder.name, vscode.TreeItemCollapsibleState.Expanded);
      item.description = `AWS $${Math.round(t.aws.monthlyUsd)} · GCP $${Math.round(t.gcp.monthlyUsd)}/mo`;
      return item;
    }
    if (n.kind === 'group') {
      const item = new vscode.TreeItem(`${n.label} (${n.items.length})`, vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon(ICON[n.label] ?? 'layers');
      item.contextValue = 'group';
      return item;
    }
    const item = new vscode.TreeItem(n.w.name, vscode.TreeItemCollapsibleState.None);
    item.description = n.w.targets.aws ? `AWS $${Math.round(n.w.cost.aws.monthlyUsd)} · GCP $${Math.round(n.w.cost.gcp.monthlyUsd)}/mo` : n.w.strategy;
    item.tooltip = lensTitle(n.w);
    item.iconPath = new vscode.ThemeIcon(n.w.blockers.length ? 'error' : ICON[n.w.strategy] ?? 'circle-outline');
    item.command = { command: 'migrationPlanner.openPlan', title: 'Open in plan', arguments: [n.w.id, n.fp.folder.uri.toString()] };
    item.contextValue = 'workload';
    return item;
  }
}

/** Status bar: monthly totals; click opens the plan. */
export class TotalsStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('migrationPlanner.totals', vscode.StatusBarAlignment.Left, 10);
  constructor(c: Controller) {
    this.item.name = 'Migration totals';
    this.item.command = 'migrationPlanner.openPlan';
    c.onDidChange(() => {
      const all = c.all();
      if (all.length === 0) return this.item.hide();
      const sum = (p: 'aws' | 'gcp') => all.reduce((s, fp) => s + fp.plan.totals[p].monthlyUsd, 0);
      const complete = (p: 'aws' | 'gcp') => all.every((fp) => fp.plan.totals[p].complete);
      this.item.text = `$(cloud) AWS $${Math.round(sum('aws')).toLocaleString('en-US')}${complete('aws') ? '' : '+'} · GCP $${Math.round(sum('gcp')).toLocaleString('en-US')}${complete('gcp') ? '' : '+'}/mo`;
      this.item.tooltip = `Migration plan: ${all.reduce((s, fp) => s + fp.plan.summary.workloads, 0)} workloads; prices ${all.map((fp) => `${fp.plan.pricing.source} ${fp.plan.pricing.asOf}`).join(', ')}. Click to open the plan.`;
      this.item.show();
    });
  }
  dispose(): void {
    this.item.dispose();
  }
}
