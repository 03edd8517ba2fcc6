import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PlanWorkload } from '../../core/plan';
import { serviceLabel } from '../../core/render/markdown';
import type { Controller } from '../controller';
import { mdCode, mdText } from '../../core/render/escape';

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function money(n: number, complete: boolean): string {
  return `~$${Math.round(n).toLocaleString('en-US')}${complete ? '' : '+'}/mo`;
}

/** "Replatform → Cloud Run ~$23/mo · ECS Fargate ~$27/mo" */
export function lensTitle(w: PlanWorkload): string {
  const a = w.targets.aws;
  const g = w.targets.gcp;
  if (!a || !g) return `${cap(w.strategy)}${w.override ? ' (override)' : ''}`;
  return `${cap(w.strategy)} → ${serviceLabel(g.service)} ${money(w.cost.gcp.monthlyUsd, w.cost.gcp.complete)} · ${serviceLabel(a.service)} ${money(w.cost.aws.monthlyUsd, w.cost.aws.complete)}`;
}

/** CodeLens above each workload definition, and the evidence on hover. */
export class PlanLenses implements vscode.CodeLensProvider, vscode.HoverProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  constructor(private readonly c: Controller) {
    c.onDidChange(() => this.changed.fire());
  }

  private workloadsIn(doc: vscode.TextDocument): { folderUri: string; w: PlanWorkload; line: number }[] {
    const out: { folderUri: string; w: PlanWorkload; line: number }[] = [];
    for (const fp of this.c.all()) {
      const rel = path.relative(fp.folder.uri.fsPath, doc.uri.fsPath).split(path.sep).join('/');
      if (rel.startsWith('..')) continue;
      for (const w of fp.plan.workloads) {
        const src = w.sources.find((s) => s.file === rel);
        if (src) out.push({ folderUri: fp.folder.uri.toString(), w, line: src.line });
      }
    }
    return out;
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.getConfiguration('migrationPlanner').get<boolean>('codeLens.enabled', true)) return [];
    return this.workloadsIn(doc).map(({ folderUri, w, line }) => new vscode.CodeLens(new vscode.Range(line - 1, 0, line - 1, 0), { title: lensTitle(w), command: 'migrationPlanner.openPlan', arguments: [w.id, folderUri], tooltip: `Open the migration plan at ${w.name}` }));
  }

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const hit = this.workloadsIn(doc).find((x) => x.line - 1 === pos.line);
    if (!hit) return undefined;
    const w = hit.w;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${mdText(w.name)}**: ${w.strategy} (confidence ${w.confidence.toFixed(2)}, effort ${w.effort})\n\n`);
    if (w.conflict) md.appendMarkdown(`$(warning) ${mdText(w.conflict)}\n\n`);
    for (const b of w.blockers) md.appendMarkdown(`- $(error) ${mdText(b.message)} ${mdCode(b.rule)}\n`);
    for (const e of w.evidence.slice(0, 12)) md.appendMarkdown(`- ${mdText(e.message)} ${mdCode(e.rule)} (${mdText(e.file)}:${e.line})\n`);
    return new vscode.Hover(md);
  }
}
