//! The statistics claims rest on, small and exact: the two-sided Mann–Whitney test by complete
//! enumeration (runs per cell are few), Holm's step-down correction, and Hodges–Lehmann
//! estimates of the shift and the ratio between two samples.

/// Mid-ranks (1-based) of `values`, ties sharing the mean of their ranks.
fn midranks(values: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..values.len()).collect();
    idx.sort_by(|&i, &j| values[i].total_cmp(&values[j]));
    let mut ranks = vec![0.0; values.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && values[idx[j + 1]] == values[idx[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            ranks[k] = rank;
        }
        i = j + 1;
    }
    ranks
}

/// Largest pooled sample enumerated exactly (C(20, 10) = 184,756 splits).
const MAX_EXACT: usize = 20;

/// The exact two-sided p-value of the Mann–Whitney (Wilcoxon rank-sum) test of `a` against
/// `b`: the share of all ways to split the pooled mid-ranks into groups of |a| and |b| whose
/// rank sum lies at least as far from its mean as the observed one. With every run of one
/// below every run of the other it is 2 / C(n_a + n_b, n_a). Empty samples give 1; pooled
/// samples beyond 20 values use the normal approximation.
#[must_use]
pub fn mann_whitney_exact(a: &[f64], b: &[f64]) -> f64 {
    let (na, nb) = (a.len(), b.len());
    if na == 0 || nb == 0 {
        return 1.0;
    }
    let pooled: Vec<f64> = a.iter().chain(b).copied().collect();
    let ranks = midranks(&pooled);
    let n = na + nb;
    let observed: f64 = ranks[..na].iter().sum();
    let mean = na as f64 * (n + 1) as f64 / 2.0;
    let dev = (observed - mean).abs() - 1e-9;
    if n > MAX_EXACT {
        return normal_p(dev, na, nb);
    }
    // Every subset of size na (bitmask enumeration over n ≤ 20 items).
    let (mut extreme, mut total) = (0u64, 0u64);
    for mask in 0u32..(1u32 << n) {
        if mask.count_ones() as usize != na {
            continue;
        }
        let sum: f64 = (0..n)
            .filter(|i| mask >> i & 1 == 1)
            .map(|i| ranks[i])
            .sum();
        total += 1;
        if (sum - mean).abs() >= dev {
            extreme += 1;
        }
    }
    extreme as f64 / total as f64
}

/// The two-sided p of a rank-sum `dev` away from its mean, by the normal approximation (no
/// continuity or tie correction).
fn normal_p(dev: f64, na: usize, nb: usize) -> f64 {
    let var = na as f64 * nb as f64 * (na + nb + 1) as f64 / 12.0;
    let z = dev.max(0.0) / var.sqrt();
    (2.0 * (1.0 - normal_cdf(z))).min(1.0)
}

/// Φ(z), by the Abramowitz–Stegun 7.1.26 approximation of erf (error < 1.5e-7).
fn normal_cdf(z: f64) -> f64 {
    let x = z / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x.abs());
    let y = 1.0
        - (((((1.061_405_429 * t - 1.453_152_027) * t) + 1.421_413_741) * t - 0.284_496_736) * t
            + 0.254_829_592)
            * t
            * (-x * x).exp();
    let erf = if x >= 0.0 { y } else { -y };
    0.5 * (1.0 + erf)
}

/// One hypothesis after Holm's correction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Holm {
    /// α / (k − rank + 1): what its p had to be at or below.
    pub threshold: f64,
    /// Rejected (a difference) under the step-down.
    pub rejected: bool,
}

/// Holm's step-down over `ps` at family-wise error `alpha`: sort ascending, compare the i-th
/// (1-based) with α / (k − i + 1), stop at the first that fails. Returned in `ps`'s order.
#[must_use]
pub fn holm(ps: &[f64], alpha: f64) -> Vec<Holm> {
    let k = ps.len();
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&i, &j| ps[i].total_cmp(&ps[j]));
    let mut out = vec![
        Holm {
            threshold: alpha,
            rejected: false
        };
        k
    ];
    let mut failed = false;
    for (rank, &i) in order.iter().enumerate() {
        let threshold = alpha / (k - rank) as f64;
        let rejected = !failed && ps[i] <= threshold;
        failed |= !rejected;
        out[i] = Holm {
            threshold,
            rejected,
        };
    }
    out
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    })
}

/// Hodges–Lehmann shift of `b` from `a`: the median of all differences b_j − a_i (0 when either
/// is empty).
#[must_use]
pub fn hodges_lehmann_shift(a: &[f64], b: &[f64]) -> f64 {
    median(
        a.iter()
            .flat_map(|x| b.iter().map(move |y| y - x))
            .collect(),
    )
    .unwrap_or(0.0)
}

/// Hodges–Lehmann ratio of `b` to `a`: the median of all ratios b_j / a_i (on logs), `None`
/// where a value is not positive.
#[must_use]
pub fn hodges_lehmann_ratio(a: &[f64], b: &[f64]) -> Option<f64> {
    if a.iter()
        .chain(b)
        .any(|v| v.is_nan() || *v <= 0.0 || !v.is_finite())
    {
        return None;
    }
    median(
        a.iter()
            .flat_map(|x| b.iter().map(move |y| (y / x).ln()))
            .collect(),
    )
    .map(f64::exp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn complete_separation_has_the_exact_two_sided_p() {
        // 2 / C(2n, n): 1/3, 1/10, 1/35, 1/462, 2/3432.
        for (n, p) in [
            (2, 1.0 / 3.0),
            (3, 0.1),
            (4, 1.0 / 35.0),
            (6, 1.0 / 462.0),
            (7, 2.0 / 3432.0),
        ] {
            let a: Vec<f64> = (0..n).map(|i| i as f64).collect();
            let b: Vec<f64> = (0..n).map(|i| 100.0 + i as f64).collect();
            assert!(close(mann_whitney_exact(&a, &b), p), "n={n}");
            assert!(close(mann_whitney_exact(&b, &a), p), "n={n} reversed");
        }
    }

    #[test]
    fn a_known_small_case_and_ties() {
        // a = {1, 2, 4}, b = {3, 5, 6}: rank sum of a is 7, mean 10.5; sums at least 3.5 away
        // from 10.5 among the 20 splits: {6, 7} below and {14, 15} above: 2 + 2 = 4 → 0.2.
        assert!(close(
            mann_whitney_exact(&[1.0, 2.0, 4.0], &[3.0, 5.0, 6.0]),
            0.2
        ));
        // Identical samples: every split is at least as extreme as a zero deviation.
        assert!(close(mann_whitney_exact(&[5.0, 5.0], &[5.0, 5.0]), 1.0));
        assert!(close(mann_whitney_exact(&[], &[1.0]), 1.0));
        // Mid-ranks: ties share their ranks.
        assert_eq!(midranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
    }

    #[test]
    fn the_normal_approximation_takes_over_beyond_twenty_and_agrees() {
        assert!((normal_cdf(1.959_964) - 0.975).abs() < 1e-6);
        // At the largest exact size (10 against 10, half overlapping) the approximation is
        // within a fifth of the exact p.
        let a: Vec<f64> = (0..10).map(f64::from).collect();
        let b: Vec<f64> = (0..10).map(|i| 4.5 + f64::from(i)).collect();
        let exact = mann_whitney_exact(&a, &b);
        let ranks: f64 = midranks(&[a.clone(), b.clone()].concat())[..10]
            .iter()
            .sum();
        let approx = normal_p((ranks - 105.0).abs() - 1e-9, 10, 10);
        assert!((approx / exact - 1.0).abs() < 0.2, "{exact} {approx}");
        // Beyond 20 values the approximation is used.
        let a: Vec<f64> = (0..11).map(f64::from).collect();
        let b: Vec<f64> = (0..11).map(|i| 4.5 + f64::from(i)).collect();
        let ranks: f64 = midranks(&[a.clone(), b.clone()].concat())[..11]
            .iter()
            .sum();
        let approx = normal_p((ranks - 126.5).abs() - 1e-9, 11, 11);
        assert!((mann_whitney_exact(&a, &b) - approx).abs() < 1e-12);
    }

    #[test]
    fn holm_steps_down_and_stops_at_the_first_failure() {
        // k = 4 at α = 0.05: thresholds 0.0125, 0.01667, 0.025, 0.05 in p order.
        let h = holm(&[0.04, 0.001, 0.03, 0.012], 0.05);
        assert!(h[1].rejected && close(h[1].threshold, 0.0125));
        assert!(h[3].rejected && close(h[3].threshold, 0.05 / 3.0));
        // 0.03 > 0.025: fails, and so does everything after it, even 0.04 ≤ 0.05.
        assert!(!h[2].rejected && close(h[2].threshold, 0.025));
        assert!(!h[0].rejected && close(h[0].threshold, 0.05));
    }

    #[test]
    fn hodges_lehmann_estimates() {
        let a = [10.0, 20.0];
        let b = [20.0, 40.0];
        // Differences 10, 30, 0, 20 → median 15; ratios 2, 4, 1, 2 → median 2.
        assert!(close(hodges_lehmann_shift(&a, &b), 15.0));
        assert!(close(hodges_lehmann_ratio(&a, &b).unwrap(), 2.0));
        assert_eq!(hodges_lehmann_ratio(&[0.0], &[1.0]), None);
    }
}
