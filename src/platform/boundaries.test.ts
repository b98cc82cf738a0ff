import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const depcruise = path.join(root, 'node_modules/.bin/depcruise');

/** Runs the project's own dependency rules on a small tree that breaks each of them. */
describe('module boundary lint rules', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hanaro-lint-'));
    await cp(path.join(root, '.dependency-cruiser.cjs'), path.join(dir, '.dependency-cruiser.cjs'));
    await cp(path.join(root, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
    const files: Record<string, string> = {
      'src/platform/db.ts': "import { a } from '../modules/alpha/index.ts';\nexport const db = a;\n",
      'src/modules/alpha/index.ts': "import { s } from '../beta/store.ts';\nexport const a = s;\n",
      'src/modules/beta/index.ts': "export { s } from './store.ts';\n",
      'src/modules/beta/store.ts': 'export const s = 1;\n',
      'src/modules/gamma/index.ts': "import { g } from './service.ts';\nexport const idx = 1;\nexport const h = g;\n",
      'src/modules/gamma/service.ts': "import { idx } from './index.ts';\nexport const g = idx;\n",
      'src/app.ts': "import { s } from './modules/beta/store.ts';\nexport const x = s;\n",
    };
    for (const [f, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, f)), { recursive: true });
      await writeFile(path.join(dir, f), text);
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('fails on each kind of violation and names it', async () => {
    const out = await run(depcruise, ['src', '--config', '.dependency-cruiser.cjs'], { cwd: dir }).then(
      (r) => ({ code: 0, text: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, text: e.stdout }),
    );
    expect(out.code).not.toBe(0);
    expect(out.text).toMatch(/platform-imports-no-module: src\/platform\/db\.ts → src\/modules\/alpha\/index\.ts/);
    expect(out.text).toMatch(/module-internals-are-private: src\/modules\/alpha\/index\.ts → src\/modules\/beta\/store\.ts/);
    expect(out.text).toMatch(/outside-uses-module-index-only: src\/app\.ts → src\/modules\/beta\/store\.ts/);
    expect(out.text).toMatch(/no-circular: src\/modules\/gamma\/(index|service)\.ts/);
  });
});
