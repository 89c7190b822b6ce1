import { describe, expect, it } from 'vitest';
import { blockedNote, FRAME_POLICY, frameDocument, shownFormat } from './frame';

describe('frameDocument', () => {
  it('puts its own policy, loading nothing, before the message', () => {
    const html = frameDocument('<p>Hello</p>');
    const policy = html.indexOf(`content="${FRAME_POLICY}"`);
    expect(policy).toBeGreaterThan(0);
    expect(html.indexOf('<p>Hello</p>')).toBeGreaterThan(policy);
    expect(FRAME_POLICY).toContain("default-src 'none'");
    expect(FRAME_POLICY).toContain('img-src data:');
    expect(FRAME_POLICY).not.toContain('script-src');
  });

  it('turns off DNS prefetching of the links', () => {
    expect(frameDocument('<a href="https://acme.example/">x</a>')).toContain(
      '<meta http-equiv="x-dns-prefetch-control" content="off">',
    );
  });

  it('is light whatever the theme', () => {
    const html = frameDocument('');
    expect(html).toContain('<meta name="color-scheme" content="light">');
    expect(html).toContain('background: #ffffff');
  });
});

describe('shownFormat', () => {
  it('shows the preferred format when there is HTML, else the text', () => {
    expect(shownFormat('html', '<p>x</p>')).toBe('html');
    expect(shownFormat('text', '<p>x</p>')).toBe('text');
    expect(shownFormat('html', null)).toBe('text');
  });
});

describe('blockedNote', () => {
  it('says how many remote images were blocked, and nothing when none were', () => {
    expect(blockedNote(0)).toBeNull();
    expect(blockedNote(3)).toBe('Remote images blocked (3)');
  });
});
