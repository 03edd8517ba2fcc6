import * as assert from 'node:assert/strict';
import { validator } from '../src/core/parse/schemas';

describe('webview message protocol', () => {
  const v = validator('messages');
  it('accepts every message the webview sends', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'openSource', folderUri: 'file:///w', file: 'k8s/a.yaml', line: 3 },
      { type: 'refreshPrices' },
      { type: 'setRegions', aws: 'eu-west-3', gcp: 'europe-west9' },
      { type: 'exportMarkdown' },
      { type: 'overrideStrategy', workload: 'web' },
    ]) assert.ok(v(m), `${JSON.stringify(m)}: ${JSON.stringify(v.errors)}`);
  });
  it('rejects messages of the wrong shape', () => {
    for (const m of [
      null,
      'ready',
      { type: 'unknown' },
      { type: 'ready', extra: 1 },
      { type: 'openSource', folderUri: 'file:///w', file: '../../etc/passwd', line: 1 },
      { type: 'openSource', folderUri: 'file:///w', file: '/etc/passwd', line: 1 },
      { type: 'openSource', folderUri: 'file:///w', file: 'a.yaml', line: 0 },
      { type: 'setRegions', aws: 'us-east-1; rm -rf /', gcp: 'us-central1' },
      { type: 'overrideStrategy' },
      { type: 'selectWorkload', workload: null },
    ]) assert.equal(v(m), false, JSON.stringify(m));
  });
});
