//! "Did you mean": the known word closest to a misspelt one, by edit distance.

/// The candidate nearest to `word` (edit distance, case-insensitive), if it is
/// near enough to be a plausible misspelling: at most 2 edits, and fewer than half the
/// word's length. A word that differs only in case (`When`) is near enough.
pub(super) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_lowercase();
    let length = word.chars().count();
    candidates
        .into_iter()
        .map(|candidate| (distance(&word, candidate), candidate))
        .filter(|&(distance, _)| distance <= 2 && distance * 2 < length.max(2))
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

/// The edit distance between `a` and `b` in characters: insertions, deletions,
/// substitutions and swaps of neighbours (`form` → `from` is one edit).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut table = vec![0; (a.len() + 1) * width];
    for (j, cell) in table.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        table[i * width] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (table[(i - 1) * width + j] + 1)
                .min(table[i * width + j - 1] + 1)
                .min(table[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(table[(i - 2) * width + j - 2] + 1);
            }
            table[i * width + j] = best;
        }
    }
    table[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misspellings_are_suggested_and_strangers_are_not() {
        let actions = ["create_task", "notify", "tag", "log"];
        assert_eq!(closest("creat_task", actions), Some("create_task"));
        assert_eq!(closest("Notfy", actions), Some("notify"));
        assert_eq!(closest("explode", actions), None);
        assert_eq!(
            closest("x", actions),
            None,
            "one letter is too short to guess"
        );
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("same", "same"), 0);
        assert_eq!(
            distance("form", "from"),
            1,
            "a swap of neighbours is one edit"
        );
    }
}
