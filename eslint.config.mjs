// ESLint: typescript-eslint's type-aware recommended rules plus the ones this code relies on
// (no `any`, every promise handled, `??` over `||` for defaults). Formatting is Prettier's job.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Folder of constructs/ and the folders it must not import (those above it). */
const ABOVE = {
  internal: ['config', 'rbac', 'policy', 'workloads', 'addons', 'platform', 'tenancy', 'monitoring', 'cloud', 'pulumi'],
  config: ['policy', 'workloads', 'addons', 'platform', 'tenancy', 'monitoring', 'cloud', 'pulumi'],
  rbac: ['config', 'policy', 'workloads', 'addons', 'platform', 'tenancy', 'monitoring', 'cloud', 'pulumi'],
  policy: ['config', 'workloads', 'addons', 'platform', 'tenancy', 'monitoring', 'cloud', 'pulumi'],
  workloads: ['addons', 'platform', 'tenancy', 'monitoring', 'cloud', 'pulumi'],
  addons: ['tenancy', 'monitoring', 'cloud', 'pulumi'],
  platform: ['tenancy', 'monitoring', 'cloud', 'pulumi'],
  tenancy: ['monitoring', 'cloud', 'pulumi'],
  monitoring: ['tenancy', 'cloud', 'pulumi'],
  cloud: ['tenancy', 'monitoring', 'pulumi'],
  pulumi: [],
};
const LAYERS = Object.entries(ABOVE);

export default tseslint.config(
  { ignores: ['lib/**', 'dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/prefer-nullish-coalescing': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // house rules for source files: no file over 400 lines, no function over 80
    files: ['constructs/**/*.ts', 'stacks/**/*.ts', 'environments/**/*.ts', 'apps/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 400 }],
      'max-lines-per-function': ['error', { max: 80 }],
    },
  },
  // import boundaries: each folder of constructs/ imports only its own layer and those below it
  // (internal < config, rbac, policy < workloads < addons, platform < tenancy, monitoring, cloud < pulumi);
  // the package never imports the kit's stacks, environments, tests or benches
  ...LAYERS.map(([folder, forbidden]) => ({
    files: [`constructs/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbidden.map((f) => ({
              group: [`../${f}/*`, `../${f}`],
              message: `constructs/${folder} sits below constructs/${f}: move the shared piece down a layer`,
            })),
            {
              group: ['../../stacks/*', '../../environments/*', '../../environments', '../../test/*', '../../bench/*'],
              message: 'the package imports only constructs/',
            },
          ],
        },
      ],
    },
  })),
  {
    files: ['environments/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../stacks/*', '../test/*', '../bench/*'], message: 'environments are data over the constructs' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: { module: 'readonly', require: 'readonly', __dirname: 'readonly', process: 'readonly' },
    },
  },
  {
    // CommonJS run by Node before any TypeScript loads (the TypeScript hook)
    files: ['scripts/**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
