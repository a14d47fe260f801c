//! Tests of the memory plan, the slope on fixture numbers, and the limit a strategy reaches.

use super::*;
use crate::discover::Strategy;

fn found() -> Vec<Strategy> {
    ["tokio", "threads"]
        .into_iter()
        .map(|name| Strategy {
            name: name.into(),
            bin: format!("/nowhere/strategy-{name}").into(),
            arrangement: None,
        })
        .collect()
}

fn day(level: u64, rss_mib: f64, status: Status) -> MemoryDay {
    MemoryDay {
        in_flight: level,
        calls_per_s: level as f64 / 8.0,
        offered_calls: level,
        peak_scheduled: level,
        peak_measured: Some(level),
        peak_rss_kib: Some((rss_mib * 1024.0) as u64),
        // 16 KiB of kernel memory a call (a kernel stack), on 1 MiB already there.
        kernel_kib: Some(1_024 + 16 * level),
        status,
        held: held(status),
        reason: (status != Status::Ok).then(|| format!("{} because", status.name())),
        missed_share: 0.0,
        start_failures: 0,
        pickup_p99_us: 100.0,
        cpu_per_wall: 0.1,
        wall_s: 16.0,
        row: None,
    }
}

#[test]
fn the_slope_is_the_least_squares_line_through_the_levels_held() {
    // 500 bytes a call on a 20 MiB base, exactly: the slope and the base come back.
    let base = 20.0 * 1_048_576.0;
    let pts: Vec<(f64, f64)> = [1e3, 1e4, 1e5, 1e6]
        .iter()
        .map(|&x| (x, base + 500.0 * x))
        .collect();
    let (slope, intercept) = fit(&pts).unwrap();
    assert!((slope - 500.0).abs() < 1e-6, "{slope}");
    assert!((intercept - base).abs() < 1.0, "{intercept}");
    // Noisy fixture numbers (KiB of VmHWM at 1k, 10k, 100k, 1M): least squares, not the ends.
    let kib = [21_504.0, 40_000.0, 71_680.0, 556_000.0];
    let pts: Vec<(f64, f64)> = [1e3, 1e4, 1e5, 1e6]
        .iter()
        .zip(kib)
        .map(|(&x, k)| (x, k * 1024.0))
        .collect();
    let (slope, _) = fit(&pts).unwrap();
    let ends = (kib[3] - kib[0]) * 1024.0 / (1e6 - 1e3);
    assert!((slope - 543.249).abs() < 0.01, "{slope}");
    assert!(
        (ends - 547.872).abs() < 0.01,
        "{ends}: the two ends alone say otherwise"
    );
    // Too few points, or one call count: no line.
    assert_eq!(fit(&pts[..1]), None);
    assert_eq!(fit(&[(5.0, 1.0), (5.0, 2.0)]), None);
}

#[test]
fn kernel_memory_per_call_is_the_same_fit_over_the_kernels_share() {
    let s = StrategyMemory::from_days(
        "threads",
        None,
        vec![day(1_000, 30.0, Status::Ok), day(10_000, 60.0, Status::Ok)],
    );
    let k = s.kernel_bytes_per_call.expect("two days held");
    assert!((k - 16.0 * 1024.0).abs() < 1e-6, "{k}");
}

#[test]
fn a_strategy_stops_at_its_first_level_not_held() {
    let s = StrategyMemory::from_days(
        "threads",
        None,
        vec![
            day(1_000, 20.0, Status::Ok),
            day(10_000, 120.0, Status::Invalid),
            day(100_000, 160.0, Status::Exhausted),
        ],
    );
    assert_eq!(s.held_up_to, Some(10_000));
    assert_eq!(
        s.fitted_levels, 2,
        "ok and invalid are held; exhausted is not fitted"
    );
    let per_call = s.bytes_per_call.unwrap();
    assert!(
        (per_call - 100.0 * 1_048_576.0 / 9_000.0).abs() < 1.0,
        "{per_call}"
    );
    let limit = s.limit.unwrap();
    assert_eq!(
        (limit.in_flight, limit.status),
        (100_000, Status::Exhausted)
    );
    assert!(limit.reason.contains("exhausted because"));
    // Held everywhere: no limit; one level held: no slope.
    let all = StrategyMemory::from_days("tokio", None, vec![day(1_000, 20.0, Status::Ok)]);
    assert_eq!(
        (all.limit, all.bytes_per_call, all.fitted_levels),
        (None, None, 0)
    );
    // The fit uses the measured calls in flight where there are some.
    let mut a = day(1_000, 10.0, Status::Ok);
    let mut b = day(2_000, 12.0, Status::Ok);
    a.peak_measured = Some(500);
    b.peak_measured = None; // then the schedule's: 2,000
    let s = StrategyMemory::from_days("x", None, vec![a, b]);
    let want = 2.0 * 1_048_576.0 / 1_500.0;
    assert!((s.bytes_per_call.unwrap() - want).abs() < 1e-6);
}

#[test]
fn the_target_is_a_million_held_within_512_mib() {
    let m = Memory {
        scenario: "switchboard".into(),
        call_s: 8.0,
        cores: 1,
        levels: LEVELS.to_vec(),
        ns_per_unit: 1_000.0,
        mem_limit_mib: 8_192,
        fit: FIT.into(),
        strategies: vec![
            StrategyMemory::from_days("small", None, vec![day(1_000_000, 180.0, Status::Ok)]),
            StrategyMemory::from_days("big", None, vec![day(1_000_000, 700.0, Status::Ok)]),
            StrategyMemory::from_days("gone", None, vec![day(1_000_000, 9.0, Status::Exhausted)]),
            StrategyMemory::from_days("short", None, vec![day(1_000, 9.0, Status::Ok)]),
        ],
    };
    assert_eq!(
        m.target(),
        vec![("small".into(), 180.0, true), ("big".into(), 700.0, false)]
    );
}

#[test]
fn levels_parse_sorted_with_k_and_m_and_bad_ones_name_the_form() {
    assert_eq!(
        parse_levels("1M, 1000,10k,100_000,1k").unwrap(),
        vec![1_000, 10_000, 100_000, 1_000_000]
    );
    for bad in ["", "0", "-5", "ten", "1.5k", "1,,2", "99999999999999999999"] {
        let e = parse_levels(bad).unwrap_err().0;
        assert!(
            e.contains("--in-flight") && e.contains("1000,10000"),
            "{bad}: {e}"
        );
    }
}

#[test]
fn the_plan_scales_the_call_rate_to_each_level() {
    let req = MemoryRequest {
        ns_per_unit: Some(500.0),
        ..Default::default()
    };
    let p = MemoryPlan::new(&req, &found(), 2).unwrap();
    assert_eq!(p.levels, LEVELS.to_vec());
    assert_eq!(p.call_us, 8_000_000);
    assert_eq!(p.strategies.len(), 2);
    for &level in &p.levels {
        let s = p.spec(level);
        assert_eq!(s.duration_us, p.call_us);
        assert_eq!(s.listen_us, p.call_us);
        assert!((s.calls_per_s * 8.0 - level as f64).abs() < 1e-6);
        assert_eq!(s.pickup_work, 2, "1 µs at 500 ns a unit");
    }
    let quick = MemoryRequest {
        quick: true,
        strategies: vec!["tokio".into()],
        ..Default::default()
    };
    let p = MemoryPlan::new(&quick, &found(), 1).unwrap();
    assert_eq!(
        (p.levels.clone(), p.call_us),
        (QUICK_LEVELS.to_vec(), 1_000_000)
    );
    assert_eq!(p.spec(100_000).calls_per_s, 100_000.0);
}

#[test]
fn bad_requests_are_usage_errors_naming_the_choices() {
    let f = found();
    let bad = |req: MemoryRequest| MemoryPlan::new(&req, &f, 2).unwrap_err().0;
    let e = bad(MemoryRequest {
        strategies: vec!["nope".into()],
        ..Default::default()
    });
    assert!(
        e.contains("unknown strategy 'nope'") && e.contains("tokio, threads"),
        "{e}"
    );
    let e = bad(MemoryRequest {
        in_flight: Some("abc".into()),
        ..Default::default()
    });
    assert!(e.contains("--in-flight 'abc'"), "{e}");
    // 100M calls in 8 s is 12.5M calls/s: past what a spec allows, and it says why.
    let e = bad(MemoryRequest {
        in_flight: Some("100M".into()),
        ..Default::default()
    });
    assert!(
        e.contains("--in-flight 100000000") && e.contains("calls_per_s") && e.contains("--call-s"),
        "{e}"
    );
    for s in [0.0, -1.0, f64::NAN, 601.0] {
        let e = bad(MemoryRequest {
            call_s: Some(s),
            ..Default::default()
        });
        assert!(e.contains("--call-s") && e.contains("(0, 600]"), "{e}");
    }
    let e = bad(MemoryRequest {
        mem_limit_mib: Some(1),
        ..Default::default()
    });
    assert!(e.contains("--mem-limit-mib 1"), "{e}");
    assert!(MemoryPlan::new(&MemoryRequest::default(), &[], 2).is_err());
}
