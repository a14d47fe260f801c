//! Text in the plots neither collides nor clips, on a realistic fixture: ten strategies on 1
//! and 2 cores over a simulated day, a call-center day, a day over real lines (tcp) and a
//! batch day, three timelines (one with more CPUs than readable lanes), and a capacity run with
//! a load search per strategy on 1, 2 and 4 cores.
//!
//! Every `<text>` of every SVG the plot exporters make is given a box estimated from its `x`,
//! `y`, `dy`, `font-size`, `text-anchor` and character count (0.6 em a character, a safe
//! over-estimate for sans-serif; 1 em tall around the baseline), turned by its
//! `transform="rotate(a, cx, cy)"` when it has one. No two boxes may overlap and every box must
//! lie inside the `<svg>`'s width and height. The same fixture checks that a strategy has one
//! colour and one place in the legend order in every picture, and that no picture README
//! embeds is taller than a screen. Set `SECRETARY_PLOTS_DIR` to write the pictures for a look.

use lab::fixtures::{sample_capacity, sample_results};
use lab::row::{Results, Status, TimelineRun};
use report::exporter::Output;
use workload::protocol::{ThreadUse, Timeline};
use workload::record::{Doing, Span};
use workload::spec::Lines;

/// The strategies in the order a compare lists them.
const STRATEGIES: [&str; 10] = [
    "sequential",
    "threads",
    "green",
    "async-std",
    "rayon",
    "event-loop",
    "hybrid",
    "smol",
    "tokio",
    "tokio-mt",
];

/// `h` with every value times `f`.
fn scaled(h: &hdrhistogram::Histogram<u64>, f: f64) -> hdrhistogram::Histogram<u64> {
    let mut out = hdrhistogram::Histogram::<u64>::new_from(h);
    for v in h.iter_recorded() {
        let x = ((v.value_iterated_to() as f64 * f).round() as u64).clamp(1, out.high());
        out.record_n(x, v.count_at_value())
            .unwrap_or_else(|e| panic!("{e}"));
    }
    out
}

/// A timeline on `cpus` CPUs with `threads` threads, lanes by CPU when there are many.
fn wide_timeline(cpus: u32, threads: u32) -> TimelineRun {
    let spans = (0..threads * 2)
        .map(|k| Span {
            thread: k % threads,
            cpu: k % cpus,
            doing: if k % 5 == 0 {
                Doing::Desk
            } else {
                Doing::Phone
            },
            id: k,
            start_ns: 500_000_000 + u64::from(k) * 300_000,
            end_ns: 500_000_000 + u64::from(k) * 300_000 + 200_000,
        })
        .collect();
    TimelineRun {
        strategy: "threads".into(),
        scenario: "call-center".into(),
        cores: cpus as usize,
        rings_us: (0..20).map(|i| 500_000 + i * 1_900).collect(),
        dues_us: vec![510_000, 530_000],
        timeline: Timeline {
            from_us: 0,
            len_us: 1_000_000,
            spans,
        },
        threads: (0..threads)
            .map(|i| ThreadUse {
                index: i,
                name: "call".into(),
                calls: 1,
                desk_chunks: 0,
            })
            .collect(),
    }
}

/// The realistic fixture (see the file's header).
fn realistic() -> Results {
    let base = sample_results();
    let mut r = base.clone();
    r.rows.clear();
    r.hists.clear();
    let scenarios = [
        ("office", workload::Scenario::Office, Lines::Sim),
        ("call-center", workload::Scenario::CallCenter, Lines::Sim),
        ("office-tcp", workload::Scenario::Office, Lines::Tcp),
        ("month-end", workload::Scenario::MonthEnd, Lines::Sim),
    ];
    for (label, preset, lines) in scenarios {
        for (k, name) in STRATEGIES.into_iter().enumerate() {
            for (row, h) in base.rows.iter().zip(&base.hists) {
                if row.scenario != "office" || row.strategy != "threads" {
                    continue;
                }
                let mut row = row.clone();
                let mut h = h.clone();
                row.strategy = name.into();
                row.scenario = label.into();
                row.preset = Some(preset);
                row.lines = lines;
                // p99s from 0.16 ms to the patience (20 ms), as a real office day gives.
                let f = [
                    20_000.0, 2_210.0, 598.0, 6_500.0, 19_900.0, 161.0, 1_760.0, 6_280.0, 2_030.0,
                    2_000.0,
                ][k] * if row.cores == 2 { 0.8 } else { 1.0 }
                    / row.figures.wait_all_us.p99
                    / 1.15;
                let saturated = matches!(name, "sequential" | "rayon");
                row.figures.pickup_us.p99 *= f;
                row.figures.wait_all_us.p99 *= f;
                for (key, v) in &mut row.ranges {
                    if key.starts_with("pickup_us") || key.starts_with("wait_all_us") {
                        v[0] *= f;
                        v[1] *= f;
                    }
                }
                row.figures.missed_share = if saturated {
                    [0.317, 0.0965][row.cores - 1]
                } else {
                    0.0
                };
                row.missed_calls = (row.figures.missed_share * 2_000.0) as u64;
                row.answered_calls = row.offered_calls - row.missed_calls;
                row.ranges.insert(
                    "missed_share".into(),
                    [
                        row.figures.missed_share * 0.7,
                        (row.figures.missed_share * 1.3).min(1.0),
                    ],
                );
                row.status = if saturated {
                    Status::Saturated
                } else {
                    Status::Ok
                };
                if label == "office-tcp" && name == "tokio-mt" && row.cores == 2 {
                    row.status = Status::Crashed;
                }
                if label == "office" && name == "green" && row.cores == 2 {
                    row.status = Status::Invalid;
                }
                // A call center: threads hold a stack per call in flight.
                row.figures.max_rss_kib = match name {
                    "threads" => 1_200_000.0,
                    "green" => 260_000.0,
                    "sequential" => 4_000.0,
                    _ => 30_000.0 + 2_000.0 * k as f64,
                } * if label == "call-center" { 1.0 } else { 0.1 };
                let rss = row.figures.max_rss_kib;
                row.ranges
                    .insert("max_rss_kib".into(), [rss * 0.97, rss * 1.02]);
                h.pickup = scaled(&h.pickup, f);
                h.wait_all = scaled(&h.wait_all, f);
                if preset == workload::Scenario::MonthEnd {
                    row.offered_calls = 0;
                    row.answered_calls = 0;
                    row.missed_calls = 0;
                    row.figures.missed_share = 0.0;
                    row.figures.makespan_us = Some(400_000.0 / row.cores as f64);
                    h.pickup.reset();
                    h.wait_all.reset();
                }
                h.cell = row.cell_name();
                r.rows.push(row);
                r.hists.push(h);
            }
        }
    }
    r.timelines.push(wide_timeline(64, 200));

    // Capacity: every strategy searched on 1, 2 and 4 cores, a theory where one fits.
    let mut cap = sample_capacity();
    let sc = &mut cap.scenarios[0];
    let threads: Vec<_> = sc
        .searches
        .iter()
        .filter(|s| s.strategy == "threads")
        .cloned()
        .collect();
    let sequential_theory = sc.searches[0].theory.clone();
    sc.searches.clear();
    for (k, name) in STRATEGIES.into_iter().enumerate() {
        for cores in [1usize, 2, 4] {
            let mut s = threads[(cores - 1).min(1)].clone();
            s.strategy = name.into();
            s.cores = cores;
            let f = 1.0 + 0.1 * k as f64 * if cores == 4 { 1.8 } else { 1.0 };
            for p in &mut s.probes {
                p.offered_cores *= f;
                p.calls_per_s *= f;
                p.wait_all_p99_us *= 1.0 + 0.05 * k as f64;
            }
            s.capacity_calls_per_s = s.capacity_calls_per_s.map(|c| c * f);
            if k > 1 {
                s.theory = sequential_theory.clone().map(|mut t| {
                    t.model = "M/G/1 non-preemptive priority (Cobham)".into();
                    t
                });
            } else if k == 0 {
                s.theory = sequential_theory.clone();
            }
            sc.searches.push(s);
        }
    }
    r.capacity = Some(cap);
    r.memory = Some(lab::fixtures::sample_memory());
    r.env["core_limit"] = serde_json::json!({
        "method": "test", "cpus": 4, "speedup": { "1": 1.0, "2": 1.9, "4": 3.5 }
    });
    r
}

/// Every plot of `r`.
fn pictures(r: &Results) -> Vec<Output> {
    let analysed = analysis::analyse(r.clone());
    report::plot::all()
        .iter()
        .flat_map(|e| {
            e.export(&analysed)
                .unwrap_or_else(|err| panic!("{}: {err:#}", e.name()))
        })
        .collect()
}

fn maybe_write(prefix: &str, outs: &[Output]) {
    if let Some(dir) = std::env::var_os("SECRETARY_PLOTS_DIR") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for o in outs {
            std::fs::write(dir.join(format!("{prefix}{}", o.file)), &o.bytes)
                .unwrap_or_else(|e| panic!("{}: {e}", o.file));
        }
    }
}

/// The value of attribute `name` in the tag text `tag`.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    let len = tag[at..].find('"')?;
    Some(&tag[at..at + len])
}

fn num(tag: &str, name: &str) -> f64 {
    attr(tag, name)
        .and_then(|v| v.trim_end_matches("px").parse().ok())
        .unwrap_or(0.0)
}

/// Characters of an XML text once its entity references are decoded.
fn chars(text: &str) -> usize {
    let mut n = 0;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '&'
            && let Some(end) = rest.find(';')
        {
            rest = &rest[end + 1..];
        } else {
            rest = &rest[c.len_utf8()..];
        }
        n += 1;
    }
    n
}

/// A text's estimated box: x0, y0, x1, y1 (pixels) and its text.
#[derive(Clone, Debug)]
struct TextBox {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    text: String,
}

impl TextBox {
    fn overlaps(&self, o: &TextBox) -> bool {
        const TOL: f64 = 0.5;
        self.x0 < o.x1 - TOL && o.x0 < self.x1 - TOL && self.y0 < o.y1 - TOL && o.y0 < self.y1 - TOL
    }
}

/// A length in `em`/`ex` (or pixels) at font size `fs`.
fn length(v: &str, fs: f64) -> f64 {
    let v = v.trim();
    if let Some(em) = v.strip_suffix("em") {
        em.parse::<f64>().unwrap_or(0.0) * fs
    } else if let Some(ex) = v.strip_suffix("ex") {
        ex.parse::<f64>().unwrap_or(0.0) * fs * 0.5
    } else {
        v.trim_end_matches("px").parse().unwrap_or(0.0)
    }
}

/// The canvas (width, height) and the box of every non-empty `<text>` of `svg`.
fn text_boxes(svg: &str) -> ((f64, f64), Vec<TextBox>) {
    let open = &svg[svg.find("<svg").expect("an <svg>")..];
    let head = &open[..open.find('>').expect("a closed <svg>")];
    let size = (num(head, "width"), num(head, "height"));
    let mut boxes = Vec::new();
    let mut rest = svg;
    while let Some(at) = rest.find("<text") {
        rest = &rest[at..];
        let end = rest.find('>').expect("a closed <text>");
        let tag = &rest[..end];
        let close = rest.find("</text>").expect("a </text>");
        let text = rest[end + 1..close].trim();
        rest = &rest[close..];
        let n = chars(text);
        if n == 0 {
            continue;
        }
        let fs = num(tag, "font-size");
        let (x, y) = (num(tag, "x"), num(tag, "y"));
        let w = 0.6 * fs * n as f64;
        let x0 = match attr(tag, "text-anchor") {
            Some("middle") => x - w / 2.0,
            Some("end") => x - w,
            _ => x,
        };
        let baseline = y + attr(tag, "dy").map_or(0.0, |d| length(d, fs));
        let (y0, y1) = (baseline - 0.75 * fs, baseline + 0.2 * fs);
        let mut b = TextBox {
            x0,
            y0,
            x1: x0 + w,
            y1,
            text: text.to_owned(),
        };
        if let Some(t) = attr(tag, "transform") {
            let args: Vec<f64> = t
                .trim_start_matches("rotate(")
                .trim_end_matches(')')
                .split([',', ' '])
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().unwrap_or(0.0))
                .collect();
            assert!(t.starts_with("rotate("), "unexpected transform {t}");
            let (a, cx, cy) = (
                args[0].to_radians(),
                args.get(1).copied().unwrap_or(0.0),
                args.get(2).copied().unwrap_or(0.0),
            );
            let turn = |px: f64, py: f64| {
                (
                    cx + (px - cx) * a.cos() - (py - cy) * a.sin(),
                    cy + (px - cx) * a.sin() + (py - cy) * a.cos(),
                )
            };
            let corners = [
                turn(b.x0, b.y0),
                turn(b.x1, b.y0),
                turn(b.x0, b.y1),
                turn(b.x1, b.y1),
            ];
            b.x0 = corners.iter().map(|c| c.0).fold(f64::INFINITY, f64::min);
            b.x1 = corners
                .iter()
                .map(|c| c.0)
                .fold(f64::NEG_INFINITY, f64::max);
            b.y0 = corners.iter().map(|c| c.1).fold(f64::INFINITY, f64::min);
            b.y1 = corners
                .iter()
                .map(|c| c.1)
                .fold(f64::NEG_INFINITY, f64::max);
        }
        boxes.push(b);
    }
    (size, boxes)
}

/// Every collision and clipping of text in `o`, one line each.
fn text_problems(o: &Output) -> Vec<String> {
    let svg = std::str::from_utf8(&o.bytes).unwrap_or_else(|e| panic!("{}: {e}", o.file));
    let ((w, h), boxes) = text_boxes(svg);
    let mut out = Vec::new();
    for b in &boxes {
        if b.x0 < -0.5 || b.y0 < -0.5 || b.x1 > w + 0.5 || b.y1 > h + 0.5 {
            out.push(format!(
                "{}: {:?} is clipped ([{:.0}, {:.0}]×[{:.0}, {:.0}] on a {w}×{h} canvas)",
                o.file, b.text, b.x0, b.x1, b.y0, b.y1
            ));
        }
    }
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            if a.overlaps(b) {
                out.push(format!(
                    "{}: {:?} overlaps {:?} (at {:.0},{:.0} and {:.0},{:.0})",
                    o.file, a.text, b.text, a.x0, a.y0, b.x0, b.y0
                ));
            }
        }
    }
    out
}

#[test]
fn the_estimate_sees_overlap_and_clipping() {
    let svg = r#"<svg width="200" height="100" viewBox="0 0 200 100">
<text x="10" y="20" dy="0.76em" text-anchor="start" font-size="10">abcdef</text>
<text x="40" y="22" dy="0.76em" text-anchor="start" font-size="10">ghi</text>
<text x="198" y="50" dy="0.5ex" text-anchor="middle" font-size="10">clipped</text>
<text x="100" y="90" dy="0.76em" text-anchor="end" font-size="10">far</text>
<text x="10" y="60" dy="0.76em" text-anchor="middle" font-size="10" transform="rotate(270, 10, 60)">turned</text>
</svg>"#;
    let o = Output::new(
        "t.svg",
        svg.to_owned(),
        report::exporter::Kind::Plot {
            picture: report::exporter::Picture::P99,
            scenario: None,
        },
    );
    let problems = text_problems(&o);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("\"abcdef\" overlaps \"ghi\"")),
        "{problems:#?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("\"clipped\" is clipped")),
        "{problems:#?}"
    );
    // 'far' ends at y = 90 + 0.96 em < 100; 'turned' stands upright at x ≈ 5–15, y ≈ 42–78.
    assert_eq!(problems.len(), 2, "{problems:#?}");
}

#[test]
fn no_text_overlaps_or_is_clipped_in_any_picture() {
    let mut problems = Vec::new();
    for (prefix, r) in [
        ("realistic-", realistic()),
        ("sample-", {
            let mut r = sample_results();
            r.capacity = Some(sample_capacity());
            r
        }),
    ] {
        let out = pictures(&r);
        maybe_write(prefix, &out);
        for o in &out {
            problems.extend(text_problems(o));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The texts of `svg`'s `<text>` elements, in document order.
fn texts(svg: &str) -> Vec<String> {
    text_boxes(svg).1.into_iter().map(|b| b.text).collect()
}

#[test]
fn no_picture_readme_embeds_is_taller_than_a_screen() {
    let out = pictures(&realistic());
    for o in &out {
        let svg = std::str::from_utf8(&o.bytes).unwrap_or_else(|e| panic!("{e}"));
        let ((_, h), _) = text_boxes(svg);
        // timeline.svg stacks every run's timeline: a file to open, not a picture to embed.
        if o.file != "timeline.svg" {
            assert!(h <= 1000.0, "{} is {h} px tall", o.file);
        }
    }
    // The 64-CPU run has 64 lanes and still fits.
    assert!(
        out.iter()
            .any(|o| o.file == "timeline-call-center-threads-64c.svg")
    );
}

#[test]
fn a_strategy_has_one_colour_and_one_place_in_every_legend() {
    let out = pictures(&realistic());
    // The p99 picture writes each strategy's name in its colour.
    let p99 = out
        .iter()
        .find(|o| o.file == "p99-office.svg")
        .expect("p99-office.svg");
    let p99 = std::str::from_utf8(&p99.bytes).unwrap_or_else(|e| panic!("{e}"));
    let colour_of = |name: &str| -> String {
        let at = p99
            .find(&format!(">\n{name}\n</text>"))
            .unwrap_or_else(|| panic!("no label {name}"));
        let tag = &p99[p99[..at].rfind("<text").expect("a <text")..at];
        attr(tag, "fill").expect("a fill").to_owned()
    };
    for o in &out {
        let svg = std::str::from_utf8(&o.bytes).unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<&str> = texts(svg)
            .iter()
            .filter_map(|t| {
                STRATEGIES
                    .iter()
                    .copied()
                    .find(|n| t == n || t.strip_prefix(n).is_some_and(|rest| rest.starts_with(':')))
            })
            .collect();
        for n in &names {
            let c = colour_of(n);
            assert!(
                svg.contains(&format!("stroke=\"{c}\"")) || svg.contains(&format!("fill=\"{c}\"")),
                "{}: {n} is not drawn in its colour {c}",
                o.file
            );
        }
        // Legend order: first mentions follow the results' order.
        let mut first: Vec<&str> = Vec::new();
        for n in names {
            if !first.contains(&n) {
                first.push(n);
            }
        }
        let ranks: Vec<usize> = first
            .iter()
            .map(|n| STRATEGIES.iter().position(|s| s == n).unwrap_or(99))
            .collect();
        assert!(
            ranks.windows(2).all(|w| w[0] < w[1]),
            "{}: strategies in the order {first:?}",
            o.file
        );
    }
}
