//! Row selection: which rows of a sweep's [`Results`] a table or picture shows, which strategies or scenarios a sentence walks through, in which order,
//! and the merged histograms that belong to a row. Row *contents* are in [`crate::row`]; this
//! module only picks among them.

use crate::row::{CellHistograms, Results, Row};

/// Distinct values of `key` in first-appearance order. The key may borrow from the item
/// (`|r| r.scenario.as_str()`).
#[must_use]
pub fn first_seen<'a, T: 'a, K: PartialEq>(
    items: impl IntoIterator<Item = &'a T>,
    key: impl Fn(&'a T) -> K,
) -> Vec<K> {
    let mut out: Vec<K> = Vec::new();
    for it in items {
        let k = key(it);
        if !out.contains(&k) {
            out.push(k);
        }
    }
    out
}

/// The rows a plot shows (everything but sweep rows and the A/A control's twin cells, which
/// would be drawn over their cell with the same strategy and cores), with their index into
/// `results.rows`.
pub fn plain_rows(results: &Results) -> impl Iterator<Item = (usize, &Row)> {
    results
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.sweep.is_none() && !r.twin)
}

/// The merged histograms of row `i` (same index when the names agree, else found by name).
#[must_use]
pub fn hists_of<'a>(results: &'a Results, i: usize, row: &Row) -> Option<&'a CellHistograms> {
    let cell = row.cell_name();
    results
        .hists
        .get(i)
        .filter(|h| h.cell == cell)
        .or_else(|| results.hists.iter().find(|h| h.cell == cell))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plots_never_see_a_twin_or_a_sweep_row() {
        let mut r = crate::fixtures::sample_results();
        let mut twin = r.rows[0].clone();
        twin.twin = true;
        let mut sweep = r.rows[0].clone();
        sweep.sweep = Some("chunk=10".into());
        let n = r.rows.len();
        r.rows.push(twin);
        r.rows.push(sweep);
        assert_eq!(plain_rows(&r).count(), n);
    }
}
