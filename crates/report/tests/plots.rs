//! The SVG plots: file names, well-formed SVG with something drawn per series, and no panic
//! (nor files) on empty input. Set `SECRETARY_PLOTS_DIR=/tmp/plots` to also write the fixture's
//! plots (plus a few richer synthetic cases) there for a look.

use lab::fixtures::sample_results;
use lab::row::{Results, Status, TimelineRun};
use report::exporter::{Exporter, Output};
use workload::protocol::{ThreadUse, Timeline};
use workload::record::{Doing, Span};

fn exporter(name: &str) -> Box<dyn Exporter> {
    report::plot::all()
        .into_iter()
        .find(|e| e.name() == name)
        .unwrap_or_else(|| panic!("no plot exporter named {name}"))
}

fn export(name: &str, r: &Results) -> Vec<Output> {
    exporter(name)
        .export(&analysis::analyse(r.clone()))
        .unwrap_or_else(|e| panic!("{name} failed: {e:#}"))
}

fn files(out: &[Output]) -> Vec<&str> {
    out.iter().map(|o| o.file.as_str()).collect()
}

fn svg_text(o: &Output) -> &str {
    std::str::from_utf8(&o.bytes).unwrap_or_else(|e| panic!("{} is not UTF-8: {e}", o.file))
}

/// A minimal XML well-formedness check: tags balance, attribute values are quoted, entity
/// references are known, and there is exactly one root element.
fn check_xml(name: &str, s: &str) {
    let b = s.as_bytes();
    let mut stack: Vec<&str> = Vec::new();
    let mut roots = 0;
    let mut i = 0;
    let fail = |i: usize, why: &str| -> ! {
        let from = i.saturating_sub(60);
        let to = (i + 60).min(s.len());
        panic!(
            "{name}: not well-formed at byte {i}: {why}: …{}…",
            s.get(from..to).unwrap_or("?")
        )
    };
    let check_entities = |i0: usize, text: &str| {
        let mut rest = text;
        while let Some(p) = rest.find('&') {
            let after = &rest[p + 1..];
            let end = after
                .find(';')
                .unwrap_or_else(|| fail(i0, "unterminated entity"));
            let ent = &after[..end];
            let ok = matches!(ent, "amp" | "lt" | "gt" | "quot" | "apos")
                || (ent.starts_with("#x") && u32::from_str_radix(&ent[2..], 16).is_ok())
                || (ent.starts_with('#') && ent[1..].parse::<u32>().is_ok());
            if !ok {
                fail(i0, &format!("unknown entity &{ent};"));
            }
            rest = &after[end + 1..];
        }
    };
    while i < b.len() {
        if b[i] != b'<' {
            let next = s[i..].find('<').map_or(s.len(), |p| i + p);
            let text = &s[i..next];
            if text.contains('>') {
                fail(i, "stray '>' in text");
            }
            if stack.is_empty() && !text.trim().is_empty() {
                fail(i, "text outside the root element");
            }
            check_entities(i, text);
            i = next;
            continue;
        }
        let rest = &s[i..];
        if rest.starts_with("<?") {
            i += rest
                .find("?>")
                .unwrap_or_else(|| fail(i, "unterminated <?"))
                + 2;
            continue;
        }
        if rest.starts_with("<!--") {
            i += rest
                .find("-->")
                .unwrap_or_else(|| fail(i, "unterminated comment"))
                + 3;
            continue;
        }
        if rest.starts_with("<!") {
            i += rest.find('>').unwrap_or_else(|| fail(i, "unterminated <!")) + 1;
            continue;
        }
        // A tag: find its end, skipping quoted attribute values.
        let mut j = i + 1;
        let mut quote: Option<u8> = None;
        while j < b.len() {
            match (quote, b[j]) {
                (None, b'"' | b'\'') => quote = Some(b[j]),
                (Some(q), c) if c == q => quote = None,
                (Some(_), b'<') => fail(j, "'<' inside an attribute value"),
                (None, b'>') => break,
                _ => {}
            }
            j += 1;
        }
        if j >= b.len() {
            fail(i, "unterminated tag");
        }
        let inner = &s[i + 1..j];
        if let Some(close) = inner.strip_prefix('/') {
            let tag = close.trim();
            match stack.pop() {
                Some(open) if open == tag => {}
                other => fail(i, &format!("</{tag}> closes {other:?}")),
            }
        } else {
            let self_closing = inner.ends_with('/');
            let body = inner.trim_end_matches('/');
            let tag = body.split_whitespace().next().unwrap_or("");
            if tag.is_empty()
                || !tag
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_:".contains(c))
            {
                fail(i, "bad tag name");
            }
            // Attributes: name="value" pairs.
            let mut attrs = body[tag.len()..].trim();
            while !attrs.is_empty() {
                let eq = attrs
                    .find('=')
                    .unwrap_or_else(|| fail(i, "attribute without ="));
                let after = attrs[eq + 1..].trim_start();
                let q = after.chars().next().unwrap_or(' ');
                if q != '"' && q != '\'' {
                    fail(i, "unquoted attribute value");
                }
                let end = after[1..]
                    .find(q)
                    .unwrap_or_else(|| fail(i, "unterminated value"));
                check_entities(i, &after[1..1 + end]);
                attrs = after[end + 2..].trim_start();
            }
            if stack.is_empty() {
                roots += 1;
            }
            if !self_closing {
                stack.push(tag);
            }
        }
        i = j + 1;
    }
    assert!(stack.is_empty(), "{name}: unclosed tags {stack:?}");
    assert_eq!(roots, 1, "{name}: {roots} root elements");
}

/// Well-formed, non-empty SVG.
fn check_svg(o: &Output) -> &str {
    let s = svg_text(o);
    assert!(o.file.ends_with(".svg"), "{}", o.file);
    assert!(!o.file.contains('/'), "{}", o.file);
    assert!(s.contains("<svg"), "{}: no <svg", o.file);
    assert!(s.len() > 500, "{}: suspiciously small", o.file);
    check_xml(&o.file, s);
    s
}

fn count(s: &str, what: &str) -> usize {
    s.matches(what).count()
}

fn lines(s: &str) -> usize {
    count(s, "<polyline") + count(s, "<path") + count(s, "<line")
}

fn maybe_write(outs: &[Output]) {
    if let Some(dir) = std::env::var_os("SECRETARY_PLOTS_DIR") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for o in outs {
            std::fs::write(dir.join(&o.file), &o.bytes)
                .unwrap_or_else(|e| panic!("{}: {e}", o.file));
        }
    }
}

fn empty() -> Results {
    Results {
        env: serde_json::json!({}),
        rows: Vec::new(),
        hists: Vec::new(),
        timelines: Vec::new(),
        interrupted: false,
        ..Results::default()
    }
}

#[test]
fn every_plot_exporter_is_listed() {
    let names: Vec<&str> = report::plot::all().iter().map(|e| e.name()).collect();
    assert_eq!(
        names,
        [
            "spectrum plot",
            "p99 plot",
            "timeline plot",
            "load plot",
            "scaling plot",
            "memory plot",
            "memory levels plot"
        ]
    );
    let all: Vec<&str> = report::output::all_exporters()
        .iter()
        .map(|e| e.name())
        .collect();
    for n in names {
        assert!(all.contains(&n), "output::all_exporters() lacks {n}");
    }
}

#[test]
fn spectrum_draws_one_line_per_verified_cell() {
    let r = sample_results();
    let out = export("spectrum plot", &r);
    assert_eq!(
        files(&out),
        ["spectrum-office.svg", "spectrum-back-office.svg"]
    );
    for o in &out {
        let s = check_svg(o);
        let scenario = o
            .file
            .trim_start_matches("spectrum-")
            .trim_end_matches(".svg");
        let drawn = r
            .rows
            .iter()
            .filter(|row| row.scenario == scenario && !row.status.is_failure())
            .count();
        assert!(
            lines(s) >= drawn,
            "{}: {} lines for {drawn} series",
            o.file,
            lines(s)
        );
        for label in [
            "sequential",
            "threads",
            "on 1 core",
            "on 2 cores",
            "99.9%",
            "90%",
            "pick-up latency",
        ] {
            assert!(s.contains(label), "{}: no {label:?}", o.file);
        }
    }
    // The failed cell is named in the legend, not drawn.
    let back = svg_text(&out[1]);
    assert!(back.contains("crashed"), "the failed cell is not mentioned");
    maybe_write(&out);
}

#[test]
fn p99_draws_a_bar_per_verified_cell_and_marks_failures() {
    let r = sample_results();
    let out = export("p99 plot", &r);
    assert_eq!(files(&out), ["p99-office.svg", "p99-back-office.svg"]);
    for o in &out {
        let s = check_svg(o);
        let scenario = o.file.trim_start_matches("p99-").trim_end_matches(".svg");
        let verified = r
            .rows
            .iter()
            .filter(|row| row.scenario == scenario && !row.status.is_failure())
            .count();
        // Two panels, each bar a fill and an outline.
        assert!(
            count(s, "<rect") >= 4 * verified,
            "{}: too few bars",
            o.file
        );
        for label in [
            "sequential",
            "threads",
            "1c",
            "2c",
            "saturated",
            "missed calls",
        ] {
            assert!(s.contains(label), "{}: no {label:?}", o.file);
        }
    }
    let back = svg_text(&out[1]);
    assert!(
        back.contains('×') && back.contains("crashed"),
        "the failed cell is not marked"
    );
    maybe_write(&out);
}

/// A row as the sweep makes it: three runs combined, their missed shares spread.
fn combined_row(missed: [u64; 3]) -> (lab::row::Row, lab::row::CellHistograms) {
    use lab::figures::{Figures, Percentiles};
    use lab::stats::{RunRecord, combine};
    let runs: Vec<RunRecord> = missed
        .iter()
        .enumerate()
        .map(|(i, &m)| RunRecord {
            seed: i as u64,
            status: Status::Ok,
            reason: None,
            figures: Some(Figures {
                pickup_us: Percentiles {
                    p99: 1_000.0 * (i as f64 + 1.0),
                    ..Percentiles::default()
                },
                wait_all_us: Percentiles {
                    p99: 2_000.0 * (i as f64 + 1.0),
                    ..Percentiles::default()
                },
                missed_share: m as f64 / 100.0,
                wall_s: 1.0,
                ..Figures::default()
            }),
            counters: Some(workload::record::Counters {
                offered_calls: 100,
                answered_calls: 100 - m,
                missed_calls: m,
                ..Default::default()
            }),
            digest_ok: true,
            hists: None,
            timer_slack_ns: None,
        })
        .collect();
    combine(
        &lab::row::CellKey::new("threads", workload::Scenario::Office, 1),
        &runs,
    )
}

#[test]
fn p99_whiskers_come_from_the_rows_the_sweep_combines() {
    let mut r = sample_results();
    r.rows.retain(|row| row.scenario == "office");
    r.hists.truncate(0);
    let (row, h) = combined_row([1, 2, 3]);
    assert!(
        row.ranges.contains_key("missed_share"),
        "combine gives the range"
    );
    r.rows = vec![row.clone()];
    r.hists = vec![h.clone()];
    let with = count(svg_text(&export("p99 plot", &r)[0]), "<polyline");
    let mut bare = row;
    bare.ranges.remove("missed_share");
    r.rows = vec![bare];
    let without = count(svg_text(&export("p99 plot", &r)[0]), "<polyline");
    assert_eq!(with, without + 3, "the missed-calls bar has its whisker");
    // Someone missed calls: the latency panel ranks every caller, not the answered ones.
    assert!(svg_text(&export("p99 plot", &r)[0]).contains("p99 wait of every caller"));
}

#[test]
fn timeline_has_a_file_per_run_and_a_combined_one() {
    let r = sample_results();
    let out = export("timeline plot", &r);
    assert_eq!(
        files(&out),
        [
            "timeline-office-threads-1c.svg",
            "timeline-office-threads-2c.svg",
            "timeline.svg"
        ]
    );
    let spans = r.timelines[0].timeline.spans.len();
    for o in &out {
        let s = check_svg(o);
        assert!(
            count(s, "<rect") >= spans,
            "{}: fewer bars than spans",
            o.file
        );
        for label in ["call", "desk", "on the phone", "at the desk", "time (ms)"] {
            assert!(s.contains(label), "{}: no {label:?}", o.file);
        }
    }
    maybe_write(&out);
}

#[test]
fn empty_results_give_no_files_and_no_panic() {
    for e in report::plot::all() {
        let out = e
            .export(&analysis::analyse(empty()))
            .unwrap_or_else(|err| panic!("{}: {err:#}", e.name()));
        assert!(out.is_empty(), "{} made files from nothing", e.name());
    }
}

#[test]
fn sweep_rows_are_left_out() {
    let mut r = sample_results();
    for row in &mut r.rows {
        row.sweep = Some("chunk=1000".into());
    }
    assert!(export("spectrum plot", &r).is_empty());
    assert!(export("p99 plot", &r).is_empty());
}

#[test]
fn all_failed_or_empty_cells_still_give_valid_svg() {
    let mut r = sample_results();
    for (row, h) in r.rows.iter_mut().zip(&mut r.hists) {
        if row.scenario == "office" {
            row.status = Status::Timeout;
        } else {
            h.pickup.reset();
        }
    }
    r.timelines[0].timeline.spans.clear();
    r.timelines[0].rings_us.clear();
    r.timelines[0].dues_us.clear();
    // A capacity run whose every day failed, and a search that never ran a day.
    let mut cap = lab::fixtures::sample_capacity();
    for s in &mut cap.scenarios[0].searches {
        for p in &mut s.probes {
            p.keeps_up = false;
        }
        s.capacity_calls_per_s = None;
    }
    cap.scenarios[0].searches[0].probes.clear();
    r.capacity = Some(cap);
    // A memory run where no strategy held a level or reported its memory.
    let mut mem = lab::fixtures::sample_memory();
    for s in &mut mem.strategies {
        for d in &mut s.days {
            d.held = false;
            d.peak_rss_kib = None;
        }
        s.bytes_per_call = None;
        s.held_up_to = None;
    }
    r.memory = Some(mem);
    let mut all = Vec::new();
    for e in report::plot::all() {
        let out = e
            .export(&analysis::analyse(r.clone()))
            .unwrap_or_else(|err| panic!("{}: {err:#}", e.name()));
        // The speedup curve needs searches on 3+ core counts; this capacity has 1 and 2. The
        // memory picture is the call center's, which the fixture did not run.
        assert!(
            !out.is_empty() || e.name() == "scaling plot" || e.name() == "memory plot",
            "{}",
            e.name()
        );
        for o in &out {
            let s = check_svg(o);
            if o.file.starts_with("spectrum-") {
                assert!(s.contains("no data"), "{}", o.file);
            }
        }
        all.extend(out);
    }
    // Histograms that do not line up with the rows are found by name, or left out.
    r.hists.reverse();
    r.hists.pop();
    for e in report::plot::all() {
        for o in &e
            .export(&analysis::analyse(r.clone()))
            .unwrap_or_else(|err| panic!("{}: {err:#}", e.name()))
        {
            check_svg(o);
        }
    }
    if std::env::var_os("SECRETARY_PLOTS_DIR").is_some() {
        for o in &mut all {
            o.file = format!("degenerate-{}", o.file);
        }
        maybe_write(&all);
    }
}

/// A run of `threads` OS threads on `cores` CPUs, interleaving on one core and overlapping on
/// two, the way the real strategies' timelines look.
fn synthetic_timeline(strategy: &str, cores: usize, threads: u32) -> TimelineRun {
    let from_us = 2_000_000u64;
    let len_us = 50_000u64;
    let mut spans = Vec::new();
    let mut rings = Vec::new();
    let mut busy_until = vec![from_us * 1_000; cores];
    let mut t = from_us + 300;
    let mut k = 0u32;
    while t < from_us + len_us {
        rings.push(t);
        let cpu = (k as usize) % cores;
        let start = busy_until[cpu].max(t * 1_000 + 40_000);
        let end = start + 300_000;
        spans.push(Span {
            thread: if threads > 2 {
                2 + k % (threads - 2)
            } else {
                k % threads
            },
            cpu: cpu as u32,
            doing: Doing::Phone,
            id: k,
            start_ns: start,
            end_ns: end,
        });
        busy_until[cpu] = end;
        // Desk chunks fill the gaps on the desk thread.
        let desk_cpu = (cores - 1).min(1);
        let mut d = busy_until[desk_cpu];
        for _ in 0..3 {
            spans.push(Span {
                thread: 1,
                cpu: desk_cpu as u32,
                doing: Doing::Desk,
                id: 1_000 + k,
                start_ns: d + 20_000,
                end_ns: d + 520_000,
            });
            d += 540_000;
        }
        busy_until[desk_cpu] = d;
        t += 2_300 + u64::from(k % 5) * 700;
        k += 1;
    }
    let mut names = vec![
        ThreadUse {
            index: 0,
            name: "main".into(),
            calls: 0,
            desk_chunks: 0,
        },
        ThreadUse {
            index: 1,
            name: "desk".into(),
            calls: 0,
            desk_chunks: 40,
        },
    ];
    names.extend((2..threads).map(|i| ThreadUse {
        index: i,
        name: if strategy == "green" {
            format!("may-worker-{}", i - 2)
        } else {
            "call".into()
        },
        calls: 1,
        desk_chunks: 0,
    }));
    TimelineRun {
        strategy: strategy.into(),
        scenario: "office".into(),
        cores,
        rings_us: rings,
        dues_us: vec![from_us + 10_000, from_us + 35_000],
        timeline: Timeline {
            from_us,
            len_us,
            spans,
        },
        threads: names,
    }
}

#[test]
fn richer_timelines_render_lanes_by_thread_or_by_cpu() {
    let mut r = sample_results();
    r.timelines = vec![
        synthetic_timeline("green", 1, 3),
        synthetic_timeline("green", 2, 4),
        synthetic_timeline("threads", 1, 40),
        synthetic_timeline("threads", 2, 40),
    ];
    let out = export("timeline plot", &r);
    assert_eq!(
        files(&out),
        [
            "timeline-office-green-1c.svg",
            "timeline-office-green-2c.svg",
            "timeline-office-threads-1c.svg",
            "timeline-office-threads-2c.svg",
            "timeline.svg"
        ]
    );
    for o in &out {
        check_svg(o);
    }
    let combined = svg_text(&out[4]);
    assert!(combined.contains("may-worker-0"));
    assert!(combined.contains("CPU 1") && combined.contains("OS threads did work"));
    if std::env::var_os("SECRETARY_PLOTS_DIR").is_some() {
        let mut out = out;
        for o in &mut out {
            o.file = format!("rich-{}", o.file);
        }
        maybe_write(&out);
    }
}

#[test]
fn many_strategies_stay_readable() {
    let base = sample_results();
    let mut r = base.clone();
    r.rows.clear();
    r.hists.clear();
    let names = [
        "sequential",
        "threads",
        "green",
        "async-std",
        "rayon",
        "tokio",
        "smol",
        "pool",
    ];
    for (k, name) in names.into_iter().enumerate() {
        for (row, h) in base.rows.iter().zip(&base.hists) {
            if row.scenario != "office" || row.strategy != "threads" {
                continue;
            }
            let mut row = row.clone();
            let mut h = h.clone();
            row.strategy = name.into();
            row.figures.pickup_us.p99 *= 1.0 + k as f64;
            row.figures.missed_share = 0.01 * k as f64;
            if k == 3 && row.cores == 2 {
                row.status = Status::Invalid;
            }
            h.cell = row.cell_name();
            r.rows.push(row);
            r.hists.push(h);
        }
    }
    let mut out = export("spectrum plot", &r);
    out.extend(export("p99 plot", &r));
    assert_eq!(files(&out), ["spectrum-office.svg", "p99-office.svg"]);
    for o in &mut out {
        let s = check_svg(o);
        for n in names {
            assert!(s.contains(n), "{}: no {n}", o.file);
        }
        o.file = format!("many-{}", o.file);
    }
    maybe_write(&out);
}

#[test]
fn a_batch_day_gets_no_pick_up_pictures() {
    let mut r = sample_results();
    let mut batch: Vec<_> = r.rows.iter().take(2).cloned().collect();
    for row in &mut batch {
        row.scenario = "month-end".into();
        row.offered_calls = 0;
        row.answered_calls = 0;
        row.missed_calls = 0;
        row.figures.makespan_us = Some(500_000.0);
    }
    r.rows.extend(batch);
    for name in ["p99 plot", "spectrum plot"] {
        let out = export(name, &r);
        let names = files(&out);
        assert!(
            !names.iter().any(|f| f.contains("month-end")),
            "{name}: {names:?}"
        );
        assert!(
            names.iter().any(|f| f.contains("office")),
            "{name}: {names:?}"
        );
    }
}

#[test]
fn a_cell_that_missed_most_calls_and_a_twin_are_not_drawn_in_the_spectrum() {
    let mut r = sample_results();
    r.rows.retain(|row| row.scenario == "office");
    let before = lines(check_svg(&export("spectrum plot", &r)[0]));
    // A twin of the first cell: the plots leave it out.
    let mut twin = r.rows[0].clone();
    twin.twin = true;
    r.rows.push(twin);
    r.hists.push(r.hists[0].clone());
    assert_eq!(lines(check_svg(&export("spectrum plot", &r)[0])), before);
    // A cell whose callers mostly hung up: its few pick-ups would draw a curve of the lucky
    // ones, so it is named, not drawn.
    r.rows[0].figures.missed_share = 0.97;
    let out = export("spectrum plot", &r);
    let s = check_svg(&out[0]);
    assert_eq!(lines(s), before - 1, "{s}");
    assert!(s.contains("missed 97.0 %: not drawn"), "{s}");
}
