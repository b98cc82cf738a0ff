// `npm run bench [name…]`: runs the named benchmarks (default: all) one after another.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { root } from './lib.ts';

const all = ['startup', 'http', 'exchange', 'seed-population', 'identity', 'oidc-token', 'credentials', 'access-log', 'mydata', 'notify', 'services', 'services-scan', 'assistant'];
const names = process.argv.slice(2).length ? process.argv.slice(2) : all;
let failed = false;
for (const name of names) {
  if (!all.includes(name)) {
    console.error(`unknown benchmark ${name}; choose from ${all.join(', ')}`);
    process.exit(2);
  }
  const r = spawnSync(path.join(root, 'node_modules/.bin/tsx'), [`bench/${name}.ts`], { cwd: root, stdio: 'inherit' });
  failed ||= r.status !== 0;
}
process.exit(failed ? 1 : 0);
