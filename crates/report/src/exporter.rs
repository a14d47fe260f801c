//! What an exporter is: the [`Exporter`] trait and the [`Output`] file it produces, with the
//! [`Kind`] of file each is (declared where the file is made: the report page picks files by
//! kind, never by name). The file formats (`export/`) and the plots (`plot/`) both implement it
//! and depend only on this module (and on [`lab::select`]), never on each other: what both
//! need lives here — safe file name parts ([`file_part`]), the file of a scenario's plot
//! ([`scenario_plot_file`], made by `plot/` and linked from `capacity.md`) and the stems that a
//! timeline run's picture and trace share ([`timeline_stems`]). The list of every exporter is
//! [`crate::output::all_exporters`], which writes their files.

use analysis::Analysed;
use lab::row::TimelineRun;
use std::collections::BTreeSet;

/// One file to write into the results folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// File name inside the folder (no directories).
    pub file: String,
    /// Its content.
    pub bytes: Vec<u8>,
    /// What the file is, as declared by the exporter that made it.
    pub kind: Kind,
}

impl Output {
    /// The file `file` of kind `kind` holding `bytes`.
    #[must_use]
    pub fn new(file: impl Into<String>, bytes: impl Into<Vec<u8>>, kind: Kind) -> Output {
        Output {
            file: file.into(),
            bytes: bytes.into(),
            kind,
        }
    }
}

/// What a file of the results folder is. The report page decides from it (and from its typed
/// fields) which files to inline, link and in which order; nothing reads a file's name for that.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The run's environment, `env.json` (written by [`crate::output`], and by the harness for
    /// `harness primitives`).
    Environment,
    /// Every row's figures in one format: `summary.md`, `summary.csv`, `summary.json`.
    Summary(Format),
    /// One cell's pick-up percentile distribution, `<cell>.hgrm`.
    Histogram,
    /// One timeline run as a trace for the Perfetto UI, `trace-<stem>.json`.
    Trace,
    /// The capacity searches in one format: `capacity.{md,csv,json}`.
    Capacity(Format),
    /// Memory per call in flight in one format: `memory.{md,csv,json}`.
    Memory(Format),
    /// `harness primitives`' measurements in one format: `primitives.{md,csv,json}`.
    Primitives(Format),
    /// `harness soak`'s days and their summary: `soak.{md,json}`.
    Soak(Format),
    /// A picture (an SVG of `plot/`).
    Plot {
        /// Which picture.
        picture: Picture,
        /// The scenario it shows: its scenario for a scenario's picture and for one timeline
        /// run; `None` for the timelines of every run.
        scenario: Option<String>,
    },
    /// The report page, `index.html`.
    Page,
}

/// The format of a table file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    /// Markdown, `.md`.
    Markdown,
    /// Comma-separated values, `.csv`.
    Csv,
    /// JSON, `.json`.
    Json,
}

/// Which picture a [`Kind::Plot`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Picture {
    /// `timeline.svg`: every timeline run, one block each.
    Timelines,
    /// `timeline-<stem>.svg`: one timeline run.
    Timeline,
    /// `spectrum-<scenario>.svg`: pick-up latency by percentile.
    Spectrum,
    /// `p99-<scenario>.svg`: p99 pick-up and missed calls by strategy and cores.
    P99,
    /// `load-<scenario>.svg`: p99 wait against the offered load along each capacity search.
    Load,
    /// `scaling-<scenario>.svg`: capacity over the 1-core capacity against cores.
    Scaling,
    /// `memory-<scenario>.svg`: peak memory by strategy and cores (the call center).
    Memory,
}

impl Picture {
    /// The picture's name, the first part of its file names.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Picture::Timelines | Picture::Timeline => "timeline",
            Picture::Spectrum => "spectrum",
            Picture::P99 => "p99",
            Picture::Load => "load",
            Picture::Scaling => "scaling",
            Picture::Memory => "memory",
        }
    }
}

/// Turns results into files.
pub trait Exporter {
    /// Short name, for error messages.
    fn name(&self) -> &'static str;
    /// The files this exporter produces.
    fn export(&self, results: &Analysed) -> anyhow::Result<Vec<Output>>;
    /// The files this exporter produces when the exporters listed before it produced
    /// `earlier`. Only the report page reads them (it inlines the plots and links every file,
    /// so it is listed last); every other exporter ignores them.
    fn export_after(&self, results: &Analysed, earlier: &[Output]) -> anyhow::Result<Vec<Output>> {
        let _ = earlier;
        self.export(results)
    }
}

/// `name` made safe for a file name: anything but ASCII letters, digits, `.`, `_` and `-`
/// becomes `-`.
#[must_use]
pub fn file_part(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() {
        "unnamed".to_owned()
    } else {
        s
    }
}

/// `<picture>-<scenario>.svg`: the file of `picture` for `scenario` (the scenario made safe with
/// [`file_part`]), e.g. `spectrum-office.svg`.
#[must_use]
pub fn scenario_plot_file(picture: Picture, scenario: &str) -> String {
    format!("{}-{}.svg", picture.name(), file_part(scenario))
}

/// `<scenario>-<strategy>-<cores>c` for each timeline run, in order, with `-2`, `-3`, ... where
/// two runs would share one: `timeline-<stem>.svg` and `trace-<stem>.json` are the same run.
#[must_use]
pub fn timeline_stems(runs: &[TimelineRun]) -> Vec<String> {
    let mut taken = BTreeSet::new();
    runs.iter()
        .map(|r| {
            let stem = format!(
                "{}-{}-{}c",
                file_part(&r.scenario),
                file_part(&r.strategy),
                r.cores
            );
            let mut name = stem.clone();
            let mut k = 2;
            while !taken.insert(name.clone()) {
                name = format!("{stem}-{k}");
                k += 1;
            }
            name
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_parts_are_safe() {
        assert_eq!(file_part("back office/2"), "back-office-2");
        assert_eq!(file_part(""), "unnamed");
        assert_eq!(
            scenario_plot_file(Picture::Scaling, "back office"),
            "scaling-back-office.svg"
        );
    }
}
