/**
 * Loading the parser for a process that analyses once and exits (a CLI command), as opposed to
 * the editor, which re-parses for hours.
 */
import { setFlagsFromString } from 'node:v8';
import { loadParser } from '../core/sql/parser';

/**
 * `loadParser()`, with libpg_query's WASM kept on V8's baseline compiler (Liftoff) for the rest of
 * the process. V8 otherwise re-compiles the parser's hot functions with its optimising compiler in
 * the background: on the bench project that is about 0.5 s of CPU, taken from the core that the
 * JIT and the garbage collector also use, and it pays off only in a process that parses for much
 * longer than one run. The setting is process-wide and must come before the WASM is compiled.
 *
 * The same holds for the JavaScript of the replay and the rules: TurboFan, V8's top tier, spent a
 * quarter of the instructions of a cold check of the bench project compiling (callgrind), more
 * than its code saved in a run of two seconds. Node 20, whose V8 has no production mid tier
 * (Maglev ships from Node 22), stops at its baseline compiler (Sparkplug): 12% less CPU for the
 * whole check, measured in pairs.
 *
 * Node 22 and later freeze V8's flags once started and this call changes nothing: there
 * bin/pgreview.js starts `check` in a child Node with its own flags on the command line (without
 * `--liftoff-only`, Node 24 took 2.6 s and 640 MB on the bench project instead of 1.1 s and 200 MB).
 */
export function loadParserForOneRun(): Promise<void> {
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--max-opt=1');
  return loadParser();
}
