/** Module boundaries (ARCHITECTURE.md §3): no cycles; platform imports no module; modules meet only at index.ts. */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make start-up order and ownership unclear.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'platform-imports-no-module',
      severity: 'error',
      comment: 'src/platform is infrastructure; it never reaches into a module or the portal.',
      from: { path: '^src/platform/', pathNot: '^src/platform/testing\\.ts$' },
      to: { path: '^src/(modules|web)/' },
    },
    {
      name: 'module-internals-are-private',
      severity: 'error',
      comment: 'Another module may import only a module\'s index.ts (test helpers may reach further, as tests do).',
      from: { path: '^src/modules/([^/]+)/', pathNot: '/test-support\\.ts$' },
      to: { path: '^src/modules/([^/]+)/.+', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.tsx?$'] },
    },
    {
      name: 'test-support-is-for-tests',
      severity: 'error',
      comment: 'Test helpers are imported by tests (not cruised) and other test helpers only.',
      from: { pathNot: '/test-support\\.ts$' },
      to: { path: '/test-support\\.ts$' },
    },
    {
      name: 'outside-uses-module-index-only',
      severity: 'error',
      comment: 'app.ts, the portal and the CLI use a module through its index.ts only.',
      from: { path: '^src/', pathNot: '^src/modules/' },
      to: { path: '^src/modules/[^/]+/.+', pathNot: '^src/modules/[^/]+/index\\.tsx?$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.tsx?$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js'] },
  },
};
