//! tokio's timer has whole-millisecond ticks and rounds every deadline up: on a quiet day
//! (nothing else to do between rings) the secretary wakes for a ring 0–2 ms after it is due,
//! about 1 ms at the median, and a caller's 1 ms of talk is overslept to about 2 ms.
//!
//! Only lower bounds are asserted: a loaded machine can make a timer later, never earlier,
//! so they hold however busy the machine is. (A precise timer — async-io's, behind smol —
//! wakes a few tens of µs late on a quiet machine and would fail them.)

use workload::entry::run_in_process;
use workload::spec::Arrivals;
use workload::{Office, Spec};

#[test]
fn timers_wake_on_the_next_millisecond_tick_or_later() {
    let spec = Spec {
        seed: 5,
        duration_us: 1_000_000,
        calls_per_s: 200.0,
        exchanges: 1,
        listen_us: 1_000,
        pickup_work: 1,
        reply_work: 1,
        patience_us: 1_000_000,
        appointments_per_s: 0.0,
        appointment_arrivals: Arrivals::Periodic,
        desk_work: 1,
        chunk: 1,
        lines: workload::spec::Lines::Sim,
    };
    let office = Office::new(spec, None).unwrap_or_else(|e| panic!("{e}"));
    let (report, _) = run_in_process("tokio", strategy_tokio::run, &office, 1);
    let h = |name| report.histogram(name).unwrap_or_else(|e| panic!("{e}"));
    let (timer, reply) = (h("timer_lateness"), h("reply"));
    eprintln!(
        "ring timers woke late by p10 {} / p50 {} / p90 {} / max {} µs (mean {:.0} µs); reply \
         after 1 ms of talk: p10 {} / p50 {} / p90 {} µs",
        timer.value_at_quantile(0.1),
        timer.value_at_quantile(0.5),
        timer.value_at_quantile(0.9),
        timer.max(),
        timer.mean(),
        reply.value_at_quantile(0.1),
        reply.value_at_quantile(0.5),
        reply.value_at_quantile(0.9)
    );
    assert!(timer.len() > 100, "too few timer wake-ups: {}", timer.len());
    // Rounded up to the next tick and parked for whole ticks: the mean is about 1 ms. A tenth
    // of a millisecond below a third of that is beyond any precise timer's reach.
    assert!(
        timer.mean() > 300.0,
        "timers woke only {:.0} µs late on average: not millisecond ticks?",
        timer.mean()
    );
    assert!(
        reply.mean() > 300.0,
        "a reply came {:.0} µs after the caller's talk on average: talk not overslept?",
        reply.mean()
    );
}
