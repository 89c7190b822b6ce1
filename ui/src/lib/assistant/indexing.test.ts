import { describe, expect, it } from 'vitest';
import { describeIndexing } from './indexing';

describe('describeIndexing', () => {
  it('counts the messages and events read, then the passages embedded and by which model', () => {
    expect(describeIndexing({ stage: 'chunking', indexed: 256, total: 1200, model: 'local' })).toBe(
      'Indexing for search: 256 of 1,200 messages and events read',
    );
    expect(describeIndexing({ stage: 'embedding', indexed: 64, total: 2048, model: 'nomic-embed-text' })).toBe(
      'Indexing for search: 64 of 2,048 passages embedded by nomic-embed-text',
    );
    expect(describeIndexing({ stage: 'embedding', indexed: 512, total: 512, model: 'local' })).toBe(
      'Indexing for search: 512 of 512 passages embedded by the local embedder',
    );
  });

  it('says nothing before indexing or once it is done', () => {
    expect(describeIndexing(null)).toBeNull();
    expect(describeIndexing({ stage: 'done', indexed: 512, total: 512, model: 'local' })).toBeNull();
  });
});
