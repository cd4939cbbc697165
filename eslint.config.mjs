// ESLint: typescript-eslint's recommended rules (syntax only, not type-checked, so a run stays
// fast) and the layering of ARCHITECTURE.md, written as data after VS Code's code-layering check:
// one block per folder says what that folder may not import, and the message names the layers it
// may use instead.
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Modules that do IO or need a host. Core takes `{ path, text }` and returns values, so it imports none of them. */
const IO_MODULES = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process'];

/** The language server's protocol packages: only src/lsp speaks LSP. */
const LSP_MODULES = ['vscode-languageserver', 'vscode-languageserver-textdocument', 'vscode-languageserver-protocol', 'vscode-jsonrpc'];

/**
 * The layers, lowest first. `allowed` are the layers a folder may import (besides npm packages that
 * are not in `forbiddenModules`); `forbiddenLayers` are the folders under src/ it may not import.
 */
const LAYERS = [
  {
    name: 'src/core',
    files: ['src/core/**/*.ts'],
    allowed: 'src/core only',
    why: 'core is the engine: no IO, no database driver, no VS Code',
    forbiddenModules: ['vscode', 'pg', '@electric-sql/pglite', ...LSP_MODULES, ...IO_MODULES],
    forbiddenLayers: ['db', 'cli', 'extension', 'node', 'lsp'],
  },
  {
    name: 'src/node',
    files: ['src/node/**/*.ts'],
    allowed: 'src/core and src/node',
    why: 'node holds the file-system side of the engine, shared by the CLI, the extension and the language server',
    forbiddenModules: ['vscode', ...LSP_MODULES],
    forbiddenLayers: ['cli', 'extension', 'lsp'],
  },
  {
    name: 'src/db',
    files: ['src/db/**/*.ts'],
    allowed: 'src/core, src/node and src/db',
    why: 'db reads databases for every front end, so it knows no front end',
    forbiddenModules: ['vscode', ...LSP_MODULES],
    forbiddenLayers: ['cli', 'extension', 'lsp'],
  },
  {
    name: 'src/cli',
    files: ['src/cli/**/*.ts'],
    allowed: 'src/core, src/node, src/db, src/cli and src/lsp (which the lsp command starts)',
    why: 'the CLI runs without VS Code',
    forbiddenModules: ['vscode'],
    forbiddenLayers: ['extension'],
  },
  {
    name: 'src/extension',
    files: ['src/extension/**/*.ts'],
    allowed: 'src/core, src/node, src/db and src/extension',
    why: 'the extension adapts the engine; the CLI and the language server are separate front ends',
    forbiddenModules: [...LSP_MODULES],
    forbiddenLayers: ['cli', 'lsp'],
  },
  {
    name: 'src/lsp',
    files: ['src/lsp/**/*.ts'],
    allowed: 'src/core, src/node and src/lsp',
    why: 'the language server adapts the engine for LSP clients as the extension does for VS Code: no database, no VS Code, no CLI',
    forbiddenModules: ['vscode', 'pg', '@electric-sql/pglite'],
    forbiddenLayers: ['db', 'cli', 'extension'],
  },
];

export default defineConfig(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.bench/**', '.tools/**', '.test-output/**', 'examples/**'] },
  tseslint.configs.recommended,
  {
    rules: {
      // A few rules of ESLint's own recommended set (@eslint/js is not installed); the code marks
      // its deliberate control characters in regexes with disable comments for this one.
      'no-control-regex': 'error',
      'no-debugger': 'error',
      // Unused arguments are common in callbacks that must match a signature; prefix them with `_`.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  ...LAYERS.map((layer) => ({
    files: layer.files,
    rules: {
      'no-restricted-imports': ['error', restrictions(layer)],
    },
  })),
  {
    // The webview runs in a browser page: it talks to the extension only through the message
    // types of webview/protocol.ts, and never sees VS Code's API or Node.
    files: ['webview/**/*.ts'],
    ignores: ['webview/protocol.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: moduleRestrictions(['vscode'], 'webview', 'webview/** and the types of webview/protocol.ts'),
        patterns: [
          { regex: '^node:', message: 'webview runs in a browser page. Allowed: webview/** and the types of webview/protocol.ts.' },
          { regex: '^(\\.\\./)+src(/|$)', message: 'webview may not import src/**: send plain values through webview/protocol.ts. Allowed: webview/** and the types of webview/protocol.ts.' },
        ],
      }],
    },
  },
  {
    // protocol.ts is the one file shared by both sides; it may name core types, but only as types,
    // so no engine code ends up in the browser bundle.
    files: ['webview/protocol.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: moduleRestrictions(['vscode'], 'webview', 'webview/** and type-only imports of src/core'),
        patterns: [
          { regex: '^(\\.\\./)+src/(?!core/)', allowTypeImports: true, message: 'webview/protocol.ts may import only types from src/core.' },
          { regex: '^(\\.\\./)+src/core/', allowTypeImports: true, message: 'webview/protocol.ts may import src/core only with `import type`.' },
        ],
      }],
    },
  },
  {
    // Only src/extension and the VS Code integration tests run inside the extension host.
    files: ['test/**/*.ts'],
    ignores: ['test/vscode/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: moduleRestrictions(['vscode'], 'test', 'the VS Code API only in test/vscode/**'),
      }],
    },
  },
);

/** The `no-restricted-imports` options of one layer. */
function restrictions(layer) {
  const allowed = `Allowed layers: ${layer.allowed}.`;
  return {
    paths: moduleRestrictions(layer.forbiddenModules, layer.name, layer.allowed, layer.why),
    patterns: [
      ...layer.forbiddenModules
        .filter((name) => !name.includes(':') && !IO_MODULES.includes(name))
        .map((name) => ({ regex: `^${escapeRegex(name)}/`, message: `${layer.name} may not import ${name}: ${layer.why}. ${allowed}` })),
      ...layer.forbiddenLayers.map((folder) => ({
        // A relative import that climbs out of the layer and into src/<folder>; from inside
        // src/core that is `../<folder>/...`, `../../<folder>/...` and so on.
        regex: `^(\\.\\./)+(src/)?${folder}(/|$)`,
        message: `${layer.name} may not import src/${folder}: ${layer.why}. ${allowed}`,
      })),
    ],
  };
}

function moduleRestrictions(names, layerName, allowed, why = 'see ARCHITECTURE.md') {
  return names.map((name) => ({ name, message: `${layerName} may not import ${name}: ${why}. Allowed layers: ${allowed}.` }));
}

function escapeRegex(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
