/**
 * Placeholders for the commands that need a database connection (connect, disconnect, schema
 * diff, alignment migration). The database part of the extension replaces this file; until then
 * each command says plainly that it needs a connection, which this build cannot make yet.
 */
import * as vscode from 'vscode';

const DATABASE_COMMANDS: Record<string, string> = {
  'pgreview.connect': 'Connect to Database',
  'pgreview.disconnect': 'Disconnect',
  'pgreview.showSchemaDiff': 'Show Schema Diff',
  'pgreview.generateAlignmentMigration': 'Generate Alignment Migration',
};

export function registerDatabaseCommandStubs(log: vscode.LogOutputChannel): vscode.Disposable[] {
  return Object.entries(DATABASE_COMMANDS).map(([id, title]) =>
    vscode.commands.registerCommand(id, () => {
      const message = id === 'pgreview.disconnect'
        ? 'pgreview: no database is connected; the review is offline.'
        : `pgreview: ${title} needs a database connection, and connecting is not available in this build yet. Offline review of the migrations keeps working.`;
      log.info(message);
      void vscode.window.showInformationMessage(message);
      return { connected: false };
    }),
  );
}
