import * as vscode from 'vscode';
import type { Controller } from '../controller';

const SEVERITY = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information } as const;

export interface FindingData {
  rule: string;
  workload?: string;
  folderUri: string;
}

/** Problems panel: parse errors, blockers and findings at their place in the descriptor. */
export class DiagnosticsProvider implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('migration');
  readonly findings = new WeakMap<vscode.Diagnostic, FindingData>();

  constructor(private readonly c: Controller) {}

  dispose(): void {
    this.collection.dispose();
  }

  update(): void {
    this.collection.clear();
    if (!vscode.workspace.getConfiguration('migrationPlanner').get<boolean>('diagnostics.enabled', true)) return;
    const byFile = new Map<string, vscode.Diagnostic[]>();
    const add = (folder: vscode.Uri, file: string, d: vscode.Diagnostic) => {
      const uri = file === '.' ? folder : vscode.Uri.joinPath(folder, file);
      const key = uri.toString();
      byFile.set(key, [...(byFile.get(key) ?? []), d]);
    };
    const range = (line: number, column = 1, endLine?: number, endColumn?: number) =>
      new vscode.Range(line - 1, Math.max(0, column - 1), (endLine ?? line) - 1, endColumn !== undefined ? Math.max(0, endColumn - 1) : 1000);
    for (const fp of this.c.all()) {
      const folder = fp.folder.uri;
      for (const d of fp.plan.diagnostics) {
        const diag = new vscode.Diagnostic(range(d.line, d.column, d.endLine, d.endColumn), d.message, SEVERITY[d.severity]);
        diag.source = 'migration';
        diag.code = d.code;
        add(folder, d.file, diag);
      }
      for (const w of fp.plan.workloads) {
        const blockers = new Set(w.blockers.map((b) => `${b.rule}|${b.file}|${b.line}`));
        for (const e of w.evidence) {
          const isBlocker = blockers.has(`${e.rule}|${e.file}|${e.line}`);
          const severity = isBlocker ? vscode.DiagnosticSeverity.Error : e.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : e.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Hint;
          const diag = new vscode.Diagnostic(range(e.line), `${w.name}: ${isBlocker ? 'blocker: ' : ''}${e.message}`, severity);
          diag.source = 'migration';
          diag.code = e.rule;
          this.findings.set(diag, { rule: e.rule, workload: w.name, folderUri: fp.folder.uri.toString() });
          add(folder, e.file, diag);
        }
      }
    }
    for (const [uri, diags] of byFile) this.collection.set(vscode.Uri.parse(uri), diags);
  }
}

/** Quick fixes on the planner's diagnostics. */
export class FindingActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];
  constructor(private readonly diagnostics: DiagnosticsProvider) {}

  provideCodeActions(_doc: vscode.TextDocument, _range: vscode.Range, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    for (const d of ctx.diagnostics) {
      const f = this.diagnostics.findings.get(d);
      if (!f || f.rule === 'override') continue;
      if (f.workload) {
        const a = new vscode.CodeAction(`Override strategy for ${f.workload}…`, vscode.CodeActionKind.QuickFix);
        a.command = { command: 'migrationPlanner.overrideStrategy', title: a.title, arguments: [f.workload, f.folderUri] };
        a.diagnostics = [d];
        out.push(a);
      }
      const x = new vscode.CodeAction(`Exclude finding ${f.rule}${f.workload ? ` for ${f.workload}` : ''} with a reason…`, vscode.CodeActionKind.QuickFix);
      x.command = { command: 'migrationPlanner.excludeFinding', title: x.title, arguments: [f.rule, f.workload, f.folderUri] };
      x.diagnostics = [d];
      out.push(x);
    }
    return out;
  }
}
