import { describe, expect, it } from 'vitest';
import { splitSnippet } from './snippet';

describe('splitSnippet', () => {
  it('marks the bracketed terms', () => {
    expect(splitSnippet('the [Acme] launch is [Friday]…')).toEqual([
      { text: 'the ', match: false },
      { text: 'Acme', match: true },
      { text: ' launch is ', match: false },
      { text: 'Friday', match: true },
      { text: '…', match: false },
    ]);
  });

  it('returns plain text unchanged', () => {
    expect(splitSnippet('no matches here')).toEqual([{ text: 'no matches here', match: false }]);
  });

  it('returns nothing for an empty snippet', () => {
    expect(splitSnippet('')).toEqual([]);
  });

  it('handles matches at both ends', () => {
    expect(splitSnippet('[a] b [c]')).toEqual([
      { text: 'a', match: true },
      { text: ' b ', match: false },
      { text: 'c', match: true },
    ]);
  });

  it('keeps stray and unclosed brackets as text', () => {
    expect(splitSnippet('a ] b [c')).toEqual([{ text: 'a ] b [c', match: false }]);
    expect(splitSnippet('x [y] z [w')).toEqual([
      { text: 'x ', match: false },
      { text: 'y', match: true },
      { text: ' z [w', match: false },
    ]);
  });

  it('keeps an opening bracket inside a match as text', () => {
    expect(splitSnippet('[a[b] c')).toEqual([
      { text: 'a[b', match: true },
      { text: ' c', match: false },
    ]);
  });

  it('drops empty matches and merges neighbours', () => {
    expect(splitSnippet('a[]b')).toEqual([{ text: 'ab', match: false }]);
    expect(splitSnippet('[a][b]')).toEqual([{ text: 'ab', match: true }]);
  });

  it('leaves markup as inert text', () => {
    expect(splitSnippet('<img src=x onerror=alert(1)> [<b>hi</b>]')).toEqual([
      { text: '<img src=x onerror=alert(1)> ', match: false },
      { text: '<b>hi</b>', match: true },
    ]);
  });
});
