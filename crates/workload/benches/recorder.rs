//! Cost of recording one event: the recorder's path (`Clock::now_ns` + a logbook record, as
//! strategies pay it) beside the bare minimum (`Instant::now()` + `Histogram::record()`). The
//! recorder must stay within 1.2× of the bare cost; the figures go in ARCHITECTURE.md.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use hdrhistogram::Histogram;
use std::time::Instant;
use workload::{Office, Scenario, Spec};

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("record one event");
    let start = Instant::now();
    let mut bare =
        Histogram::<u64>::new_with_bounds(1, workload::record::HIST_MAX_US, 3).expect("bounds");
    g.bench_function("bare Instant::now + Histogram::record", |b| {
        b.iter(|| {
            let t = Instant::now();
            let _ = bare.record(black_box(t.duration_since(start).as_nanos() as u64 / 1_000));
        });
    });
    let office = Office::new(
        Spec {
            duration_us: 1_000,
            ..Scenario::Office.spec()
        },
        None,
    )
    .expect("valid spec");
    let clock = office.open();
    let mut log = office.logbook();
    g.bench_function("recorder Clock::now_ns + Logbook::woke", |b| {
        b.iter(|| log.woke(black_box(0), &clock));
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
