// Preloaded into a measured process: reports its peak resident memory when it exits.
'use strict';
process.on('exit', () => {
  require('node:fs').writeSync(2, `\nBENCH_MAXRSS_KB ${process.resourceUsage().maxRSS}\n`);
});
