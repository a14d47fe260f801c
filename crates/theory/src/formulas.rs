//! The closed forms behind the predictions, in any one time unit (the models use µs) and
//! knowing nothing of the workload: Pollaczek–Khinchine for M/G/1 FIFO, Cobham for the high
//! class of a non-preemptive priority M/G/1, Erlang C, Allen–Cunneen for M/G/c and Cosmetatos'
//! correction of it for M/D/c; plus the second moment of a check cut into pieces by a
//! scheduler's looks at its timers (every `budget` polls) and the exponential-tail estimate of how many callers outwait their patience. Every arrival stream
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

/// E\[Σ p²\] over the pieces `p` that a scheduler's looks at its timers cut one check into: a
/// check of `polls` polls — all of length `poll` but the last, of length `last` — run by a
/// scheduler that looks after every `budget` polls and when the check ends (its queue empties).
/// The look counter runs on across checks, so it stands at a phase uniform in `0..budget` when
/// a check starts; the first piece is then 1 to `budget` polls long, the others `budget`, the
/// last the rest. `budget` 1 (a look at every yield): the polls themselves. Exact for that
/// model (a sum over the `budget` phases); what Cobham's W0 needs of the desk class.
pub(super) fn looked_pieces_second_moment(polls: u64, poll: f64, last: f64, budget: u64) -> f64 {
    if polls == 0 {
        return 0.0;
    }
    let b = budget.max(1);
    let whole = (polls - 1) as f64 * poll + last;
    let mut sum = 0.0;
    for first in 1..=b {
        if first >= polls {
            sum += whole * whole;
            continue;
        }
        let head = first as f64 * poll;
        let rest = polls - first;
        let full = (rest - 1) / b; // pieces of `b` polls before the one with the last poll
        let tail = (rest - full * b - 1) as f64 * poll + last;
        sum += head * head + full as f64 * (b as f64 * poll).powi(2) + tail * tail;
    }
    sum / b as f64
}
