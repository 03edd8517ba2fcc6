import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assess } from '../src/core/plan/assess';
import type { Plan, PlanWorkload } from '../src/core/plan';

/** A throw-away repository with the given files (POSIX paths → contents). */
export function repo(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmp-test-'));
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, ...rel.split('/'));
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return dir;
}

export async function assessFiles(files: Record<string, string | Buffer>): Promise<Plan> {
  return assess(repo(files));
}

export function workload(plan: Plan, name: string): PlanWorkload {
  const w = plan.workloads.find((x) => x.name === name);
  if (!w) throw new Error(`no workload ${name}; have ${plan.workloads.map((x) => x.name).join(', ')}`);
  return w;
}

export function rulesOf(w: PlanWorkload): string[] {
  return w.evidence.map((e) => e.rule);
}

export const SAMPLES = path.resolve(__dirname, '..', '..', 'samples');
export const ROOT = path.resolve(__dirname, '..', '..');
