import type { parseDocument } from 'yaml';
import * as vscode from 'vscode';
import { loadEngine } from '../lazy';

/**
 * Change `.migration.yaml` with the yaml library's document model, so that comments and layout
 * of the rest of the file survive.
 */
export async function editConfig(uri: vscode.Uri, edit: (doc: ReturnType<typeof parseDocument>) => void): Promise<void> {
  let text = '';
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    text = 'version: 1\n';
  }
  const { parseDocument: parse, isMap } = loadEngine();
  const doc = parse(text);
  if (doc.errors.length > 0) throw new Error(`.migration.yaml does not parse (${doc.errors[0].message.split('\n')[0]}); fix it first.`);
  if (!isMap(doc.contents)) doc.contents = doc.createNode({ version: 1 }) as never;
  edit(doc);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(doc.toString({ lineWidth: 0 })));
}
