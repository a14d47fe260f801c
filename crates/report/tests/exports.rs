//! The exporters on the synthetic sweep of `lab::fixtures`: `.hgrm` files parse as
//! HdrHistogram percentile distributions, `summary.md`, `summary.csv` and `summary.json` agree
//! row by row, and the findings name the right strategy and survive odd or empty input.

use analysis::findings::findings;
use hdrhistogram::Histogram;
use lab::fixtures::sample_results;
use lab::row::{Results, Row, Status};
use report::export;
use report::exporter::Output;
use std::collections::BTreeMap;

/// The files of the named exporters (never the plots: they have their own tests).
fn export_named(results: &Results, names: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut seen = Vec::new();
    for ex in export::all()
        .into_iter()
        .filter(|e| names.contains(&e.name()))
    {
        seen.push(ex.name());
        for Output { file, bytes, .. } in ex
            .export(&analysis::analyse(results.clone()))
            .expect("exporter succeeds")
        {
            assert!(
                !file.contains('/') && !file.contains('\\'),
                "{file} has a directory"
            );
            assert!(
                files.insert(file.clone(), bytes).is_none(),
                "{file} written twice"
            );
        }
    }
    seen.sort_unstable();
    let mut want = names.to_vec();
    want.sort_unstable();
    assert_eq!(seen, want, "export::all() lists every exporter once");
    files
}

fn text(files: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(
        files
            .get(name)
            .unwrap_or_else(|| panic!("no {name}"))
            .clone(),
    )
    .expect("utf-8")
}

/// A parsed `.hgrm`: rows as (value, percentile, total count, 1/(1-p)) and the footer.
struct Hgrm {
    rows: Vec<(f64, f64, u64, Option<f64>)>,
    mean: f64,
    max: f64,
    total: u64,
    buckets: u64,
    sub_buckets: u64,
}

/// `#[A = x, B = y]` → (x, y).
fn footer_pair(line: &str, a: &str, b: &str) -> (String, String) {
    let inner = line
        .strip_prefix("#[")
        .and_then(|l| l.strip_suffix(']'))
        .unwrap_or_else(|| panic!("footer: {line:?}"));
    let (l, r) = inner.split_once(", ").expect("two fields");
    let (ka, va) = l.split_once('=').expect("a = x");
    let (kb, vb) = r.split_once('=').expect("b = y");
    assert_eq!(ka.trim(), a, "{line:?}");
    assert_eq!(kb.trim(), b, "{line:?}");
    (va.trim().to_owned(), vb.trim().to_owned())
}

fn parse_hgrm(t: &str) -> Hgrm {
    let lines: Vec<&str> = t.lines().collect();
    assert!(lines.len() >= 5, "too short:\n{t}");
    assert_eq!(
        lines[0],
        "       Value     Percentile TotalCount 1/(1-Percentile)"
    );
    assert_eq!(lines[1], "");
    let n = lines.len();
    let mut rows = Vec::new();
    for (i, l) in lines[2..n - 3].iter().enumerate() {
        let cols: Vec<&str> = l.split_whitespace().collect();
        let last = i == n - 6;
        assert_eq!(cols.len(), if last { 3 } else { 4 }, "row {i}: {l:?}");
        let value: f64 = cols[0].parse().expect("value");
        assert!(
            cols[0].split_once('.').is_some_and(|(_, d)| d.len() == 3),
            "3 decimals: {l:?}"
        );
        let p: f64 = cols[1].parse().expect("percentile");
        assert!(
            cols[1].split_once('.').is_some_and(|(_, d)| d.len() == 12),
            "12 decimals: {l:?}"
        );
        let count: u64 = cols[2].parse().expect("count");
        let inv = cols.get(3).map(|c| c.parse::<f64>().expect("1/(1-p)"));
        // Right-aligned columns of widths 12, 14 (2.12f), 10, 14.
        assert_eq!(l.get(..12).map(str::trim_start), Some(cols[0]), "{l:?}");
        assert_eq!(l.get(13..27), Some(cols[1]), "{l:?}");
        assert_eq!(l.get(28..38).map(str::trim_start), Some(cols[2]), "{l:?}");
        assert_eq!(l.len(), if last { 38 } else { 53 }, "{l:?}");
        rows.push((value, p, count, inv));
    }
    let (mean, _sd) = footer_pair(lines[n - 3], "Mean", "StdDeviation");
    let (max, total) = footer_pair(lines[n - 2], "Max", "Total count");
    let (buckets, sub) = footer_pair(lines[n - 1], "Buckets", "SubBuckets");
    Hgrm {
        rows,
        mean: mean.parse().expect("mean"),
        max: max.parse().expect("max"),
        total: total.parse().expect("total"),
        buckets: buckets.parse().expect("buckets"),
        sub_buckets: sub.parse().expect("sub buckets"),
    }
}

#[test]
fn hgrm_files_are_percentile_distributions() {
    let res = sample_results();
    let files = export_named(&res, &["hgrm"]);
    assert_eq!(files.len(), res.hists.len());
    for h in &res.hists {
        let name = format!("{}.hgrm", h.cell);
        let g = parse_hgrm(&text(&files, &name));
        assert!(!g.rows.is_empty(), "{name}");
        for w in g.rows.windows(2) {
            assert!(w[0].0 <= w[1].0, "{name}: values non-decreasing");
            assert!(w[0].1 <= w[1].1, "{name}: percentiles non-decreasing");
            assert!(w[0].2 <= w[1].2, "{name}: TotalCount non-decreasing");
        }
        let first = g.rows[0];
        let last = g.rows[g.rows.len() - 1];
        assert_eq!(first.1, 0.0, "{name}: starts at percentile 0");
        assert_eq!(first.3, Some(1.0));
        assert_eq!(last.1, 1.0, "{name}: ends at percentile 1");
        assert_eq!(
            last.2,
            h.pickup.len(),
            "{name}: TotalCount ends at the count"
        );
        assert_eq!(
            last.0,
            h.pickup.max() as f64,
            "{name}: last value is the max"
        );
        for (_, p, _, inv) in &g.rows[..g.rows.len() - 1] {
            let want = 1.0 / (1.0 - p);
            assert!(
                (inv.expect("4 columns") - want).abs() <= 0.005 + want * 1e-9,
                "{name}: 1/(1-p)"
            );
        }
        assert_eq!(g.total, h.pickup.len());
        assert_eq!(g.max, h.pickup.max() as f64);
        assert!((g.mean - h.pickup.mean()).abs() < 0.001, "{name}: mean");
        assert_eq!(g.buckets, u64::from(h.pickup.buckets()));
        assert_eq!(g.sub_buckets, 2048);
        // The p99 of the histogram appears as a value at or above percentile 0.99.
        let p99 = h.pickup.value_at_quantile(0.99) as f64;
        let at = g.rows.iter().find(|r| r.1 >= 0.99).expect("a row past p99");
        assert!(at.0 >= p99, "{name}");
    }
}

#[test]
fn empty_histogram_gives_a_valid_file() {
    let h = Histogram::<u64>::new_with_bounds(1, 1_000_000_000, 3).expect("valid bounds");
    let g = parse_hgrm(&export::write_hgrm(&h));
    assert!(g.rows.is_empty());
    assert_eq!((g.total, g.max, g.mean), (0, 0.0, 0.0));
    assert_eq!((g.buckets, g.sub_buckets), (u64::from(h.buckets()), 2048));
}

#[test]
fn single_value_histogram() {
    let mut h = Histogram::<u64>::new_with_bounds(1, 1_000_000_000, 3).expect("valid bounds");
    h.record(42).expect("in range");
    let g = parse_hgrm(&export::write_hgrm(&h));
    assert_eq!(
        g.rows.first().map(|r| (r.0, r.1, r.2)),
        Some((42.0, 0.0, 1))
    );
    assert_eq!(
        g.rows.last().map(|r| (r.0, r.1, r.2, r.3)),
        Some((42.0, 1.0, 1, None))
    );
}

/// Splits a markdown table line into cells, undoing backslash escapes (`\|` is not a separator).
fn md_cells(line: &str) -> Vec<String> {
    let inner = line
        .trim()
        .strip_prefix('|')
        .and_then(|l| l.strip_suffix('|'))
        .expect("table row");
    let mut cells = vec![String::new()];
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            // Backslash escapes: keep the escaped character only.
            '\\' => {
                if let Some(n) = chars.next() {
                    cells.last_mut().expect("a cell").push(n);
                }
            }
            '|' => cells.push(String::new()),
            _ => cells.last_mut().expect("a cell").push(c),
        }
    }
    cells.into_iter().map(|c| c.trim().to_owned()).collect()
}

/// The tables of a markdown document: (heading, header cells, rows of cells).
fn md_tables(md: &str) -> Vec<(String, Vec<String>, Vec<Vec<String>>)> {
    let mut out: Vec<(String, Vec<String>, Vec<Vec<String>>)> = Vec::new();
    let mut heading = String::new();
    let mut in_table = false;
    for line in md.lines() {
        if let Some(h) = line.strip_prefix("### ") {
            heading = h.to_owned();
            in_table = false;
        } else if line.starts_with("## ") {
            heading.clear(); // a section of its own (e.g. the strategies table), not a results table
            in_table = false;
        } else if line.starts_with('|') && heading.is_empty() {
            continue;
        } else if line.starts_with('|') {
            if !in_table {
                out.push((heading.clone(), md_cells(line), Vec::new()));
                in_table = true;
            } else if !line.starts_with("|---") {
                out.last_mut().expect("table").2.push(md_cells(line));
            }
        } else {
            in_table = false;
        }
    }
    out
}

/// A latency cell (`812 µs`, `1,234 [10–30] µs`, `12.3 ms`) → (µs, tolerance of its rounding).
fn md_us(cell: &str) -> (f64, f64) {
    let mut words = cell.split_whitespace();
    let number: f64 = words
        .next()
        .expect("number")
        .replace(',', "")
        .parse()
        .unwrap_or_else(|_| panic!("{cell:?}"));
    let second = words.next().expect("unit");
    let unit = if second.starts_with('[') {
        cell.split_whitespace().last().expect("unit")
    } else {
        second
    };
    match unit {
        "µs" => (number, 0.5),
        "ms" => (number * 1000.0, 50.0),
        u => panic!("unit {u:?} in {cell:?}"),
    }
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name:?} in {header:?}"))
}

/// Equal JSON, numbers within a relative 1e-12.
fn nearly_equal(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as V;
    match (a, b) {
        (V::Number(x), V::Number(y)) => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            x == y || (x - y).abs() <= 1e-12 * x.abs().max(y.abs())
        }
        (V::Array(x), V::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| nearly_equal(x, y))
        }
        (V::Object(x), V::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| nearly_equal(v, w)))
        }
        _ => a == b,
    }
}

fn check_agreement(res: &Results) {
    let files = export_named(res, &["csv", "json", "markdown"]);
    let md = text(&files, "summary.md");
    let json: serde_json::Value =
        serde_json::from_str(&text(&files, "summary.json")).expect("json parses");
    let mut rd = csv::Reader::from_reader(files["summary.csv"].as_slice());
    let csv_header = rd.headers().expect("csv header").clone();
    let csv_rows: Vec<csv::StringRecord> =
        rd.records().collect::<Result<_, _>>().expect("csv parses");
    let col = |name: &str| {
        csv_header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("csv has no {name}"))
    };

    assert_eq!(json["protocol"], 1);
    assert_eq!(json["interrupted"], res.interrupted);
    assert_eq!(json["env"], res.env);
    assert_eq!(
        json["findings"],
        serde_json::json!(findings(&res.rows, &Default::default()))
    );
    let json_rows = json["rows"].as_array().expect("rows");
    assert_eq!(json_rows.len(), res.rows.len());
    assert_eq!(csv_rows.len(), res.rows.len());
    // The rows read back as `Row`s (output.rs does so for the index), equal up to the last
    // digit serde_json's default float parser may get wrong.
    let back: Vec<Row> = serde_json::from_value(json["rows"].clone()).expect("rows read back");
    let (a, b) = (
        serde_json::to_value(&back).expect("json"),
        serde_json::to_value(&res.rows).expect("json"),
    );
    assert!(nearly_equal(&a, &b), "summary.json rows round-trip");

    let tables = md_tables(&md);
    let md_rows: usize = tables.iter().map(|t| t.2.len()).sum();
    assert_eq!(md_rows, res.rows.len(), "one markdown line per row:\n{md}");

    for (i, row) in res.rows.iter().enumerate() {
        let c = &csv_rows[i];
        let j = &json_rows[i];
        // Locate the row in the markdown by its heading (scenario [— param sweep]) and keys.
        let want_heading = match &row.sweep {
            None => row.scenario.clone(),
            Some(sw) => format!(
                "{} — {} sweep",
                row.scenario,
                sw.split_once('=').map_or(sw.as_str(), |x| x.0)
            ),
        };
        let (_, header, cells) = tables
            .iter()
            .filter(|t| t.0 == want_heading)
            .flat_map(|t| {
                t.2.iter()
                    .map(move |cells| (t.0.clone(), t.1.clone(), cells.clone()))
            })
            .find(|(_, h, cells)| {
                cells[column(h, "Strategy")] == row.strategy
                    && cells[column(h, "Cores")] == row.cores.to_string()
                    && row
                        .sweep
                        .as_ref()
                        .is_none_or(|sw| sw.ends_with(&format!("={}", cells[0])))
            })
            .unwrap_or_else(|| panic!("row {} not in the markdown:\n{md}", row.cell_name()));

        assert_eq!(&c[col("strategy")], row.strategy);
        assert_eq!(j["strategy"], row.strategy.as_str());
        assert_eq!(&c[col("scenario")], row.scenario);
        assert_eq!(c[col("cores")].parse::<usize>().expect("cores"), row.cores);

        // Status: csv, json and the markdown cell (bold for failures, then `: reason`).
        let status = &c[col("status")];
        assert_eq!(j["status"], status);
        let md_status = cells[column(&header, "Status")].trim_start_matches("**");
        assert!(
            md_status.starts_with(status),
            "md {md_status:?} vs csv {status:?}"
        );
        assert_eq!(row.status.name(), status);
        if row.status.is_failure() {
            let reason = &c[col("reason")];
            assert!(!reason.is_empty());
            assert_eq!(j["reason"], reason);
            let first_word = reason.split_whitespace().next().expect("a word");
            assert!(
                md_status.contains(first_word),
                "md shows the reason: {md_status:?}"
            );
        }

        // Answered / offered.
        let (answered, offered) = cells[column(&header, "Answered / offered")]
            .split_once(" / ")
            .expect("a / b");
        let answered: u64 = answered.replace(',', "").parse().expect("answered");
        let offered: u64 = offered.replace(',', "").parse().expect("offered");
        assert_eq!(
            c[col("answered_calls")]
                .parse::<u64>()
                .expect("csv answered"),
            answered
        );
        assert_eq!(
            c[col("offered_calls")].parse::<u64>().expect("csv offered"),
            offered
        );
        assert_eq!(j["answered_calls"].as_u64(), Some(answered));
        assert_eq!(j["offered_calls"].as_u64(), Some(offered));

        // Pick-up p99 (and its [min–max]).
        let p99_cell = &cells[column(&header, "Pick-up p99 [min–max]")];
        let csv_p99: f64 = c[col("pickup_us_p99")].parse().expect("csv p99");
        assert_eq!(j["pickup_us"]["p99"].as_f64(), Some(csv_p99));
        if row.answered_calls == 0 {
            assert_eq!(p99_cell, "–");
        } else {
            let (md_p99, tol) = md_us(p99_cell);
            assert!(
                (md_p99 - csv_p99).abs() <= tol,
                "md {p99_cell:?} vs csv {csv_p99}"
            );
            if let Some([lo, hi]) = row.ranges.get("pickup_us.p99") {
                assert_eq!(c[col("pickup_us_p99_min")].parse::<f64>().ok(), Some(*lo));
                assert_eq!(c[col("pickup_us_p99_max")].parse::<f64>().ok(), Some(*hi));
                assert!(p99_cell.contains('['), "{p99_cell:?} shows the range");
            }
        }
        let missed: f64 = c[col("missed_share")].parse().expect("missed share");
        assert_eq!(j["missed_share"].as_f64(), Some(missed));
        let md_missed = &cells[column(&header, "Missed")];
        let pct: f64 = md_missed.trim_end_matches(" %").parse().expect("missed %");
        assert!(
            (pct - missed * 100.0).abs() <= 0.05 + 1e-9,
            "{md_missed:?} vs {missed}"
        );
    }
}

#[test]
fn summaries_agree_on_the_fixture() {
    check_agreement(&sample_results());
}

#[test]
fn summaries_agree_with_sweeps_failures_and_large_values() {
    let mut res = sample_results();
    let base = res.rows[1].clone();
    for (k, chunk) in ["10000", "100", "1000"].into_iter().enumerate() {
        let mut r = base.clone();
        r.sweep = Some(format!("chunk={chunk}"));
        r.figures.pickup_us.p99 = 9_000.0 * (k as f64 + 1.0) + 0.4;
        r.ranges.insert("pickup_us.p99".into(), [8_000.0, 40_000.0]);
        res.rows.push(r);
    }
    let mut timeout = res.rows[0].clone();
    timeout.strategy = "pipe|name".into();
    timeout.status = Status::Timeout;
    timeout.reason = Some("killed after 60 s\nlast stderr: a | b <c>".into());
    timeout.answered_calls = 0;
    res.rows.push(timeout);
    res.interrupted = true;
    check_agreement(&res);
    let files = export_named(&res, &["markdown"]);
    let md = text(&files, "summary.md");
    assert!(md.contains("Interrupted"));
    let sweep = md_tables(&md)
        .into_iter()
        .find(|t| t.0 == "office — chunk sweep")
        .expect("a sweep table");
    assert_eq!(sweep.1[0], "chunk");
    let values: Vec<&str> = sweep.2.iter().map(|cells| cells[0].as_str()).collect();
    assert_eq!(values, ["100", "1000", "10000"], "sweep rows by value");
    assert!(md.contains("pipe\\|name"));
    assert!(
        md.contains("**timeout**: killed after 60 s last stderr: a \\| b &lt;c&gt;"),
        "{md}"
    );
}

#[test]
fn markdown_lists_environment_findings_and_files() {
    let res = sample_results();
    let md = text(&export_named(&res, &["markdown"]), "summary.md");
    assert!(md.starts_with("# "));
    assert!(
        md.contains("Test CPU · 2 logical cores · 930 ns per work unit"),
        "{md}"
    );
    for f in &findings(&res.rows, &Default::default()) {
        assert!(md.contains(&format!("- {f}")), "finding {f:?} listed");
    }
    for h in &res.hists {
        assert!(md.contains(&format!("[`{0}.hgrm`]({0}.hgrm)", h.cell)));
    }
    if let Ok(dir) = std::env::var("EXPORTS_DUMP") {
        for (f, b) in export_named(&res, &["markdown", "csv", "json", "hgrm"]) {
            std::fs::write(std::path::Path::new(&dir).join(f), b).expect("dump");
        }
        std::fs::write(
            std::path::Path::new(&dir).join("findings.txt"),
            findings(&res.rows, &Default::default()).join("\n"),
        )
        .expect("dump");
    }
    // markdown_table is the tables part of the document.
    assert!(md.contains(&export::markdown_table(&res.rows, &res.env)));
}

#[test]
fn exporters_handle_no_rows() {
    let mut res = sample_results();
    res.rows.clear();
    res.hists.clear();
    assert!(findings(&res.rows, &Default::default()).is_empty());
    let files = export_named(&res, &["csv", "json", "markdown", "hgrm"]);
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        ["summary.csv", "summary.json", "summary.md"]
    );
    let csv = text(&files, "summary.csv");
    assert_eq!(csv.lines().count(), 1, "header only");
    assert!(csv.starts_with("strategy,scenario,cores,"));
    assert_eq!(export::markdown_table(&[], &serde_json::Value::Null), "");
    check_agreement(&res);
}

#[test]
fn no_finding_compares_two_cells_without_a_claim() {
    // Rows whose ranges would once have been called "clearly lower": without planned claims,
    // no sentence says lower or higher.
    let mut rows = sample_results().rows;
    for r in rows
        .iter_mut()
        .filter(|r| r.strategy == "threads" && r.cores == 2)
    {
        r.figures.appointment_lateness_us.p99 /= 10.0;
        r.figures.wait_all_us.p99 /= 10.0;
        lab::fixtures::set_ranges(r, 0.01);
    }
    let f = findings(&rows, &Default::default());
    assert!(
        f.iter()
            .all(|s| !s.contains("lower") && !s.contains("higher")),
        "{f:#?}"
    );
}

#[test]
fn findings_cover_cores_misses_failures_predictions_and_sweeps() {
    let mut rows = sample_results().rows;
    let f = findings(&rows, &Default::default());
    let all = f.join("\n");
    assert!(
        all.contains("sequential on 1 core missed 40.0 % of calls (saturated)"),
        "{all}"
    );
    assert!(
        all.contains("back-office: threads on 2 cores crashed (killed by signal 6"),
        "{all}"
    );

    // A prediction far off, and a sweep.
    let pred: theory::Prediction = serde_json::from_value(serde_json::json!({
        "model": "M/G/1", "rho": 0.5, "mean_pickup_wait_us": 100.0, "reliable": true, "note": ""
    }))
    .expect("a prediction");
    rows[1].prediction = Some(pred);
    rows[1].measured_over_predicted = Some(rows[1].figures.pickup_wait_us_mean / 100.0);
    let mut near = rows[3].clone();
    near.measured_over_predicted = Some(1.1);
    rows[3] = near;
    for (chunk, p99) in [("10000", 9_000.0), ("100", 1_000.0), ("1000", 3_000.0)] {
        let mut r = rows[2].clone();
        r.sweep = Some(format!("chunk={chunk}"));
        r.figures.pickup_us.p99 = p99;
        lab::fixtures::set_ranges(&mut r, 0.1);
        rows.push(r);
    }
    let f = findings(&rows, &Default::default());
    let all = f.join("\n");
    assert!(
        all.contains("measured a mean pick-up wait of")
            && all.contains("the predicted 100 µs (M/G/1)"),
        "{all}"
    );
    assert_eq!(
        all.matches("the predicted").count(),
        1,
        "only the disagreeing row: {all}"
    );
    assert!(
        all.contains(
            "p99 pick-up by chunk: 100 → 1,000 µs, 1000 → 3,000 µs, 10000 → 9,000 µs (described, not tested)"
        ),
        "{all}"
    );
}

#[test]
fn findings_survive_missing_and_odd_cells() {
    assert!(findings(&[], &Default::default()).is_empty());
    let mut rows = sample_results().rows;
    // Only 2-core rows, with holes and non-finite numbers.
    rows.retain(|r| r.cores == 2);
    rows[0].figures.pickup_us.p99 = f64::NAN;
    rows[1].answered_calls = 0;
    rows[2].status = Status::Crashed;
    rows[2].reason = None;
    rows[3].measured_over_predicted = Some(f64::INFINITY);
    let f = findings(&rows, &Default::default());
    assert!(
        f.iter().all(|s| !s.is_empty() && s.ends_with('.')),
        "{f:#?}"
    );
    assert!(
        f.iter().any(|s| s.contains("crashed")),
        "a crashed row without a reason is still reported: {f:#?}"
    );
    // A row with a zero p99 next to a non-zero one does not divide by zero into nonsense.
    let mut rows = sample_results().rows;
    rows[0].figures.pickup_us.p99 = 0.0;
    let f = findings(&rows, &Default::default());
    assert!(
        f.iter().all(|s| !s.contains("inf") && !s.contains("NaN")),
        "{f:#?}"
    );
}

#[test]
fn the_strategies_table_reads_two_at_once_off_the_timelines() {
    use analysis::simultaneity::Simultaneity;
    let mut rows = sample_results().rows;
    for r in &mut rows {
        // Low load: on average under one core busy, whatever the strategy does.
        r.figures.cpu_per_wall = match (r.strategy.as_str(), r.cores) {
            ("threads", 2) => 0.76,
            _ => 0.6,
        };
        // The declaration says nothing about what was measured.
        r.arrangement = lab::fixtures::declared("sequential");
    }
    let at = |strategy: &str, cores, two_at_once, cpus, threads| Simultaneity {
        strategy: strategy.into(),
        scenario: "office".into(),
        cores,
        window_ns: 1_000_000_000,
        two_at_once,
        any_at_work: 0.4,
        busiest_cpus: cpus,
        busiest_threads: threads,
    };
    let sim = [
        at("threads", 1, 0.0, 1, 3),
        // The timeline at the most cores decides, not the first one seen.
        at("threads", 2, 0.23, 2, 2),
        at("sequential", 2, 0.0, 1, 1),
    ];
    let t = export::strategies_table(&rows, &sim);
    let line = |t: &str, s: &str| {
        t.lines()
            .find(|l| l.starts_with(&format!("| {s} |")))
            .unwrap_or_else(|| panic!("{s}: {t}"))
            .to_owned()
    };
    assert!(
        t.contains("Two at work at the same instant (timeline, most cores)"),
        "{t}"
    );
    let threads = line(&t, "threads");
    assert!(threads.contains("| 0.76 |"), "the average stays: {t}");
    assert!(
        threads.contains(
            "yes: two at once 23.0 % of the window, any at work 40.0 % \
             (busiest: 2 threads on 2 CPUs; office, 2 cores)"
        ),
        "{t}"
    );
    let sequential = line(&t, "sequential");
    assert!(
        sequential.contains(
            "no: never two at once, any at work 40.0 % (busiest: 1 thread on 1 CPU; office, 2 cores)"
        ),
        "{t}"
    );
    assert!(sequential.contains("one worker · run to completion"));
    // No timeline on two cores or more: not measured, whatever the average says.
    let t = export::strategies_table(&rows, &sim[..1]);
    assert!(
        line(&t, "threads").contains("not measured (no timeline on 2+ cores)"),
        "{t}"
    );
    assert!(
        line(&t, "sequential").contains("not measured (no timeline on 2+ cores)"),
        "{t}"
    );
}

#[test]
fn summary_json_carries_the_timelines_simultaneity() {
    let results = sample_results();
    let analysed = analysis::analyse(results.clone());
    assert_eq!(analysed.simultaneity.len(), results.timelines.len());
    let files = export_named(&results, &["json"]);
    let doc: serde_json::Value = serde_json::from_str(&text(&files, "summary.json")).unwrap();
    let back: Vec<analysis::simultaneity::Simultaneity> =
        serde_json::from_value(doc["simultaneity"].clone()).expect("simultaneity in summary.json");
    assert_eq!(back, analysed.simultaneity);
}

/// The same figure reads the same in prose and in its table, through one `lab::format` function:
/// a row's measured-over-predicted factor in the findings' sentence and in the predictions
/// column (the table once gave `×18.50` where the sentence said `19×`), and peak memory in the
/// verdict and in the "Max RSS MiB" column (the verdict once said `7 MiB` for a cell of 6.5).
#[test]
fn a_figure_reads_the_same_in_prose_and_table() {
    use lab::format::{format_factor, format_mib, mib_number};
    use workload::Scenario;

    let mut res = sample_results();
    let ok = res
        .rows
        .iter()
        .find(|r| r.status == Status::Ok && r.sweep.is_none() && r.answered_calls > 0)
        .expect("an ok plain row")
        .clone();
    // The fit: one row 18.5× its prediction.
    let mut fit = ok.clone();
    fit.prediction = Some(
        serde_json::from_value(serde_json::json!({
            "model": "M/G/1 FIFO (Pollaczek–Khinchine)", "rho": 0.5,
            "mean_pickup_wait_us": 10.0, "reliable": true, "note": "a test",
            "delivery_us": 0.0
        }))
        .expect("a prediction"),
    );
    fit.measured_over_predicted = Some(18.5);
    res.rows.retain(|r| r.cell_name() != fit.cell_name());
    res.rows.push(fit.clone());
    // The memory verdict: a worker per call against a cooperative secretary, call-center, 1 core.
    for (strategy, kib) in [("threads", 153_907.2), ("async-std", 6_656.0)] {
        let mut r = ok.clone();
        r.strategy = strategy.into();
        r.arrangement = lab::fixtures::declared(strategy);
        r.scenario = "call-center".into();
        r.preset = Some(Scenario::CallCenter);
        r.cores = 1;
        r.twin = false;
        r.figures.max_rss_kib = kib;
        res.rows.push(r);
    }
    let analysed = analysis::analyse(res.clone());
    let md = text(&export_named(&res, &["markdown"]), "summary.md");

    let factor = format_factor(18.5);
    let sentence = analysed
        .findings
        .iter()
        .find(|f| f.contains("the predicted"))
        .expect("a finding on the fit");
    assert!(sentence.contains(&factor), "{sentence}");
    assert!(
        md.contains(&format!("({factor})")),
        "the predictions column:\n{md}"
    );
    assert!(!md.contains("×18.50"), "{md}");

    let verdict = analysed
        .verdicts
        .iter()
        .find(|v| v.scenario == "call-center")
        .expect("a call-center verdict");
    let purpose = &verdict.purpose.text;
    let tables = md_tables(&md);
    for (strategy, kib) in [("threads", 153_907.2), ("async-std", 6_656.0)] {
        assert!(
            purpose.contains(&format!("{strategy} {}", format_mib(kib))),
            "{purpose}"
        );
        let (_, head, rows) = tables
            .iter()
            .find(|(h, head, rows)| {
                h.starts_with("call-center")
                    && head.iter().any(|c| c == "Max RSS MiB")
                    && rows.iter().any(|r| r[0] == strategy)
            })
            .expect("the call-center table");
        let row = rows.iter().find(|r| r[0] == strategy).unwrap();
        assert_eq!(row[column(head, "Max RSS MiB")], mib_number(kib));
    }
}
