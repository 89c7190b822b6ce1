import { describe, expect, it } from 'vitest';
import { parseRef, segments, sourceKey } from './citations';

describe('segments', () => {
  it('keeps text without citations as one run', () => {
    expect(segments('Nothing cited here.')).toEqual([{ kind: 'text', text: 'Nothing cited here.' }]);
  });

  it('splits message and event citations out of the text, in order', () => {
    expect(segments('Dana wrote [msg:12] before the call [event:7].')).toEqual([
      { kind: 'text', text: 'Dana wrote ' },
      { kind: 'cite', source: { kind: 'message', id: 12 } },
      { kind: 'text', text: ' before the call ' },
      { kind: 'cite', source: { kind: 'event', id: 7 } },
      { kind: 'text', text: '.' },
    ]);
  });

  it('reads several citations in one bracket', () => {
    expect(segments('[msg:1, msg:2; event:3]')).toEqual([
      { kind: 'cite', source: { kind: 'message', id: 1 } },
      { kind: 'cite', source: { kind: 'message', id: 2 } },
      { kind: 'cite', source: { kind: 'event', id: 3 } },
    ]);
  });

  it('leaves brackets that are not citations as text', () => {
    expect(segments('see [note] and [msg:x] or [mail:3]')).toEqual([
      { kind: 'text', text: 'see [note] and [msg:x] or [mail:3]' },
    ]);
  });

  it('keeps a citation still being streamed as text until its bracket closes', () => {
    expect(segments('Dana wrote [msg:1')).toEqual([{ kind: 'text', text: 'Dana wrote [msg:1' }]);
  });
});

describe('parseRef', () => {
  it('reads the references story claims list', () => {
    expect(parseRef('msg:42')).toEqual({ kind: 'message', id: 42 });
    expect(parseRef('event:3')).toEqual({ kind: 'event', id: 3 });
    expect(parseRef('task:3')).toBeNull();
  });
});

describe('sourceKey', () => {
  it('names a source by kind and id', () => {
    expect(sourceKey({ kind: 'event', id: 9 })).toBe('event:9');
  });
});
