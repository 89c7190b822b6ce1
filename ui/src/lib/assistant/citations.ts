/**
 * The assistant's answers and stories cite their evidence inline as `[msg:ID]` and
 * `[event:ID]` (several may share one bracket: `[msg:1, msg:2]`). This splits such text
 * into plain runs and citations, so the UI can show each citation as a link to its source.
 */

/** A message or calendar event a text cites. */
export interface SourceRef {
  kind: 'message' | 'event';
  id: number;
}

/** A source to open, with what the citing text knows of it (a meeting shows only this). */
export interface OpenSource extends SourceRef {
  title?: string;
  /** RFC 3339. */
  date?: string;
}

export type Segment = { kind: 'text'; text: string } | { kind: 'cite'; source: SourceRef };

const BRACKET = /\[((?:msg|event):\d+(?:\s*[,;]\s*(?:msg|event):\d+)*)\]/g;
const REF = /(msg|event):(\d+)/g;

/** Parses one `msg:ID` / `event:ID` reference, as story claims list them; null otherwise. */
export function parseRef(text: string): SourceRef | null {
  const match = /^(msg|event):(\d+)$/.exec(text.trim());
  if (match === null) return null;
  return { kind: match[1] === 'msg' ? 'message' : 'event', id: Number(match[2]) };
}

/** `text` as plain runs and citations, in order; text without citations is one run. */
export function segments(text: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const bracket of text.matchAll(BRACKET)) {
    if (bracket.index > last) out.push({ kind: 'text', text: text.slice(last, bracket.index) });
    for (const ref of (bracket[1] ?? '').matchAll(REF)) {
      out.push({ kind: 'cite', source: { kind: ref[1] === 'msg' ? 'message' : 'event', id: Number(ref[2]) } });
    }
    last = bracket.index + bracket[0].length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

/** A source's key, e.g. `message:12`, for keyed lists and lookups. */
export function sourceKey(source: SourceRef): string {
  return `${source.kind}:${source.id}`;
}
