// Flat config shared by every project: typescript-eslint's recommended rules, three type-aware
// promise rules, and the architecture rules (plugins never import their own TensorFlow runtime).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/fixtures/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
    },
  },
  {
    // Type-aware rules for the TypeScript of every project: a promise nobody awaits loses
    // its rejection (a failed write or training step that reports success). Each file is
    // typed by its own project's tsconfig.json (the project service finds the nearest one);
    // other packages' types come from their built dist, so nx builds those before lint.
    // .mjs scripts have no types and stay on the rules above.
    files: ['{packages,plugins,apps,tools,examples}/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // Plugin sources only: tests stand in for core and may create the tf engine themselves.
    files: ['plugins/**/src/**/*.ts', 'examples/**/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@tensorflow/*'],
              allowTypeImports: true,
              message:
                'Plugins receive tf from @stem/core (context.tf); never import a TensorFlow runtime.',
            },
            {
              group: ['@stem/task-*', '@stem/analyzer-*', '@stem/encoder-*'],
              message: 'Plugins depend on @stem/core contracts only, never on each other.',
            },
          ],
        },
      ],
    },
  },
);
