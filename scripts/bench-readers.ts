// A second, stricter floor for `npm run bench`: the same walk as bench-floor.cjs, but YAML goes
// through the engine's own YAML road (js-yaml events, positions and plain data) instead of the
// `yaml` library's full parse. The assessment's time over this one is the engine's own overhead:
// everything it does beyond reading and parsing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { parseYaml } from '../src/core/parse/yaml';

let docs = 0;
function walk(dir: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name === 'Dockerfile') {
      DockerfileParser.parse(fs.readFileSync(p, 'utf8')).getInstructions();
      docs++;
    } else if (/\.ya?ml$/.test(e.name)) docs += parseYaml(fs.readFileSync(p, 'utf8'), p).docs.length;
  }
}
walk(process.argv[2]);
process.stderr.write(`own readers parsed ${docs} documents\n`);
