/**
 * The language server's settings: the `pgreview.*` keys of the VS Code extension, as a client
 * sends them through `workspace/configuration` (section `pgreview`) or in `initializationOptions`.
 */
import { clampSetting, parseReviewSettings, type ReviewSettings } from '../core/project/editorSettings';

export interface LspSettings extends ReviewSettings {
  /** Milliseconds between the last edit and the analysis it starts. */
  debounceMs: number;
}

/**
 * An editor's keystrokes come tens of milliseconds apart: a re-check starts once the typing pauses
 * that long, and the engine's re-check of an edited file takes about as long again.
 */
export const DEFAULT_DEBOUNCE_MS = 40;

/**
 * Reads the settings from what a client sent: the `pgreview` section itself, or an object that
 * holds it under `pgreview` (initialization options often wrap it so). Anything else counts as
 * not set.
 */
export function parseLspSettings(value: unknown): LspSettings {
  const section = isRecord(value) && isRecord(value.pgreview) ? value.pgreview : isRecord(value) ? value : {};
  return { ...parseReviewSettings(section), debounceMs: clampSetting(section.debounceMs, 0, 5000, DEFAULT_DEBOUNCE_MS) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
