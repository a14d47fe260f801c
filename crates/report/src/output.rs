//! Writes a results folder: every exporter's files staged in a hidden folder and renamed into
//! place in one step (an earlier folder is never touched; an interrupted write leaves only a
//! hidden `.tmp` folder), then `latest` and the `README.md` index are replaced atomically. Each
//! base folder's index is of its own kind ([`Collection`]: compare, capacity, memory,
//! primitives, soak): its own header, its main file linked, and each run's count of rows read
//! from the file that kind keeps.
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
    write_folder(base, &files)
}

/// Writes `files` into a new folder `<date>-<host>-<time>` under `base` (staged in a hidden
/// folder, renamed into place in one step), points `base/latest` at it, rewrites the
/// `base/README.md` index of the files' kind ([`Collection::of_files`]), and returns it.
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
    write_atomic(
        &base.join("README.md"),
        index(base, Collection::of_files(files))?.as_bytes(),
    )?;
    Ok(dir)
}

/// Points `base/latest` at the newest run folder and rewrites `base/README.md` (what
/// [`write_results`] does after writing a folder), e.g. after a folder was moved away.
pub fn refresh_index(base: &Path) -> anyhow::Result<()> {
    let collection = Collection::of_base(base).context("no results folder")?;
    let newest = listing(base, collection)
        .into_iter()
        .next()
        .context("no results folder")?;
    let link_tmp = base.join(".latest.tmp");
    let _ = std::fs::remove_file(&link_tmp);
    std::os::unix::fs::symlink(&newest.name, &link_tmp).context("cannot create the latest link")?;
    std::fs::rename(&link_tmp, base.join("latest")).context("cannot update the latest link")?;
    write_atomic(&base.join("README.md"), index(base, collection)?.as_bytes())
}

/// What a results base folder collects: the runs of one command, each kind with its own main
/// file and its own count of rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Collection {
    /// `harness compare` (`results/`): `summary.md` and the report page.
    Compare,
    /// `harness capacity` (`results/capacity/`): `capacity.md`.
    Capacity,
    /// `harness memory` (`results/memory/`): `memory.md`.
    Memory,
    /// `harness primitives` (`results/primitives/`): `primitives.md`.
    Primitives,
    /// `harness soak` (`results/soak/`): `soak.md`.
    Soak,
}

impl Collection {
    /// The kind of a run written as `files`, from the kinds the exporters declared.
    #[must_use]
    pub fn of_files(files: &[Output]) -> Collection {
        let has = |p: fn(&Kind) -> bool| files.iter().any(|f| p(&f.kind));
        if has(|k| matches!(k, Kind::Capacity(_))) {
            Collection::Capacity
        } else if has(|k| matches!(k, Kind::Memory(_))) {
            Collection::Memory
        } else if has(|k| matches!(k, Kind::Primitives(_))) {
            Collection::Primitives
        } else if has(|k| matches!(k, Kind::Soak(_))) {
            Collection::Soak
        } else {
            Collection::Compare
        }
    }

    /// The kind of a run folder on disk, from the data file it holds (`None`: not a run).
    #[must_use]
    pub fn of_folder(dir: &Path) -> Option<Collection> {
        [
            Collection::Capacity,
            Collection::Memory,
            Collection::Primitives,
            Collection::Soak,
            Collection::Compare,
        ]
        .into_iter()
        .find(|c| dir.join(c.data_file()).is_file())
    }

    /// The kind of a base folder: its newest run folder's (by name, which starts with the date).
    #[must_use]
    pub fn of_base(base: &Path) -> Option<Collection> {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(base)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .map(|e| e.path())
            .collect();
        dirs.sort();
        dirs.iter().rev().find_map(|d| Collection::of_folder(d))
    }

    /// The file a run of this kind is read from first: its markdown report.
    #[must_use]
    pub fn main_file(self) -> &'static str {
        match self {
            Collection::Compare => "summary.md",
            Collection::Capacity => "capacity.md",
            Collection::Memory => "memory.md",
            Collection::Primitives => "primitives.md",
            Collection::Soak => "soak.md",
        }
    }

    /// The JSON file whose rows the index counts.
    fn data_file(self) -> &'static str {
        match self {
            Collection::Compare => "summary.json",
            Collection::Capacity => "capacity.json",
            Collection::Memory => "memory.json",
            Collection::Primitives => "primitives.json",
            Collection::Soak => "soak.json",
        }
    }

    /// The index's title and what the base folder holds.
    fn header(self) -> &'static str {
        match self {
            Collection::Compare => {
                "# Results\n\nGenerated by `harness compare` (via `scripts/compare.sh`); do not edit by hand. \
                 Each folder is one compare: `index.html` (the report page: open it in a browser), \
                 `summary.md` (the verdict, the findings and every table), `summary.{csv,json}`, \
                 `env.json`, one `.hgrm` per cell, the plots (`.svg`) and one Perfetto trace per \
                 timeline run (`trace-*.json.gz`, gzip-compressed: the Perfetto UI opens it as it is). \
                 Capacity, memory, primitives and soak runs have folders of their own beside this one.\n\n"
            }
            Collection::Capacity => {
                "# Capacity results\n\nGenerated by `harness capacity`; do not edit by hand. \
                 Each folder is one capacity run: [`capacity.md`](latest/capacity.md) first — the highest \
                 call rate each strategy × cores keeps up with, the bracket its search ended on, what \
                 more cores buy and the desk speedups — then `capacity.{csv,json}`, `index.html` (the \
                 report page), `env.json`, `summary.{md,csv,json}` (every day of every search as a \
                 row), one `.hgrm` per day and the load and scaling plots (`.svg`).\n\n"
            }
            Collection::Memory => {
                "# Memory results\n\nGenerated by `harness memory`; do not edit by hand. \
                 Each folder is one memory run: [`memory.md`](latest/memory.md) first — peak memory \
                 against calls in flight on the switchboard, each strategy's bytes per call from \
                 the levels it held — then `memory.{csv,json}`, `index.html` (the report page), \
                 `env.json`, `summary.{md,csv,json}` (each strategy × level a row) and one `.hgrm` \
                 per day.\n\n"
            }
            Collection::Primitives => {
                "# Primitives results\n\nGenerated by `harness primitives`; do not edit by hand. \
                 Each folder is one run: [`primitives.md`](latest/primitives.md) — what one switch \
                 costs in each strategy's runtime (spawn and join, a round trip, sleep lateness, \
                 memory per idle unit) — with `primitives.{csv,json}` and `env.json`.\n\n"
            }
            Collection::Soak => {
                "# Soak results\n\nGenerated by `harness soak`; do not edit by hand. \
                 Each folder is one soak: [`soak.md`](latest/soak.md) — rounds of every strategy × \
                 cores on new seeds until the minutes were up, the failures and the spread of p99 \
                 — with `soak.json` and `env.json`.\n\n"
            }
        }
    }

    /// The heading of the index's count column.
    fn count_heading(self) -> &'static str {
        match self {
            Collection::Compare => "Rows",
            Collection::Capacity => "Searches (days)",
            Collection::Memory => "Strategies (days)",
            Collection::Primitives => "Binaries",
            Collection::Soak => "Days",
        }
    }

    /// A run's count of rows as its data file holds them (`doc`: that file), counted as JSON so
    /// that runs written in an older layout count too; `None` where the file does not say.
    fn count(self, doc: &serde_json::Value) -> Option<String> {
        let len = |v: &serde_json::Value| v.as_array().map(Vec::len);
        let sum = |list: &serde_json::Value, key: &str| -> Option<(usize, usize)> {
            let items = list.as_array()?;
            Some((items.len(), items.iter().filter_map(|i| len(&i[key])).sum()))
        };
        match self {
            Collection::Compare => len(&doc["rows"]).map(|n| n.to_string()),
            Collection::Capacity => {
                let mut searches = 0;
                let mut days = 0;
                for sc in doc["scenarios"].as_array()? {
                    let (n, d) = sum(&sc["searches"], "probes")?;
                    searches += n;
                    days += d;
                }
                Some(format!("{searches} ({days})"))
            }
            Collection::Memory => {
                sum(&doc["strategies"], "days").map(|(n, d)| format!("{n} ({d})"))
            }
            Collection::Primitives => len(&doc["rows"]).map(|n| n.to_string()),
            Collection::Soak => len(&doc["soak"]["days"]).map(|n| n.to_string()),
        }
    }
}

/// A run folder as the index's table lists it.
struct Entry {
    name: String,
    date: String,
    commit: String,
    cpu: String,
    /// [`Collection::count`], `?` where the folder's data file does not say.
    count: String,
    /// The folder has its main file ([`Collection::main_file`]).
    main: bool,
    /// The folder has the report page, `index.html`.
    page: bool,
    svgs: Vec<String>,
}

/// The run folders of `base` of kind `collection`, newest first, each read from its `env.json`
/// (else the environment in `summary.json`) and its data file.
fn listing(base: &Path, collection: Collection) -> Vec<Entry> {
    let json = |p: PathBuf| -> Option<serde_json::Value> {
        serde_json::from_str(&std::fs::read_to_string(p).ok()?).ok()
    };
    let mut v: Vec<Entry> = std::fs::read_dir(base)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let dir = e.path();
            if name.starts_with('.') || Collection::of_folder(&dir) != Some(collection) {
                return None;
            }
            let data = json(dir.join(collection.data_file()));
            let env = json(dir.join("env.json"))
                .or_else(|| json(dir.join("summary.json")).map(|d| d["env"].clone()))
                .unwrap_or_default();
            let s = |v: &serde_json::Value| v.as_str().unwrap_or("?").to_owned();
            let mut svgs: Vec<String> = std::fs::read_dir(&dir)
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|f| f.file_name().into_string().ok())
                .filter(|f| f.ends_with(".svg"))
                .collect();
            svgs.sort();
            Some(Entry {
                date: s(&env["date_utc"]),
                commit: s(&env["git_commit_built"]).chars().take(10).collect(),
                cpu: format!("{} ({} cores)", s(&env["cpu_model"]), env["logical_cores"]),
                count: data
                    .as_ref()
                    .and_then(|d| collection.count(d))
                    .unwrap_or_else(|| "?".to_owned()),
                main: dir.join(collection.main_file()).is_file(),
                page: dir.join(export::html::FILE).is_file(),
                name,
                svgs,
            })
        })
        .collect();
    v.sort_by(|a, b| (b.date.as_str(), b.name.as_str()).cmp(&(a.date.as_str(), a.name.as_str())));
    v
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
        s.push_str("\n**Findings** (computed from the rows; the only sentences that compare two cells are the claims', decided by the claims rule, `docs/reading-a-row.md`):\n\n");
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

/// The `README.md` of a results base folder of kind `collection`: its own header, the newest
/// run (for a compare, with its tables and plots), then every run, newest first.
fn index(base: &Path, collection: Collection) -> anyhow::Result<String> {
    let runs = listing(base, collection);
    let mut s = String::from(collection.header());
    if collection == Collection::Compare {
        s.push_str(&newest_section(base, "", false)?);
    } else if let Some(newest) = runs.first() {
        let main = collection.main_file();
        s.push_str(&format!(
            "Newest run: [`{0}`]({0}/{main}) — {1}, commit `{2}`, {3}.\n\n",
            newest.name, newest.date, newest.commit, newest.cpu
        ));
        if newest.page {
            s.push_str(&format!(
                "**Report page:** [`{0}/{1}`]({0}/{1}) — every table and picture on one page that \
                 opens from the file, offline.\n",
                newest.name,
                export::html::FILE
            ));
        }
        for svg in &newest.svgs {
            s.push_str(&format!("\n![{svg}]({}/{svg})\n", newest.name));
        }
    }
    let main = collection.main_file();
    s.push_str(&format!(
        "\n## All runs, newest first\n\n| Run | Report page | Date (UTC) | Commit | Machine | {} |\n|---|---|---|---|---|---:|\n",
        collection.count_heading()
    ));
    for r in &runs {
        let page = if r.page {
            format!("[{0}]({1}/{0})", export::html::FILE, r.name)
        } else {
            "–".to_owned()
        };
        let run = if r.main {
            format!("[{0}]({0}/{main})", r.name)
        } else {
            r.name.clone()
        };
        s.push_str(&format!(
            "| {run} | {page} | {} | `{}` | {} | {} |\n",
            r.date, r.commit, r.cpu, r.count
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

#[cfg(test)]
mod tests {
    use super::*;

    fn tmpdir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("secretary-index-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).expect("tmp dir");
        d
    }

    /// A run folder `name` under `base` holding `files` (name, text).
    fn run(base: &Path, name: &str, files: &[(&str, String)]) {
        let dir = base.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        for (f, text) in files {
            std::fs::write(dir.join(f), text).unwrap();
        }
    }

    fn env(date: &str) -> String {
        serde_json::json!({
            "date_utc": date, "git_commit_built": "0123456789abcdef",
            "cpu_model": "Test CPU", "logical_cores": 2
        })
        .to_string()
    }

    /// The table's line of run `name`.
    fn line<'a>(index: &'a str, name: &str) -> &'a str {
        index
            .lines()
            .find(|l| l.starts_with(&format!("| [{name}]")) || l.starts_with(&format!("| {name} ")))
            .unwrap_or_else(|| panic!("no line for {name}:\n{index}"))
    }

    #[test]
    fn a_compare_counts_rows_of_an_older_layout_too() {
        let base = tmpdir("compare");
        // Rows that no longer read as `Row`s (an older layout) still count.
        let old_rows = serde_json::json!({
            "env": serde_json::from_str::<serde_json::Value>(&env("2026-11-27T10:00:00Z")).unwrap(),
            "rows": [{"strategy": "a"}, {"strategy": "b"}, {"strategy": "c"}]
        });
        run(
            &base,
            "2026-11-27-x-100000",
            &[
                ("summary.json", old_rows.to_string()),
                ("summary.md", "# old".into()),
            ],
        );
        let text = index(&base, Collection::Compare).unwrap();
        assert!(text.starts_with("# Results\n"), "{text}");
        assert!(text.contains("trace-*.json.gz"), "{text}");
        assert!(
            line(&text, "2026-11-27-x-100000").ends_with("| 3 |"),
            "{text}"
        );
    }

    #[test]
    fn each_kind_has_its_own_header_main_file_and_count() {
        let base = tmpdir("kinds");
        let capacity = serde_json::json!({"scenarios": [{"searches": [
            {"probes": [1, 2, 3]}, {"probes": [1, 2]}
        ]}]});
        run(
            &base.join("capacity"),
            "2026-12-07-x-141411",
            &[
                ("env.json", env("2026-12-07T14:14:11Z")),
                ("capacity.json", capacity.to_string()),
                ("capacity.md", "# c".into()),
                ("summary.json", r#"{"rows": [1, 2, 3, 4, 5]}"#.into()),
                ("index.html", String::new()),
                ("load-office.svg", "<svg/>".into()),
            ],
        );
        let memory = serde_json::json!({"strategies": [
            {"days": [1, 2, 3, 4]}, {"days": [1]}
        ]});
        run(
            &base.join("memory"),
            "2026-11-27-x-235500",
            &[
                ("env.json", env("2026-11-27T23:55:00Z")),
                ("memory.json", memory.to_string()),
                ("memory.md", "# m".into()),
                ("summary.json", r#"{"rows": []}"#.into()),
            ],
        );
        run(
            &base.join("primitives"),
            "2026-11-27-x-234629",
            &[
                ("env.json", env("2026-11-27T23:46:29Z")),
                ("primitives.json", r#"{"rows": [1, 2, 3]}"#.into()),
                ("primitives.md", "# p".into()),
            ],
        );
        let cases = [
            (
                "capacity",
                "# Capacity results",
                "capacity.md",
                "2026-12-07-x-141411",
                "| 2 (5) |",
            ),
            (
                "memory",
                "# Memory results",
                "memory.md",
                "2026-11-27-x-235500",
                "| 2 (5) |",
            ),
            (
                "primitives",
                "# Primitives results",
                "primitives.md",
                "2026-11-27-x-234629",
                "| 3 |",
            ),
        ];
        for (dir, title, main, name, count) in cases {
            let b = base.join(dir);
            let kind = Collection::of_base(&b).expect("a run folder");
            assert_eq!(kind.main_file(), main);
            let text = index(&b, kind).unwrap();
            assert!(text.starts_with(&format!("{title}\n")), "{text}");
            assert!(text.contains(&format!("(latest/{main})")), "{text}");
            assert!(
                text.contains(&format!("Newest run: [`{name}`]({name}/{main})")),
                "{text}"
            );
            let l = line(&text, name);
            assert!(l.starts_with(&format!("| [{name}]({name}/{main})")), "{l}");
            assert!(l.ends_with(count), "{l}");
            for foreign in ["trace", "prediction", "sweeps"] {
                assert!(!text.contains(foreign), "{dir} talks of {foreign}:\n{text}");
            }
        }
        let cap = index(&base.join("capacity"), Collection::Capacity).unwrap();
        assert!(cap.contains("![load-office.svg](2026-12-07-x-141411/load-office.svg)"));
        assert!(cap.contains("**Report page:**"), "{cap}");
    }

    #[test]
    fn a_folder_written_gets_the_index_of_its_kind() {
        let base = tmpdir("written");
        let files = [
            Output::new("env.json", env("2026-11-27T23:46:29Z"), Kind::Environment),
            Output::new(
                "primitives.json",
                r#"{"rows": [1]}"#,
                Kind::Primitives(crate::exporter::Format::Json),
            ),
            Output::new(
                "primitives.md",
                "# p",
                Kind::Primitives(crate::exporter::Format::Markdown),
            ),
        ];
        assert_eq!(Collection::of_files(&files), Collection::Primitives);
        let dir = write_folder(&base, &files).unwrap();
        let text = std::fs::read_to_string(base.join("README.md")).unwrap();
        assert!(text.starts_with("# Primitives results\n"), "{text}");
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        assert!(line(&text, &name).ends_with("| 1 |"), "{text}");
        refresh_index(&base).unwrap();
        assert_eq!(
            std::fs::read_to_string(base.join("README.md")).unwrap(),
            text
        );
    }

    /// Prints the index a results base folder would get: `INDEX_OF=results/capacity cargo test
    /// -p report --lib output::tests::print -- --ignored --nocapture` (writes nothing).
    #[test]
    #[ignore = "reads a results base folder named by INDEX_OF"]
    fn print() {
        let base = PathBuf::from(std::env::var("INDEX_OF").expect("INDEX_OF"));
        let kind = Collection::of_base(&base).expect("a run folder");
        eprintln!("{}", index(&base, kind).unwrap());
    }
}
