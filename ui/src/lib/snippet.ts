/**
 * Search snippets arrive from SQLite FTS5 with each matched term wrapped in `[` and `]`.
 * They are mail text, so untrusted: they are split into plain-text segments here and
 * rendered as text nodes (matches inside `<mark>`), never as HTML.
 */

export interface SnippetSegment {
  text: string;
  match: boolean;
}

/**
 * Splits a snippet at its match markers.
 *
 * A `[` opens a match only when a `]` closes it later; a `[` inside a match, a `]` with no
 * opener and an unclosed `[` are kept as literal text (mail has its own brackets, such as
 * `[JIRA]` subjects). Adjacent segments of the same kind are merged; empty matches dropped.
 */
export function splitSnippet(snippet: string): SnippetSegment[] {
  const segments: SnippetSegment[] = [];
  const push = (text: string, match: boolean) => {
    if (text.length === 0) return;
    const last = segments.at(-1);
    if (last !== undefined && last.match === match) last.text += text;
    else segments.push({ text, match });
  };

  let cursor = 0;
  while (cursor < snippet.length) {
    const open = snippet.indexOf('[', cursor);
    if (open < 0) break;
    const close = snippet.indexOf(']', open + 1);
    if (close < 0) break;
    push(snippet.slice(cursor, open), false);
    push(snippet.slice(open + 1, close), true);
    cursor = close + 1;
  }
  push(snippet.slice(cursor), false);
  return segments;
}
