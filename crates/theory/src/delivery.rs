//! The delivery delay: which part of a measured mean pick-up the predictions are compared with.
//!
//! **The delivery delay** ([`delivery_delay_us`]) is how long a ring waits when it finds the
//! secretary free: its timer's lateness and the thread's wake-up, no queueing. The harness
//! measures the strategy's timers on an idle day; but a runtime that sleeps between rare events
//! can be slower to wake than on a busy day (async-io hands its reactor to a thread of its own
//! when idle; a CPU sleeps deeper), and taking the idle figure out of the day's mean would then
//! take out queueing too. So the smaller of the idle day's mean lateness and the day's own
//! median pick-up is taken: a ring's wait is its delivery delay plus a queueing wait ≥ 0, so
//! the median pick-up is never below the median delivery delay.

/// The delivery delay taken out of a row's mean pick-up, µs: the smaller of the idle day's
/// mean timer lateness and the day's median pick-up (see the module docs); 0 when the idle day
/// was not measured.
#[must_use]
pub fn delivery_delay_us(idle_timer_lateness_us: f64, pickup_p50_us: f64) -> f64 {
    if idle_timer_lateness_us.is_nan() || idle_timer_lateness_us <= 0.0 {
        return 0.0;
    }
    if pickup_p50_us.is_finite() && pickup_p50_us >= 0.0 {
        idle_timer_lateness_us.min(pickup_p50_us)
    } else {
        idle_timer_lateness_us
    }
}
