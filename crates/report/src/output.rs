//! Writes a results folder: every exporter's files staged in a hidden folder and renamed into
//! place in one step (an earlier folder is never touched; an interrupted write leaves only a
//! hidden `.tmp` folder), then `latest` and the `README.md` index are replaced atomically.
//! [`all_exporters`] is the one list of every exporter, file formats and plots, and the report
//! page `index.html` last (each exporter is given the files of those before it; only the page
//! reads them).

use crate::exporter::{Exporter, Kind, Output};
use crate::{export, plot};
use analysis::Analysed;
use anyhow::Context as _;
use lab::row::Row;
use std::path::{Path, PathBuf};

/// Every exporter: the file formats of [`export`], the plots of [`plot`], then the report page
/// ([`export::page`]), which inlines the plots and links the files of those before it.
#[must_use]
pub fn all_exporters() -> Vec<Box<dyn Exporter>> {
    let mut v = export::all();
    v.extend(plot::all());
    v.push(export::page());
    v
}

/// `env.json`, the run's environment, as the first file of a results folder ([`Kind::Environment`]).
pub fn env_json(env: &serde_json::Value) -> anyhow::Result<Output> {
    Ok(Output::new(
        "env.json",
        serde_json::to_vec_pretty(env)?,
        Kind::Environment,
    ))
}

/// Writes `bytes` to `path` through a temporary file and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let tmp = path.with_extension(format!(
        "{}tmp",
        path.extension()
            .map(|e| format!("{}.", e.to_string_lossy()))
            .unwrap_or_default()
    ));
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path)
        .with_context(|| format!("cannot rename {} to {}", tmp.display(), path.display()))
}

/// Writes the results folder under `base`, updates `base/latest` and `base/README.md`, and
/// returns the folder.
pub fn write_results(base: &Path, results: &Analysed) -> anyhow::Result<PathBuf> {
    let mut files = vec![env_json(&results.env)?];
    for ex in all_exporters() {
        let made = ex
            .export_after(results, &files)
            .with_context(|| format!("exporter {} failed", ex.name()))?;
        files.extend(made);
    }
    let dir = write_folder(base, &files)?;
    write_atomic(&base.join("README.md"), index(base)?.as_bytes())?;
    Ok(dir)
}

/// Writes `files` into a new folder `<date>-<host>-<time>` under `base` (staged in a hidden
/// folder, renamed into place in one step), points `base/latest` at it, and returns it.
pub fn write_folder(base: &Path, files: &[Output]) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(base).with_context(|| format!("cannot create {}", base.display()))?;
    let (date, hms, _) = lab::envinfo::now_utc();
    let mut name = format!("{date}-{}-{hms}", lab::envinfo::host());
    let mut k = 2;
    while base.join(&name).exists() {
        name = format!("{date}-{}-{hms}-{k}", lab::envinfo::host());
        k += 1;
    }
    let stage = base.join(format!(".{name}.tmp"));
    std::fs::create_dir_all(&stage)
        .with_context(|| format!("cannot create {}", stage.display()))?;
    for f in files {
        std::fs::write(stage.join(&f.file), &f.bytes)
            .with_context(|| format!("cannot write {}", f.file))?;
    }
    let dir = base.join(&name);
    std::fs::rename(&stage, &dir)
        .with_context(|| format!("cannot move results into {}", dir.display()))?;
    let link_tmp = base.join(".latest.tmp");
    let _ = std::fs::remove_file(&link_tmp);
    std::os::unix::fs::symlink(&name, &link_tmp).context("cannot create the latest link")?;
    std::fs::rename(&link_tmp, base.join("latest")).context("cannot update the latest link")?;
    Ok(dir)
}

/// Points `base/latest` at the newest run folder and rewrites `base/README.md` (what
/// [`write_results`] does after writing a folder), e.g. after a folder was moved away.
pub fn refresh_index(base: &Path) -> anyhow::Result<()> {
    let newest = list_runs(base)
        .into_iter()
        .next()
        .context("no results folder with a summary.json")?;
    let link_tmp = base.join(".latest.tmp");
    let _ = std::fs::remove_file(&link_tmp);
    std::os::unix::fs::symlink(&newest.name, &link_tmp).context("cannot create the latest link")?;
    std::fs::rename(&link_tmp, base.join("latest")).context("cannot update the latest link")?;
    write_atomic(&base.join("README.md"), index(base)?.as_bytes())
}

/// A run folder as the index sees it.
struct Listed {
    name: String,
    date: String,
    commit: String,
    cpu: String,
    rows: Vec<Row>,
    verdict: Vec<analysis::verdict::Verdict>,
    findings: Vec<String>,
    sim_vs_tcp: Vec<analysis::sim_vs_tcp::Pair>,
    /// Runs written before summary.json carried it: empty (the strategies table then says
    /// "not measured").
    simultaneity: Vec<analysis::simultaneity::Simultaneity>,
    svgs: Vec<String>,
    /// The folder has the report page, `index.html`.
    page: bool,
}

fn list_runs(base: &Path) -> Vec<Listed> {
    let mut v: Vec<Listed> = std::fs::read_dir(base)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let text = std::fs::read_to_string(e.path().join("summary.json")).ok()?;
            let doc: serde_json::Value = serde_json::from_str(&text).ok()?;
            let s = |v: &serde_json::Value| v.as_str().unwrap_or("?").to_owned();
            let env = &doc["env"];
            let mut svgs: Vec<String> = std::fs::read_dir(e.path())
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|f| f.file_name().into_string().ok())
                .filter(|f| f.ends_with(".svg"))
                .collect();
            svgs.sort();
            let rows: Vec<Row> = serde_json::from_value(doc["rows"].clone()).unwrap_or_default();
            // Runs written before summary.json carried the pairs: paired from their rows.
            let sim_vs_tcp = serde_json::from_value(doc["sim_vs_tcp"].clone())
                .unwrap_or_else(|_| analysis::sim_vs_tcp::pairs(&rows));
            Some(Listed {
                date: s(&env["date_utc"]),
                commit: s(&env["git_commit_built"]).chars().take(10).collect(),
                cpu: format!("{} ({} cores)", s(&env["cpu_model"]), env["logical_cores"]),
                rows,
                sim_vs_tcp,
                simultaneity: serde_json::from_value(doc["simultaneity"].clone())
                    .unwrap_or_default(),
                verdict: serde_json::from_value(doc["verdict"].clone()).unwrap_or_default(),
                findings: serde_json::from_value(doc["findings"].clone()).unwrap_or_default(),
                page: e.path().join(export::html::FILE).is_file(),
                name,
                svgs,
            })
        })
        .collect();
    v.sort_by(|a, b| (b.date.as_str(), b.name.as_str()).cmp(&(a.date.as_str(), a.name.as_str())));
    v
}

/// The plots the project README shows (the results index shows them all): the essay in two
/// pictures — one secretary interleaving, two at work at once — then the office latencies.
pub const README_PLOTS: [&str; 5] = [
    "timeline.svg",
    "timeline-office-async-std-1c.svg",
    "timeline-office-green-2c.svg",
    "spectrum-office.svg",
    "p99-office.svg",
];

/// At most this many findings in README (the full list stays in `summary.md`).
pub const README_FINDINGS: usize = 8;

/// The newest run's section, as markdown whose links are relative to `link_prefix` (e.g.
/// `results/` from the repository root). `readme`: the short form for the project README —
/// the strategies as measured, at most [`README_FINDINGS`] findings and the pictures in
/// [`README_PLOTS`], with the tables linked; otherwise every table, finding and plot.
pub fn newest_section(base: &Path, link_prefix: &str, readme: bool) -> anyhow::Result<String> {
    let runs = list_runs(base);
    let newest = runs
        .first()
        .context("no results folder with a summary.json")?;
    let summary = format!("{link_prefix}{}/summary.md", newest.name);
    let mut s = format!(
        "Newest run: [`{0}`]({summary}) — {1}, commit `{2}`, {3}.\n\n",
        newest.name, newest.date, newest.commit, newest.cpu
    );
    if newest.page {
        s.push_str(&format!(
            "**Report page:** [`{0}/{1}`]({link_prefix}{0}/{1}) — every table and picture on one page \
             that opens from the file, offline, with the timeline traces linked.\n\n",
            newest.name,
            export::html::FILE
        ));
    }
    if let Some(table) = crate::export::verdict::markdown(&newest.verdict) {
        s.push_str("**Verdict** (computed from the rows):\n\n");
        s.push_str(&table);
        s.push('\n');
    }
    if readme {
        s.push_str(&format!(
            "The tables — the secretaries as measured, each scenario, the chunk sweep, the predictions — are in \
             [`summary.md`]({summary}).\n"
        ));
    } else {
        if base.join(&newest.name).join("capacity.md").is_file() {
            s.push_str(&format!(
                "**Capacity:** [`{0}/capacity.md`]({link_prefix}{0}/capacity.md) — the highest call rate each strategy × cores keeps up with, what more cores buy, the desk speedups.\n\n",
                newest.name
            ));
        }
        // A capacity run's rows are all days of its searches (sweep rows): no plain cells to
        // describe the strategies by.
        if newest.rows.iter().any(|r| r.sweep.is_none()) {
            s.push_str(&export::strategies_table(
                &newest.rows,
                &newest.simultaneity,
            ));
            s.push('\n');
        }
        s.push_str(&format!(
            "Every table (each scenario, the sweeps, the predictions) is in [`summary.md`]({summary}); they are not repeated here.\n"
        ));
    }
    if let Some(t) = crate::export::sim_vs_tcp::section(&newest.sim_vs_tcp) {
        s.push_str("\n### Simulated vs real lines\n\n");
        s.push_str(&t);
    }
    if !newest.findings.is_empty() {
        s.push_str("\n**Findings** (computed from the rows; the only sentences that compare two cells are the claims', decided by the claims rule in \"Reading a row\"):\n\n");
        let shown = if readme {
            README_FINDINGS.min(newest.findings.len())
        } else {
            newest.findings.len()
        };
        for f in &newest.findings[..shown] {
            s.push_str(&format!("- {}\n", export::escape_markdown(f)));
        }
        if shown < newest.findings.len() {
            s.push_str(&format!(
                "- … {} more in [`summary.md`]({summary}).\n",
                newest.findings.len() - shown
            ));
        }
    }
    // README: the chosen pictures in their order (the all-strategies timeline first).
    let pictures: Vec<&str> = if readme {
        README_PLOTS
            .iter()
            .copied()
            .filter(|p| newest.svgs.iter().any(|s| s == p))
            .collect()
    } else {
        newest.svgs.iter().map(String::as_str).collect()
    };
    for svg in pictures {
        s.push_str(&format!("\n![{svg}]({link_prefix}{}/{svg})\n", newest.name));
    }
    Ok(s)
}

/// The `README.md` of a results base folder: newest run first, with its tables and plots.
fn index(base: &Path) -> anyhow::Result<String> {
    let mut s = String::from(
        "# Results\n\nGenerated by the harness (`harness compare` via `scripts/compare.sh`, `harness capacity`); do not edit by hand. \
         Each folder holds `index.html` (the report page: open it in a browser), `env.json`, \
         `summary.{md,csv,json}`, one `.hgrm` per cell, the plots and one Perfetto trace per timeline run.\n\n",
    );
    s.push_str(&newest_section(base, "", false)?);
    s.push_str("\n## All runs, newest first\n\n| Run | Report page | Date (UTC) | Commit | Machine | Rows |\n|---|---|---|---|---|---|\n");
    for r in list_runs(base) {
        let page = if r.page {
            format!("[{0}]({1}/{0})", export::html::FILE, r.name)
        } else {
            "–".to_owned()
        };
        s.push_str(&format!(
            "| [{0}]({0}/summary.md) | {page} | {1} | `{2}` | {3} | {4} |\n",
            r.name,
            r.date,
            r.commit,
            r.cpu,
            r.rows.len()
        ));
    }
    Ok(s)
}

/// Replaces the text between `<!-- results:begin -->` and `<!-- results:end -->` in `readme`
/// with the newest run's section.
pub fn update_readme(readme: &Path, base: &Path, link_prefix: &str) -> anyhow::Result<()> {
    let section = newest_section(base, link_prefix, true)?;
    replace_section(readme, "results", &section)
}

/// Replaces the text between `<!-- NAME:begin -->` and `<!-- NAME:end -->` in `readme` with
/// `section` (written atomically; an error, and nothing written, where a marker is missing).
pub fn replace_section(readme: &Path, name: &str, section: &str) -> anyhow::Result<()> {
    let begin = format!("<!-- {name}:begin -->");
    let end = format!("<!-- {name}:end -->");
    let text = std::fs::read_to_string(readme)
        .with_context(|| format!("cannot read {}", readme.display()))?;
    let (a, rest) = text
        .split_once(&begin)
        .with_context(|| format!("{} has no {begin} marker", readme.display()))?;
    let (_, b) = rest
        .split_once(&end)
        .with_context(|| format!("{} has no {end} marker", readme.display()))?;
    write_atomic(
        readme,
        format!("{a}{begin}\n{section}\n{end}{b}").as_bytes(),
    )
}
