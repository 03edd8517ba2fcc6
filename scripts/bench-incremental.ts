// Bundled by the build into dist/bench-incremental.js: full assessment vs re-assessment after one
// file changed, with the extension's cached Assessor. Prints JSON.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Assessor } from '../src/core/plan/assess';

async function main(): Promise<void> {
  const dir = process.argv[2];
  const a = new Assessor(dir);
  const t0 = performance.now();
  const first = await a.assess();
  const full = performance.now() - t0;
  const file = path.join(dir, 'stack-0', 'docker-compose.yml');
  const rel = 'stack-0/docker-compose.yml';
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/replicas: \d+/, `replicas: ${3 + i}`));
    a.invalidate([rel]);
    const t1 = performance.now();
    await a.assess();
    runs.push(performance.now() - t1);
  }
  runs.sort((x, y) => x - y);
  process.stdout.write(JSON.stringify({ workloads: first.workloads.length, fullMs: full, incrementalMs: runs[2] }) + '\n');
}
void main();
