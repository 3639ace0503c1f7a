// PostgreSQL's text form of a tsquery (what `to_tsquery(...)::text` prints), parsed into a tree the
// in-memory search index evaluates. Pure. PostgreSQL stems the words; this module only reads
// its answer, so the index matches exactly the lexemes the database would.

export type TsNode =
  | { kind: 'lexeme'; lexeme: string; prefix: boolean }
  | { kind: 'and' | 'or'; left: TsNode; right: TsNode }
  | { kind: 'not'; operand: TsNode }
  | { kind: 'phrase'; left: TsNode; right: TsNode; distance: number };

/** Thrown for text that is not a tsquery as PostgreSQL prints it. */
export class TsQuerySyntaxError extends Error {}

/**
 * Parses a tsquery's text form. Returns undefined for the empty query (every word a stop
 * word), which PostgreSQL ignores inside `&&` and `||` and which matches nothing on its own.
 * Precedence, as in PostgreSQL: `!` binds tightest, then `<->` / `<N>`, then `&`, then `|`.
 */
export function parseTsQuery(text: string): TsNode | undefined {
  let at = 0;
  const skip = () => {
    while (text[at] === ' ') at++;
  };
  const fail = (what: string): never => {
    throw new TsQuerySyntaxError(`${what} at ${at} in ${JSON.stringify(text)}`);
  };

  function lexeme(): TsNode {
    at++; // opening quote
    let value = '';
    for (;;) {
      if (at >= text.length) fail('unterminated lexeme');
      const c = text[at]!;
      if (c === "'" && text[at + 1] === "'") {
        value += "'";
        at += 2;
      } else if (c === '\\' && at + 1 < text.length) {
        value += text[at + 1];
        at += 2;
      } else if (c === "'") {
        at++;
        break;
      } else {
        value += c;
        at++;
      }
    }
    let prefix = false;
    if (text[at] === ':') {
      at++;
      while (at < text.length && /[*ABCDabcd]/.test(text[at]!)) {
        if (text[at] === '*') prefix = true;
        else fail('weight restrictions are not supported');
        at++;
      }
    }
    return { kind: 'lexeme', lexeme: value, prefix };
  }

  function primary(): TsNode {
    skip();
    const c = text[at];
    if (c === '!') {
      at++;
      return { kind: 'not', operand: primary() };
    }
    if (c === '(') {
      at++;
      const node = or();
      skip();
      if (text[at] !== ')') fail('expected )');
      at++;
      return node;
    }
    if (c === "'") return lexeme();
    return fail('expected a lexeme');
  }

  function phrase(): TsNode {
    let node = primary();
    for (;;) {
      skip();
      const match = /^<(-|\d+)>/.exec(text.slice(at, at + 8));
      if (!match) return node;
      at += match[0].length;
      node = { kind: 'phrase', left: node, right: primary(), distance: match[1] === '-' ? 1 : Number(match[1]) };
    }
  }

  function and(): TsNode {
    let node = phrase();
    for (;;) {
      skip();
      if (text[at] !== '&') return node;
      at++;
      node = { kind: 'and', left: node, right: phrase() };
    }
  }

  function or(): TsNode {
    let node = and();
    for (;;) {
      skip();
      if (text[at] !== '|') return node;
      at++;
      node = { kind: 'or', left: node, right: and() };
    }
  }

  skip();
  if (at >= text.length) return undefined;
  const node = or();
  skip();
  if (at < text.length) fail('unexpected text');
  return node;
}

/** One word of a phrase chain and its distance in positions from the chain's first word. */
export interface ChainLink {
  lexeme: string;
  prefix: boolean;
  offset: number;
}

/**
 * A phrase as a flat chain (`'a' <-> 'b' <2> 'c'` → a@0, b@1, c@3), or undefined when the phrase
 * holds anything but words (PostgreSQL's phraseto_tsquery only ever makes chains of words).
 */
export function phraseChain(node: TsNode): ChainLink[] | undefined {
  if (node.kind === 'lexeme') return [{ lexeme: node.lexeme, prefix: node.prefix, offset: 0 }];
  if (node.kind !== 'phrase') return undefined;
  const left = phraseChain(node.left);
  const right = phraseChain(node.right);
  if (!left || !right) return undefined;
  const width = Math.max(...left.map((l) => l.offset));
  return [...left, ...right.map((r) => ({ ...r, offset: r.offset + width + node.distance }))];
}
