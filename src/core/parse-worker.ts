/**
 * Worker thread for parallel parsing: reads and parses the descriptors it is given and posts the
 * results back. Used for one-shot runs over large repositories (the CLI); the editor keeps the
 * cached, incremental path.
 */
import { parentPort } from 'node:worker_threads';
import { readAndParse, type ParseJob } from './parse';

parentPort?.on('message', (job: ParseJob) => {
  const results = job.files.map((f) => readAndParse(job.root, job.rootName, f));
  parentPort?.postMessage(results);
});
