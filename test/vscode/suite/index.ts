/**
 * The mocha runner the extension host loads (extensionTestsPath). The host calls `run()`:
 * resolving means exit code 0. Under code-server every reporter line is logged with a "[mocha]"
 * prefix, which test/vscode/run.mjs picks out of the workbench log and prints. In a multi-root
 * workspace it runs the *.multiroot.test files, in a single folder every other one; when the
 * extension under test is the packaged one (installed from the .vsix, not this checkout), only the
 * smoke tests.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import Mocha from 'mocha';
import * as vscode from 'vscode';

/**
 * What the packaged extension must do: activate and analyse (the parser's WASM loads from the
 * package), show diagnostics with quick fixes, and open the report panel (the webview bundle).
 */
const SMOKE_TESTS = new Set(['activation.test.js', 'diagnostics.test.js', 'reportPanel.test.js']);

export function run(): Promise<void> {
  const prefix = process.env.PGREVIEW_MOCHA_PREFIX === '1' ? '[mocha] ' : '';
  const base = (Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void });
  base.consoleLog = (...args: unknown[]) => {
    for (const line of util.format(...args).split('\n')) console.log(prefix + line);
  };
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30_000, reporter: 'spec' });
  if (process.env.PGREVIEW_MOCHA_GREP) mocha.grep(process.env.PGREVIEW_MOCHA_GREP);
  const multiRoot = vscode.workspace.workspaceFile !== undefined;
  if (multiRoot) console.log(`[test] the extension host started with ${vscode.workspace.workspaceFolders?.length ?? 0} of the workspace file's folders`);
  // The suite is built into <checkout>/out/vscode-suite; an extension loaded from elsewhere is the package.
  const extensionPath = vscode.extensions.getExtension('pgreview.pgreview')?.extensionPath;
  const packaged = extensionPath !== undefined && path.resolve(extensionPath) !== path.resolve(__dirname, '..', '..');
  if (packaged) console.log(`[test] testing the packaged extension installed in ${extensionPath}`);
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (!file.endsWith('.test.js')) continue;
    if (packaged ? SMOKE_TESTS.has(file) : file.endsWith('.multiroot.test.js') === multiRoot) mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const resultFile = process.env.PGREVIEW_TEST_RESULT_FILE;
      if (resultFile) {
        fs.writeFileSync(resultFile, JSON.stringify({ passes: runner.stats?.passes ?? 0, failures, pending: runner.stats?.pending ?? 0 }));
      }
      if (failures > 0) reject(new Error(`${failures} tests failed.`));
      else resolve();
    });
  });
}
