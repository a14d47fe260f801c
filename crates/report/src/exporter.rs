//! What an exporter is: the [`Exporter`] trait and the [`Output`] file it produces. The file
//! formats (`export/`) and the plots (`plot/`) both implement it and depend only on this
//! module, never on each other; the list of every exporter is
//! [`crate::output::all_exporters`], which writes their files. Also shared by both: safe file
//! name parts ([`file_part`]) and the stems that a timeline run's picture and trace share
//! ([`timeline_stems`]).

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
