//! The binary first pass of vector search, held in memory: each chunk's embedding as
//! [`BITS`] sign bits (the form sqlite-vec stores in `chunk_bits`), scanned whole by
//! Hamming distance with `popcount`. 200,000 chunks take 6.4 MB and a scan about a
//! millisecond, where sqlite-vec's own scan of the same table reads and decrypts it
//! through SQLite on every search. The candidates it returns are rescored in full
//! precision by the caller.

use crate::retrieval::DIMENSIONS;

/// Bits per chunk: one per dimension of the local embedder.
pub const BITS: usize = DIMENSIONS;
/// Bytes of one chunk's bits, as sqlite-vec's `bit[256]` stores them.
pub const BIT_BYTES: usize = BITS / 8;
const WORDS: usize = BITS / 64;

/// The sign bits of `vector` in sqlite-vec's layout (`vec_quantize_binary`): bit `i`
/// (byte `i / 8`, from its least significant bit) is set when component `i` is above 0.
/// A vector longer than [`BITS`] components is folded: component `i` counts towards bit
/// `i % BITS`, so any embedding model's vectors get a first pass of the same size.
#[must_use]
pub fn sign_bits(vector: &[f32]) -> [u8; BIT_BYTES] {
    let mut folded = [0f32; BITS];
    for (at, x) in vector.iter().enumerate() {
        folded[at % BITS] += x;
    }
    let mut bits = [0u8; BIT_BYTES];
    for (at, x) in folded.iter().enumerate() {
        if *x > 0.0 {
            bits[at / 8] |= 1 << (at % 8);
        }
    }
    bits
}

fn words(bits: &[u8; BIT_BYTES]) -> [u64; WORDS] {
    let mut words = [0u64; WORDS];
    for (word, bytes) in words.iter_mut().zip(bits.chunks_exact(8)) {
        *word = u64::from_le_bytes([
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
        ]);
    }
    words
}

/// Chunks' sign bits by chunk id, in the order they were added.
#[derive(Debug, Clone, Default)]
pub struct BitIndex {
    ids: Vec<i64>,
    bits: Vec<[u64; WORDS]>,
}

impl BitIndex {
    /// Adds chunk `id` with its `bits` (see [`sign_bits`]).
    pub fn push(&mut self, id: i64, bits: &[u8; BIT_BYTES]) {
        self.ids.push(id);
        self.bits.push(words(bits));
    }

    /// How many chunks it holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether it holds no chunk.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The `k` chunk ids nearest `query` by Hamming distance, nearest first (ties by the
    /// order added), with their distances.
    #[must_use]
    pub fn nearest(&self, query: &[u8; BIT_BYTES], k: usize) -> Vec<(i64, u32)> {
        let query = words(query);
        let mut scored: Vec<(u32, usize)> = self
            .bits
            .iter()
            .enumerate()
            .map(|(at, bits)| {
                let distance = bits
                    .iter()
                    .zip(&query)
                    .map(|(a, b)| (a ^ b).count_ones())
                    .sum();
                (distance, at)
            })
            .collect();
        if k < scored.len() {
            scored.select_nth_unstable(k);
            scored.truncate(k);
        }
        scored.sort_unstable();
        scored
            .into_iter()
            .map(|(distance, at)| (self.ids[at], distance))
            .collect()
    }
}
