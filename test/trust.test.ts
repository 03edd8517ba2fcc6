import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { effectivePricingMode, RESTRICTED_NOTICE, RESTRICTED_SETTINGS } from '../src/extension/trust';
import { ROOT } from './helpers';

describe('workspace trust', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  it('declares limited support and restricts every setting that reaches credentials or the network', () => {
    const u = manifest.capabilities.untrustedWorkspaces;
    assert.equal(u.supported, 'limited');
    assert.deepEqual([...u.restrictedConfigurations].sort(), [...RESTRICTED_SETTINGS].sort());
    const settings = Object.keys(manifest.contributes.configuration.properties ?? Object.assign({}, ...manifest.contributes.configuration.map((c: { properties: object }) => c.properties)));
    for (const s of settings.filter((k) => k.startsWith('migrationPlanner.pricing.'))) assert.ok(u.restrictedConfigurations.includes(s), `${s} is not restricted`);
  });
  it('plans offline in an untrusted workspace whatever its settings say, and says so', () => {
    assert.deepEqual(effectivePricingMode(false, 'live'), { mode: 'offline', notice: RESTRICTED_NOTICE });
    assert.deepEqual(effectivePricingMode(false, 'offline'), { mode: 'offline' });
    assert.deepEqual(effectivePricingMode(true, 'live'), { mode: 'live' });
    assert.deepEqual(effectivePricingMode(true, undefined), { mode: 'offline' });
  });
});
