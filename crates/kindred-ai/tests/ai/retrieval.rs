//! Retrieval's pure parts: cleaning, chunking, the local embedder, fusion.

use kindred_ai::retrieval::{
    chunk_body, clean_body, cosine, embed_locally, fuse, html_to_text, CHUNK_CHARS, DIMENSIONS,
};

#[test]
fn quoted_replies_signatures_and_html_are_left_out() {
    let body = "Sounds good, see you Monday.\n\n-- \nDana Reyes\nVP Zebra Sales";
    assert_eq!(clean_body(body), "Sounds good, see you Monday.");
    let reply = "Yes.\n> did you get the zebra numbers?\n>> older quote";
    assert_eq!(clean_body(reply), "Yes.");
    let outlook = "Fine by me.\n\nOn Mon, Mar 3, 2025 at 10:00 Dana wrote:\nthe zebra plan";
    assert_eq!(clean_body(outlook), "Fine by me.");
    let html = "<html><head><style>p{color:red}</style></head><body><p>Budget&nbsp;is \
                <b>40k</b></p><div>Thanks &amp; regards</div><script>alert(1)</script></body></html>";
    let text = clean_body(html);
    assert!(text.contains("Budget is 40k"), "{text}");
    assert!(text.contains("Thanks & regards"));
    assert!(!text.contains("color") && !text.contains("alert"), "{text}");
    assert_eq!(html_to_text("a<br>b"), "a\nb");
}

#[test]
fn long_bodies_are_cut_near_the_chunk_size_and_lose_no_word() {
    let sentence = "The Acme rollout needs the signed contract before Friday. ";
    let paragraph = sentence.repeat(40);
    let body = format!("Short opener.\n\n{paragraph}\n\nClosing words.");
    let chunks = chunk_body(&body);
    assert!(chunks.len() >= 3, "{}", chunks.len());
    assert!(
        chunks.iter().all(|c| c.len() <= CHUNK_CHARS + 2),
        "no chunk much over the size"
    );
    let words = |text: &str| text.split_whitespace().count();
    assert_eq!(chunks.iter().map(|c| words(c)).sum::<usize>(), words(&body));
    assert_eq!(
        chunk_body(""),
        [""],
        "an empty body still gives one chunk for its subject"
    );
}

#[test]
fn the_local_embedder_finds_shared_wording_and_spelling() {
    let invoice = embed_locally("Quarterly invoice for the Acme account");
    let typo = embed_locally("invoce acme");
    let unrelated = embed_locally("Lunch on Friday at the Thai place?");
    assert_eq!(invoice.len(), DIMENSIONS);
    let norm: f32 = invoice.iter().map(|x| x * x).sum::<f32>().sqrt();
    assert!((norm - 1.0).abs() < 1e-4, "unit length");
    assert!(
        cosine(&invoice, &typo) > cosine(&invoice, &unrelated) + 0.2,
        "a misspelt query is still near: {} vs {}",
        cosine(&invoice, &typo),
        cosine(&invoice, &unrelated)
    );
    assert!(embed_locally("!!! ...").iter().all(|x| *x == 0.0));
    assert_eq!(embed_locally("same text"), embed_locally("same text"));
}

#[test]
fn reciprocal_rank_fusion_rewards_agreement() {
    let fused = fuse(&[&[1, 2, 3], &[3, 4, 1]]);
    let order: Vec<i64> = fused.iter().map(|(id, _)| *id).collect();
    assert_eq!(order, [1, 3, 2, 4]);
    assert!((fused[0].1 - (1.0 / 61.0 + 1.0 / 63.0)).abs() < 1e-12);
}

#[test]
fn the_bit_index_ranks_by_hamming_distance_and_keeps_k() {
    use kindred_ai::retrieval::DIMENSIONS;
    use kindred_ai::vectors::{bit_bytes, sign_bits, BitIndex};
    let mut index = BitIndex::new(bit_bytes(DIMENSIONS));
    let texts = [
        "quarterly invoice for the acme account",
        "photos from the barcelona offsite",
        "invoice reminder acme quarterly",
        "lunch on friday?",
    ];
    for (id, text) in (10..).zip(texts) {
        index.push(id, &sign_bits(&embed_locally(text))).unwrap();
    }
    assert_eq!(index.len(), 4);
    let query = sign_bits(&embed_locally("quarterly invoice for the acme account"));
    let nearest = index.nearest(&query, 2);
    assert_eq!(nearest.len(), 2, "k of them are kept");
    assert_eq!(nearest[0], (10, 0), "the same text is at distance 0");
    assert_eq!(nearest[1].0, 12, "the text sharing the words comes next");
    let all = index.nearest(&query, 10);
    assert_eq!(all.len(), 4, "k above the size returns them all");
    assert!(
        all.windows(2).all(|pair| pair[0].1 <= pair[1].1),
        "nearest first: {all:?}"
    );
    assert!(all
        .iter()
        .all(|(_, distance)| *distance as usize <= DIMENSIONS));
    assert_eq!(
        index.push(14, &[0u8; 8]),
        Err(8),
        "bits of another width are refused"
    );
    assert!(
        index.nearest(&[0u8; 8], 3).is_empty(),
        "a query of another width finds nothing"
    );
}

#[test]
fn bit_indexes_of_any_width_rank_an_endpoints_longer_vectors() {
    use kindred_ai::vectors::{bit_bytes, sign_bits, BitIndex};
    // 1,536 dimensions (24 words) and 60 (not a whole number of bytes: padded).
    for dimensions in [1536usize, 60] {
        let vector = |seed: usize| -> Vec<f32> {
            (0..dimensions)
                .map(|at| {
                    if (at * 7 + seed).is_multiple_of(3) {
                        1.0
                    } else {
                        -1.0
                    }
                })
                .collect()
        };
        let mut index = BitIndex::new(bit_bytes(dimensions));
        for seed in 0..3 {
            index.push(seed as i64, &sign_bits(&vector(seed))).unwrap();
        }
        let nearest = index.nearest(&sign_bits(&vector(1)), 3);
        assert_eq!(
            nearest[0],
            (1, 0),
            "the same vector is nearest at {dimensions}"
        );
        assert!(nearest[1].1 > 0, "others are farther at {dimensions}");
    }
}

#[test]
fn sign_bits_set_one_bit_per_positive_component_in_whole_bytes() {
    use kindred_ai::vectors::sign_bits;
    let mut vector = vec![-1.0f32; 256];
    vector[0] = 0.5;
    vector[9] = 0.1;
    vector[255] = 2.0;
    let bits = sign_bits(&vector);
    assert_eq!(bits.len(), 32, "one bit per component");
    assert_eq!(bits[0], 0b0000_0001, "bit 0 is byte 0's lowest");
    assert_eq!(bits[1], 0b0000_0010, "bit 9 is byte 1's second lowest");
    assert_eq!(bits[31], 0b1000_0000);
    assert_eq!(bits.iter().map(|b| b.count_ones()).sum::<u32>(), 3);
    let mut odd = vec![1.0f32; 12];
    odd[11] = -1.0;
    assert_eq!(
        sign_bits(&odd),
        [0xff, 0b0000_0111],
        "12 components take two bytes, the bits past them 0"
    );
}

#[test]
fn the_full_text_pass_leaves_out_function_words_unless_nothing_else_is_left() {
    use kindred_ai::retrieval::search_words;
    assert_eq!(
        search_words("thanks for pulling this together"),
        "thanks pulling together"
    );
    assert_eq!(
        search_words("What did Dana write about the RFC?"),
        "Dana write RFC?"
    );
    assert_eq!(
        search_words("  the  "),
        "the",
        "a query of function words alone is kept"
    );
}
