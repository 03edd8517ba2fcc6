/**
 * Worker thread for parallel parsing (one-shot runs over large repositories: the CLI; the editor
 * keeps the cached, incremental path). It claims chunks of files from a counter shared with the
 * other threads, parses them and posts each chunk's results back as soon as they are ready.
 */
import { parentPort } from 'node:worker_threads';
import { readAndParse, type ParseJob } from '.';

parentPort?.on('message', (job: ParseJob) => {
  const counter = new Int32Array(job.counter);
  for (;;) {
    const chunk = Atomics.add(counter, 0, 1);
    if (chunk >= job.chunks.length) break;
    const results = job.chunks[chunk].map((i) => readAndParse(job.root, job.files[i], job.forCache));
    const json = JSON.stringify(results);
    // JSON turns NaN, Infinity and undefined array items into null: send such a chunk as it is.
    parentPort?.postMessage(json.includes('null') ? { chunk, results } : { chunk, json });
  }
  parentPort?.postMessage({ done: true });
});
