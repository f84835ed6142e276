//! The one "did you mean" of the workspace: unknown `#[paginate]` keys and field names in the
//! derive, unknown function names and route methods in the checker, unknown operation names in
//! `paginated`'s `Registry` (S2).

/// The candidate closest to `name`, when it is close enough to be what was meant.
///
/// Names are compared folded: case, `_` and `-` are ignored, so `list_objects_v2` is
/// `ListObjectsV2` and `InputToken` is `input_token`. A candidate qualifies within an edit
/// distance of a third of its length (at least 1); the closest wins, then the first in
/// alphabetical order.
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    did_you_mean_within(name, candidates, 1)
}

/// [`did_you_mean`] with at least `floor` edits allowed, whatever the candidate's length:
/// `Registry::get` allows 2, so a short operation name with two letters swapped (`Sacn`)
/// still finds `Scan`.
pub fn did_you_mean_within<'a, I>(name: &str, candidates: I, floor: usize) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let wanted = fold(name);
    candidates
        .into_iter()
        .map(|c| (edit_distance(&fold(c), &wanted), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(floor))
        .min()
        .map(|(_, c)| c)
}

/// `name` lowercased, without `_` and `-`: how names are compared by [`did_you_mean`] (and
/// how `Registry::get` matches boto3's snake-case operation names).
pub fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Levenshtein distance, in characters, with one row of memory (not folded: compare
/// [`fold`]ed names for [`did_you_mean`]'s notion of near).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = (up + 1).min(row[j] + 1).min(diag + usize::from(ca != *cb));
            diag = up;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_name_within_a_third_of_its_length() {
        let ops = ["ListObjectsV2", "ListBuckets"];
        assert_eq!(did_you_mean("ListObjectV2", ops), Some("ListObjectsV2"));
        assert_eq!(did_you_mean("list_object_v2", ops), Some("ListObjectsV2"));
        assert_eq!(did_you_mean("DescribeInstances", ops), None);
        assert_eq!(did_you_mean("nope", ["not_null", "abs"]), None);
        assert_eq!(did_you_mean("lenght", ["length", "abs"]), Some("length"));
        assert_eq!(did_you_mean("GT", ["GET", "PUT"]), Some("GET"));
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        // Two edits: too many for a name of four letters, unless the floor allows them.
        assert_eq!(did_you_mean("Sacn", ["Scan", "Query"]), None);
        assert_eq!(
            did_you_mean_within("Sacn", ["Scan", "Query"], 2),
            Some("Scan")
        );
    }
}
