// Every temporary folder the unit tests make (throw-away repositories, caches, written plans, the
// CLI's children included) goes under one folder for the run, removed when the run ends: a test run
// leaves nothing behind in the system's temporary folder.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmp-run-'));
for (const k of ['TMPDIR', 'TMP', 'TEMP']) process.env[k] = runDir;
// The CLI's children keep their caches (parses, plans, prices, compiled code) there too, never in the user's cache folder.
process.env.MIGRATION_PLANNER_CACHE_DIR = path.join(runDir, 'cache');

exports.mochaHooks = {
  afterAll() {
    fs.rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
  },
};
