// The floor: a process that merely finds the same files, reads them and parses them with the same
// libraries (yaml, dockerfile-ast), one after the other, and does nothing else.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { parseAllDocuments } = require('yaml');
const { DockerfileParser } = require('dockerfile-ast');
let docs = 0;
function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name === 'Dockerfile') {
      DockerfileParser.parse(fs.readFileSync(p, 'utf8')).getInstructions();
      docs++;
    } else if (/\.ya?ml$/.test(e.name)) {
      const all = parseAllDocuments(fs.readFileSync(p, 'utf8'));
      for (const d of Array.isArray(all) ? all : []) {
        d.toJS({ maxAliasCount: -1 }); // real compose files use more aliases than the default 100 allows
        docs++;
      }
    }
  }
}
walk(process.argv[2]);
process.stderr.write(`floor parsed ${docs} documents\n`);
