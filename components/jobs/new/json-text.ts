// A JSON text typed into the form, parsed with a message that says where it breaks. JSON.parse's
// own messages differ by browser and do not always give a position, so on a failure the text is
// scanned once more here, only to find the first spot that is not JSON and what was expected there.

export type JsonTextParse = { ok: true; value: unknown } | { ok: false; message: string };

class SyntaxStop {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {}
}

const isDigit = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '9';
const isHex = (ch: string | undefined) => ch !== undefined && /^[0-9a-fA-F]$/.test(ch);

/** The offset of the first character that breaks the JSON grammar (RFC 8259), and what would have fitted. */
function locateSyntaxError(text: string): { offset: number; expected: string } {
  let i = 0;
  const fail = (expected: string): never => {
    throw new SyntaxStop(i, expected);
  };
  const space = () => {
    while (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r') i++;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail(`"${word}"`);
      i++;
    }
  };
  const digits = () => {
    if (!isDigit(text[i])) fail('a digit');
    while (isDigit(text[i])) i++;
  };
  const number = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') {
      i++;
      digits();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
  };
  const string = () => {
    i++;
    for (;;) {
      const ch = text[i];
      if (ch === undefined) fail('a closing "');
      if (ch === '"') {
        i++;
        return;
      }
      if (ch < ' ') fail('a closing " (a line break inside a string is written \\n)');
      if (ch === '\\') {
        i++;
        if (text[i] === 'u') {
          i++;
          for (let n = 0; n < 4; n++, i++) if (!isHex(text[i])) fail('four hex digits after \\u');
          continue;
        }
        if (text[i] === undefined || !'"\\/bfnrt'.includes(text[i])) fail('an escape such as \\" or \\n');
      }
      i++;
    }
  };
  const members = (close: '}' | ']', member: () => void) => {
    i++;
    space();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      member();
      space();
      if (text[i] === close) {
        i++;
        return;
      }
      if (text[i] !== ',') fail(`"," or "${close}"`);
      i++;
      space();
    }
  };
  const value = (): void => {
    space();
    const ch = text[i];
    if (ch === '{') {
      return members('}', () => {
        if (text[i] !== '"') fail('a field name in double quotes');
        string();
        space();
        if (text[i] !== ':') fail('":"');
        i++;
        value();
      });
    }
    if (ch === '[') return members(']', value);
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === '-' || isDigit(ch)) return number();
    fail('a value');
  };
  try {
    value();
    space();
    if (i < text.length) fail('the end of the text');
  } catch (error) {
    if (error instanceof SyntaxStop) return error;
    // Nesting deep enough to exhaust the stack: no position to give.
  }
  return { offset: 0, expected: 'valid JSON' };
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

function describe(ch: string | undefined): string {
  if (ch === undefined) return 'the end of the text';
  if (ch === '\n' || ch === '\r') return 'a line break';
  if (ch === '\t') return 'a tab';
  if (ch === '"') return 'a double quote';
  return `"${ch}"`;
}

/** The parsed value, or "Invalid JSON at line 2, column 14: expected "," or "}", found a double quote". */
export function parseJsonText(text: string): JsonTextParse {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const { offset, expected } = locateSyntaxError(text);
    const { line, column } = lineAndColumn(text, offset);
    return { ok: false, message: `Invalid JSON at line ${line}, column ${column}: expected ${expected}, found ${describe(text[offset])}` };
  }
}
