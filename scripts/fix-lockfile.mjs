// After `npm install`: drops from package-lock.json the optional dependencies that have no entry
// of their own. npm records, for example, cbor-extract's six prebuilt platform packages as its
// optionalDependencies without resolving them when the registry has none (this machine's mirror
// has none), and `npm ci` then refuses the lock as out of sync. Nothing is lost: cbor-extract is
// an optional speed-up of cbor-x, which falls back to JavaScript. docs/operations.md.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
let dropped = 0;
for (const [where, entry] of Object.entries(lock.packages)) {
  if (!entry.optionalDependencies) continue;
  for (const name of Object.keys(entry.optionalDependencies)) {
    const nested = `${where}/node_modules/${name}`;
    if (!lock.packages[`node_modules/${name}`] && !lock.packages[nested]) {
      delete entry.optionalDependencies[name];
      dropped++;
    }
  }
  if (!Object.keys(entry.optionalDependencies).length) delete entry.optionalDependencies;
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${dropped} unresolved optional dependencies dropped`);
