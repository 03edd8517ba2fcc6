import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Assessor } from '../src/core/plan/assess';
import { ROOT, SAMPLES } from './helpers';

/** The built CLI's JSON plan (it has the parse worker next to it), parsing on two threads from `threshold` files. */
function planJson(dir: string, threshold: string): string {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'migration-planner.js'), 'assess', dir, '--format', 'json', '--quiet'], { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, MIGRATION_PLANNER_PARALLEL_THRESHOLD: threshold, MIGRATION_PLANNER_THREADS: '2' } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe('parallel parsing', () => {
  it('gives the same plan, byte for byte, as parsing on one thread', async () => {
    const { generate } = await import(path.join(ROOT, 'scripts', 'bench-gen.mjs'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmp-par-'));
    generate(dir, 600);
    const parallel = planJson(dir, '1');
    const sequential = planJson(dir, '1000000');
    assert.equal(JSON.parse(parallel).workloads.length, 600);
    assert.equal(parallel, sequential);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same plan on every sample (inventories, Helm, Heroku, errors and all)', () => {
    for (const name of fs.readdirSync(SAMPLES)) {
      const dir = path.join(SAMPLES, name);
      assert.equal(planJson(dir, '1'), planJson(dir, '1000000'), name);
    }
  });

  it('parses on this thread what a worker that dies never delivered', async () => {
    const { generate } = await import(path.join(ROOT, 'scripts', 'bench-gen.mjs'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmp-par-'));
    generate(dir, 200);
    // A worker that claims a chunk and dies before answering.
    const broken = path.join(dir, 'broken-worker.js');
    fs.writeFileSync(broken, "const { parentPort } = require('node:worker_threads');\nparentPort.on('message', (job) => { Atomics.add(new Int32Array(job.counter), 0, 1); process.exit(1); });\n");
    const plan = await new Assessor(dir, { parallelThreshold: 1, threads: 2, workerFile: broken }).assess();
    const sequential = await new Assessor(dir).assess();
    assert.equal(plan.workloads.length, 200);
    assert.equal(JSON.stringify(plan), JSON.stringify(sequential));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
