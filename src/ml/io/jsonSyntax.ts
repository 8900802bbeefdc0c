// Where JSON text breaks. V8's JSON.parse names a position for some errors ("at position 6") and
// only a snippet for others ("Unexpected token 'x', ..."), so a refusal could not say where the
// file is damaged; this scanner finds the first offending character itself. Iterative, so a
// file nested a million deep is located, not a stack overflow.

export interface TextPosition {
  /** 1-based */
  line: number;
  /** 1-based, in UTF-16 code units as the text was read */
  column: number;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/**
 * A string starting at `start` (its opening quote): [true, the offset after its closing quote] or
 * [false, the offset of what breaks it: a raw control character, a bad escape, or the end of the text].
 */
function scanString(text: string, start: number): [boolean, number] {
  for (let at = start + 1; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === 0x22) return [true, at + 1];
    if (code < 0x20) return [false, at];
    if (code === 0x5c) {
      ESCAPE.lastIndex = at;
      if (!ESCAPE.test(text)) return [false, at];
      at = ESCAPE.lastIndex - 1;
    }
  }
  return [false, text.length];
}
const LITERALS = ['true', 'false', 'null'];

type Expecting = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'commaOrClose' | 'end';

/** The offset of the first character that makes `text` invalid JSON, or undefined when it is valid. */
export function firstJsonSyntaxError(text: string): number | undefined {
  const closers: ('}' | ']')[] = [];
  let at = 0;
  let expecting: Expecting = 'value';
  const afterValue = (): Expecting => (closers.length === 0 ? 'end' : 'commaOrClose');
  const number = (): boolean => {
    NUMBER.lastIndex = at;
    if (!NUMBER.test(text)) return false;
    at = NUMBER.lastIndex;
    return true;
  };
  const string = (): boolean => {
    const [ok, end] = scanString(text, at);
    at = end;
    return ok;
  };
  for (;;) {
    while (at < text.length && ' \t\n\r'.includes(text[at])) at++;
    const char = text[at];
    if (expecting === 'end') return at < text.length ? at : undefined;
    if (expecting === 'commaOrClose') {
      if (char === ',') expecting = closers[closers.length - 1] === '}' ? 'key' : 'value';
      else if (char === closers[closers.length - 1]) {
        closers.pop();
        expecting = afterValue();
      } else return at;
      at++;
      continue;
    }
    if (expecting === 'key' || expecting === 'keyOrClose') {
      if (expecting === 'keyOrClose' && char === '}') {
        closers.pop();
        at++;
        expecting = afterValue();
        continue;
      }
      if (char !== '"' || !string()) return at;
      while (at < text.length && ' \t\n\r'.includes(text[at])) at++;
      if (text[at] !== ':') return at;
      at++;
      expecting = 'value';
      continue;
    }
    // a value
    if (expecting === 'valueOrClose' && char === ']') {
      closers.pop();
      at++;
      expecting = afterValue();
      continue;
    }
    if (char === '{' || char === '[') {
      closers.push(char === '{' ? '}' : ']');
      at++;
      expecting = char === '{' ? 'keyOrClose' : 'valueOrClose';
      continue;
    }
    const literal = LITERALS.find((word) => text.startsWith(word, at));
    if (literal) at += literal.length;
    else if (!(char === '"' ? string() : number())) return at;
    expecting = afterValue();
  }
}

/** 1-based line and column of a character offset. */
export function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Where invalid JSON breaks, for a refusal: "line 3, column 7", or "the end of the file" when it
 * stops short (a truncated download). Undefined when the scanner finds the text valid.
 */
export function jsonErrorPlace(text: string): { place: string; position: TextPosition } | undefined {
  const offset = firstJsonSyntaxError(text);
  if (offset === undefined) return undefined;
  const position = positionAt(text, offset);
  const place =
    offset >= text.length
      ? `the end of the file (line ${position.line})`
      : `line ${position.line}, column ${position.column}`;
  return { place, position };
}
