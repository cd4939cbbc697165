import * as assert from 'assert';
import * as vscode from 'vscode';
import { activatedApi, screenshot, waitFor } from './workbench';

suite('report panel', () => {
  test('Show Report opens the webview, which loads its bundle and receives the findings', async () => {
    const api = await activatedApi();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('pgreview.showReport');
    const panel = api.reportPanel();
    assert.ok(panel, 'the panel is open');
    assert.strictEqual(panel.panel.viewType, 'pgreview.report');
    assert.match(panel.panel.webview.html, /Content-Security-Policy/);
    // The page posts "ready" only once its script (dist/webview.js) ran under the CSP.
    await waitFor('the page to say it is ready', () => panel.lastReceived('ready'), Boolean, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await screenshot('report-panel');
    panel.dispose();
    assert.strictEqual(api.reportPanel(), undefined);
  });
});
