//! What each subcommand does once its arguments are parsed, one file per subcommand: ask the
//! lab's plan what to run, calibrate, run it, analyse, write the results folder, print the
//! terminal's summary. The exit code says how it went: 0, 1 (a failed row or an I/O error), 2
//! (bad input), 130 (Ctrl-C).

mod answers;
mod capacity;
mod compare;
mod index;
mod memory;
mod primitives;
mod replicate;
mod run;
mod soak;

pub use answers::{AnswersArgs, answers};
pub use capacity::{CapacityArgs, capacity};
pub use compare::{CompareArgs, compare};
pub use index::{IndexArgs, index};
pub use memory::{MemoryArgs, memory};
pub use primitives::{PrimitivesArgs, primitives};
pub use replicate::{ReplicateArgs, replicate};
pub use run::{RunArgs, run};
pub use soak::{SoakArgs, soak};

use lab::plan::Usage;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The flag Ctrl-C sets: a sweep stops cleanly between days, keeping what was done.
pub(crate) fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let f = flag.clone();
    if let Err(e) = ctrlc::set_handler(move || f.store(true, Ordering::SeqCst)) {
        eprintln!("note: Ctrl-C will not stop the sweep cleanly: {e}");
    }
    flag
}

/// This machine's ns per work unit (~1 s to measure, pinned to one CPU:
/// `lab::noise::calibrate_pinned`) and the plan made at it. The request was checked first
/// (planned at the reference calibration), so bad input fails before the wait.
pub(crate) fn calibrated<P>(
    plan: impl Fn(Option<f64>) -> Result<P, Usage>,
) -> Result<(f64, P), Usage> {
    let ns = lab::noise::calibrate_pinned();
    Ok((ns, plan(Some(ns))?))
}

/// A run that could not finish (a folder not written, a day not started): the error on
/// stderr, exit code 1.
pub(crate) fn run_error(e: &anyhow::Error) -> ExitCode {
    eprintln!("error: {e:#}");
    ExitCode::from(1)
}

/// `target` as a link from a file in `from_dir` (both made absolute): `results/x` from the
/// repository root, `../results/x` from `docs/`.
fn relative_link(from_dir: &std::path::Path, target: &std::path::Path) -> String {
    let abs = |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (from, to) = (abs(from_dir), abs(target));
    let f: Vec<std::path::Component> = from.components().collect();
    let t: Vec<std::path::Component> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); f.len() - common];
    parts.extend(
        t[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

/// A `--readme FILE` that can take section `name`: a readable file holding both markers,
/// checked before anything runs (bad input is a one-line error, nothing half-written).
pub(crate) fn check_readme(readme: &std::path::Path, name: &str) -> Result<(), Usage> {
    let (begin, end) = (
        format!("<!-- {name}:begin -->"),
        format!("<!-- {name}:end -->"),
    );
    let text = std::fs::read_to_string(readme).map_err(|e| {
        Usage(format!(
            "invalid --readme {}: {e} (give a markdown file with {begin} and {end} markers)",
            readme.display()
        ))
    })?;
    for m in [&begin, &end] {
        if !text.contains(m.as_str()) {
            return Err(Usage(format!(
                "invalid --readme {}: no {m} marker (the section goes between {begin} and {end})",
                readme.display()
            )));
        }
    }
    Ok(())
}

/// `target` as a link from the markdown file `readme` (`None`: from the current folder), for
/// the sections the commands write into README and `docs/`.
pub(crate) fn readme_link(readme: Option<&std::path::Path>, target: &std::path::Path) -> String {
    let from = readme
        .and_then(std::path::Path::parent)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| std::path::Path::new("."));
    relative_link(from, target)
}
