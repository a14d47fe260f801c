//! Analysis: what the measured rows say. Findings, the verdict, the theory's fit, simulated vs
//! real lines, and capacity's derived figures — each computed once, here, by [`analyse`].
//!
//! Invariant: typed results in, typed results out — no markup and no files. The report renders
//! what this crate decides; nothing downstream recomputes it. (Findings and the verdict's
//! answers are plain sentences: their numbers are formatted here, their markup is the
//! report's.)

pub mod answers;
pub mod capacity;
pub mod claims;
pub mod findings;
pub mod fit;
pub mod replicate;
pub mod sim_vs_tcp;
pub mod simultaneity;
pub mod soak;
pub mod stat;
pub mod verdict;

#[cfg(test)]
mod tests_fit;
#[cfg(test)]
mod tests_reference;

use lab::row::Results;

/// A sweep's results with everything analysis derives from them: what every exporter and plot
/// is given. It reads as the results it wraps (`Deref`), plus the analysis.
#[derive(Clone, Debug)]
pub struct Analysed {
    /// The measurements, with capacity's derived figures filled in.
    pub results: Results,
    /// The plan's comparisons, tested: the only cell-against-cell claims published.
    pub claims: claims::Claims,
    /// One verdict per scenario.
    pub verdicts: Vec<verdict::Verdict>,
    /// Sentences computed from the rows.
    pub findings: Vec<String>,
    /// Every cell run over both kinds of line.
    pub sim_vs_tcp: Vec<sim_vs_tcp::Pair>,
    /// Each timeline run's two-at-once figures (strategy, scenario, cores), read off its spans.
    pub simultaneity: Vec<simultaneity::Simultaneity>,
}

impl std::ops::Deref for Analysed {
    type Target = Results;
    fn deref(&self) -> &Results {
        &self.results
    }
}

/// Everything analysis says about `results`.
#[must_use]
pub fn analyse(mut results: Results) -> Analysed {
    let limit = lab::core_limit::CoreLimit::from_env(&results.env);
    results.capacity = results.capacity.take().map(|c| capacity::derive(c, limit));
    let claims = claims::test(&results.comparisons, &results.rows);
    Analysed {
        verdicts: verdict::verdicts_with_env(
            &results.rows,
            results.capacity.as_ref(),
            &claims,
            &results.env,
        ),
        findings: findings::findings(&results.rows, &claims),
        sim_vs_tcp: sim_vs_tcp::pairs(&results.rows),
        simultaneity: simultaneity::all(&results.timelines),
        claims,
        results,
    }
}
