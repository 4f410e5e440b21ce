// Flat config shared by every project: typescript-eslint's recommended rules plus the
// architecture rules (plugins never import their own TensorFlow runtime).
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
