//! The binary first pass of vector search, held in memory: each chunk's embedding as one
//! sign bit per dimension (the form sqlite-vec stores in `chunk_bits`), scanned whole by
//! Hamming distance with `popcount`. 200,000 chunks of the local embedder's 256 dimensions
//! take 6.4 MB and a scan about a millisecond, where sqlite-vec's own scan of the same
//! table reads and decrypts it through SQLite on every search. An endpoint's model of 1,536
//! dimensions takes six times that. The candidates it returns are rescored in full
//! precision by the caller.

/// Bytes of one vector's sign bits: one bit per dimension, rounded up to whole bytes (as
/// sqlite-vec's `bit[N]` columns hold them, `N` a multiple of 8).
#[must_use]
pub fn bit_bytes(dimensions: usize) -> usize {
    dimensions.div_ceil(8)
}

/// The sign bits of `vector` in sqlite-vec's layout (`vec_quantize_binary`): bit `i`
/// (byte `i / 8`, from its least significant bit) is set when component `i` is above 0;
/// the bits past the last component, up to a whole byte, are 0.
#[must_use]
pub fn sign_bits(vector: &[f32]) -> Vec<u8> {
    let mut bits = vec![0u8; bit_bytes(vector.len())];
    for (at, x) in vector.iter().enumerate() {
        if *x > 0.0 {
            bits[at / 8] |= 1 << (at % 8);
        }
    }
    bits
}

/// Appends `bits` to `into` as `words` little-endian 64-bit words, padded with 0.
fn push_words(bits: &[u8], words: usize, into: &mut Vec<u64>) {
    for word in 0..words {
        let mut bytes = [0u8; 8];
        for (slot, byte) in bytes.iter_mut().enumerate() {
            *byte = bits.get(word * 8 + slot).copied().unwrap_or(0);
        }
        into.push(u64::from_le_bytes(bytes));
    }
}

/// Chunks' sign bits by chunk id, in the order they were added, all of one width.
#[derive(Debug, Clone)]
pub struct BitIndex {
    /// Bytes of each vector's bits.
    bytes: usize,
    /// 64-bit words of each vector's bits (the last one padded with 0).
    words: usize,
    ids: Vec<i64>,
    bits: Vec<u64>,
}

impl BitIndex {
    /// An empty index of vectors of `bytes` bytes each (see [`bit_bytes`]).
    #[must_use]
    pub fn new(bytes: usize) -> Self {
        Self {
            bytes,
            words: bytes.div_ceil(8),
            ids: Vec::new(),
            bits: Vec::new(),
        }
    }

    /// Bytes of each vector's bits.
    #[must_use]
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Adds chunk `id` with its `bits` (see [`sign_bits`]).
    ///
    /// # Errors
    /// `bits` is not [`Self::bytes`] long: the error says how long it is.
    pub fn push(&mut self, id: i64, bits: &[u8]) -> Result<(), usize> {
        if bits.len() != self.bytes {
            return Err(bits.len());
        }
        self.ids.push(id);
        push_words(bits, self.words, &mut self.bits);
        Ok(())
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
    /// order added), with their distances. A query of another width than the index's
    /// finds nothing.
    #[must_use]
    pub fn nearest(&self, query: &[u8], k: usize) -> Vec<(i64, u32)> {
        if query.len() != self.bytes || self.words == 0 {
            return Vec::new();
        }
        let mut words = Vec::with_capacity(self.words);
        push_words(query, self.words, &mut words);
        let mut scored: Vec<(u32, usize)> = self
            .bits
            .chunks_exact(self.words)
            .enumerate()
            .map(|(at, bits)| {
                let distance = bits
                    .iter()
                    .zip(&words)
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
