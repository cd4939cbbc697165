/**
 * What README.md's command examples show of a command's output (scripts/refresh-readme-command-examples.ts
 * writes them): the output without what differs from machine to machine or run to run, so that a
 * refresh changes an example only when the command's behaviour changed.
 */

/** Stands for an elapsed time in an example: the real one differs on every run. */
export const ELAPSED_PLACEHOLDER = '<elapsed>';

/**
 * The throwaway server's loopback port is this machine's: the README shows the default. `inspect`'s
 * closing line says how long the read took (`in 3968 ms`): the README shows a placeholder there.
 */
export function readmeExampleOutput(text: string, port: number): string {
  return text.replaceAll(`127.0.0.1:${port}`, 'localhost:5432').replace(/^(Read .* catalog queries in )\d+( ms\.)$/gm, `$1${ELAPSED_PLACEHOLDER}$2`);
}
