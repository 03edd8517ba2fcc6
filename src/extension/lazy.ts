import * as path from 'node:path';

type Engine = typeof import('./engine');
let engine: Engine | undefined;

/** The engine bundle, required on first use. */
export function loadEngine(): Engine {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  engine ??= require(path.join(__dirname, 'engine.js')) as Engine;
  return engine;
}
