/** The longest message a report shows, in characters; rule messages are far shorter. */
export const MAX_MESSAGE_LENGTH = 1000;

/**
 * Characters a message never shows as they are: control characters (a line break would split a
 * text report's one line per finding; an escape sequence would drive the reader's terminal), the
 * Unicode line and paragraph separators, and the bidirectional overrides that make text read
 * differently from what it is ("Trojan Source").
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A finding's message as every report and the editor show it: on one line, with unprintable
 * characters written as escapes (`\n`, `\u001b`), and cut to MAX_MESSAGE_LENGTH characters with a
 * note of how much was left out. Messages can quote the user's files (PostgreSQL's syntax errors
 * quote the text from the error on, which for an unterminated string is the rest of the file), so
 * they are bounded here, once, for all formats.
 */
export function printableMessage(message: string): string {
  let shown = message.length > MAX_MESSAGE_LENGTH ? message.slice(0, MAX_MESSAGE_LENGTH) : message;
  // Never end on half of a surrogate pair.
  if (shown.length < message.length && /[\ud800-\udbff]$/.test(shown)) shown = shown.slice(0, -1);
  const printable = shown.replace(UNPRINTABLE, escapeCharacter);
  const omitted = message.length - shown.length;
  return omitted > 0 ? `${printable}… (${omitted} more characters)` : printable;
}

/**
 * A line of the user's text (a line of a function body in a unified diff) as it is, but for the
 * characters above, written as escapes; a tab stays a tab, as code is indented with it.
 */
export function printableLine(line: string): string {
  return line.replace(UNPRINTABLE, (char) => (char === '\t' ? char : escapeCharacter(char)));
}

function escapeCharacter(char: string): string {
  return NAMED_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
