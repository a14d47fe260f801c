//! The closed forms behind the predictions, in any one time unit (the models use µs) and
//! knowing nothing of the workload: Pollaczek–Khinchine for M/G/1 FIFO, Cobham for the high
//! class of a non-preemptive priority M/G/1, Erlang C, Allen–Cunneen for M/G/c and Cosmetatos'
//! correction of it for M/D/c; plus the second moment of a check cut by a poll budget and the
//! exponential-tail estimate of how many callers outwait their patience. Every arrival stream
//! is Poisson. `tests_sim.rs` checks each against a simulated queue.

/// One class of customers of a single queue: Poisson arrivals at `rate`, service time with
/// mean `mean` and second moment `second_moment` (all in one time unit, e.g. µs).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct JobClass {
    /// Arrivals per time unit.
    pub rate: f64,
    /// E\[S\].
    pub mean: f64,
    /// E\[S²\].
    pub second_moment: f64,
}

impl JobClass {
    /// A class with constant service time `service`.
    #[must_use]
    pub fn deterministic(rate: f64, service: f64) -> JobClass {
        JobClass {
            rate,
            mean: service,
            second_moment: service * service,
        }
    }

    /// Offered load ρ = λ·E\[S\].
    #[must_use]
    pub fn load(&self) -> f64 {
        self.rate * self.mean
    }
}

/// Total offered load ρ = Σ λᵢ E\[Sᵢ\] of `classes`.
pub(super) fn load(classes: &[JobClass]) -> f64 {
    classes.iter().map(JobClass::load).sum()
}

/// Mean residual work seen by a Poisson arrival: W0 = Σ λᵢ E\[Sᵢ²\] / 2.
fn residual(classes: &[JobClass]) -> f64 {
    classes
        .iter()
        .map(|c| c.rate * c.second_moment)
        .sum::<f64>()
        / 2.0
}

/// Pollaczek–Khinchine: the mean wait in queue of an M/G/1 FIFO server fed by several Poisson
/// classes, `W = Σ λᵢ E[Sᵢ²] / (2 (1 − ρ))` with ρ = Σ λᵢ E\[Sᵢ\]. Every class waits the same
/// on average (PASTA). `None` when ρ ≥ 1 (no steady state).
#[must_use]
pub fn pk_mean_wait(classes: &[JobClass]) -> Option<f64> {
    let rho = load(classes);
    (rho < 1.0).then(|| residual(classes) / (1.0 - rho))
}

/// Cobham: the mean wait of the highest class of a non-preemptive priority M/G/1 server,
/// `W_high = W0 / (1 − ρ_high)` with `W0 = Σ λᵢ E[Sᵢ²] / 2` over ALL classes (`high` and
/// `low`) — a high-priority arrival waits for the job in service, whatever its class, then for
/// the high-priority work ahead of it. Within `high` the order is FIFO. `None` when the total
/// load ρ_high + ρ_low ≥ 1 (no steady state).
#[must_use]
pub fn cobham_high_priority_wait(high: &[JobClass], low: &[JobClass]) -> Option<f64> {
    let rho_high = load(high);
    let rho = rho_high + load(low);
    (rho < 1.0).then(|| (residual(high) + residual(low)) / (1.0 - rho_high))
}

/// Erlang C: the probability that an arrival must wait in an M/M/c queue with offered load
/// `a = λ/μ` erlangs. Computed through the Erlang B recursion (stable for large `c`).
/// `None` when `c == 0` or `a ≥ c` (no steady state) or `a` is not a number ≥ 0.
#[must_use]
pub fn erlang_c(c: usize, a: f64) -> Option<f64> {
    if c == 0 || a.is_nan() || a < 0.0 || a >= c as f64 {
        return None;
    }
    let mut b = 1.0; // Erlang B with 0 servers
    for k in 1..=c {
        b = a * b / (k as f64 + a * b);
    }
    let rho = a / c as f64;
    Some(b / (1.0 - rho * (1.0 - b)))
}

/// Allen–Cunneen: the mean wait in queue of an M/G/c FIFO queue,
/// `Wq ≈ C(c, a) / (cμ − λ) × (1 + Cs²) / 2` with `a = λ·E[S]`, `μ = 1/E[S]` and `cs2` the
/// squared coefficient of variation of the service time (0 for deterministic service, 1 for
/// exponential, where it is exact: M/M/c). Exact for M/G/1 too (it is Pollaczek–Khinchine).
/// `None` when `λ·E[S] ≥ c`.
#[must_use]
pub fn mgc_mean_wait_allen_cunneen(
    c: usize,
    lambda: f64,
    mean_service: f64,
    cs2: f64,
) -> Option<f64> {
    let a = lambda * mean_service;
    let p_wait = erlang_c(c, a)?;
    if a == 0.0 {
        return Some(0.0);
    }
    Some(p_wait * mean_service / (c as f64 - a) * (1.0 + cs2) / 2.0)
}

/// Cosmetatos' correction of Allen–Cunneen for deterministic service (M/D/c):
/// `Wq(M/D/c) ≈ Wq_AC × [1 + (1 − ρ)(c − 1)(√(4 + 5c) − 2) / (16 ρ c)]`, ρ = λ·S/c.
/// Equal to Allen–Cunneen (exact P–K) for c = 1; matters at low load with c ≥ 2.
/// `None` when `λ·S ≥ c`.
#[must_use]
pub fn cosmetatos_md_c_wait(c: usize, lambda: f64, service: f64) -> Option<f64> {
    let w = mgc_mean_wait_allen_cunneen(c, lambda, service, 0.0)?;
    let cf = c as f64;
    let rho = lambda * service / cf;
    if w == 0.0 || rho == 0.0 {
        return Some(w);
    }
    Some(w * (1.0 + (1.0 - rho) * (cf - 1.0) * ((4.0 + 5.0 * cf).sqrt() - 2.0) / (16.0 * rho * cf)))
}

/// Estimated fraction of callers who wait longer than `patience`: an exponential tail
/// `P(W > t) ≈ p_wait · exp(−t · p_wait / W)` (the conditional wait given a wait has mean
/// `W / p_wait`). Crude, but enough to say when abandonment matters.
pub(super) fn outwait_fraction(p_wait: f64, mean_wait: f64, patience: f64) -> f64 {
    let p = p_wait.clamp(0.0, 1.0);
    if mean_wait <= 0.0 || p == 0.0 {
        return 0.0;
    }
    p * (-patience * p / mean_wait).exp()
}

/// E\[Σ s²\] over the pieces a check of length `len` is cut into by boundaries every `period`,
/// at a phase uniform in `[0, period)` (midpoint rule over 256 phases): how a poll budget that
/// runs on across checks cuts them.
pub(super) fn cut_second_moment(len: f64, period: f64) -> f64 {
    const PHASES: u32 = 256;
    let mut sum = 0.0;
    for k in 0..PHASES {
        let phi = (f64::from(k) + 0.5) / f64::from(PHASES) * period;
        sum += if phi >= len {
            len * len
        } else {
            let after = len - phi;
            let m = (after / period).floor();
            let last = after - m * period;
            phi * phi + m * period * period + last * last
        };
    }
    sum / f64::from(PHASES)
}
