//! Finds the strategies: every executable named `strategy-<name>` next to the harness binary
//! (cargo puts all of a workspace's binaries in one folder, and `scripts/bundle.sh` copies
//! them together for machines without a toolchain). Adding a crate folder whose package is
//! called `strategy-<name>` is the whole registration.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use workload::Arrangement;
use workload::entry::Declaration;

/// The prefix that makes a binary a strategy.
pub const PREFIX: &str = "strategy-";

/// A strategy binary found on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Strategy {
    /// Name without the prefix, e.g. `threads`.
    pub name: String,
    /// Path of the executable.
    pub bin: PathBuf,
    /// What it declares itself to be (`strategy-<name> --declare`); `None`: undeclared (it
    /// still runs; the theory and the default sweeps then leave it out).
    pub arrangement: Option<Arrangement>,
}

impl Strategy {
    /// Its plain cell of `scenario` on `cores` over simulated lines.
    #[must_use]
    pub fn cell(&self, scenario: workload::Scenario, cores: usize) -> crate::row::CellKey {
        crate::row::CellKey {
            arrangement: self.arrangement,
            ..crate::row::CellKey::new(&self.name, scenario, cores)
        }
    }

    /// The arrangement in words, or `undeclared`.
    #[must_use]
    pub fn arrangement_text(&self) -> String {
        self.arrangement
            .map_or_else(|| "undeclared".to_owned(), |a| a.describe())
    }
}

/// How long a binary may take to print its declaration.
const DECLARE_TIMEOUT: Duration = Duration::from_secs(2);

/// Asks `bin --declare` what it is. Anything but one valid declaration line within
/// [`DECLARE_TIMEOUT`] (an old binary, a crash, a hang, garbage) means undeclared.
#[must_use]
pub fn declared(bin: &Path) -> Option<Arrangement> {
    let mut child = Command::new(bin)
        .arg("--declare")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => break,
            Ok(None) if start.elapsed() < DECLARE_TIMEOUT => {
                std::thread::sleep(Duration::from_millis(5));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
    let out = std::io::read_to_string(child.stdout.take()?).ok()?;
    let d: Declaration = serde_json::from_str(out.lines().next()?).ok()?;
    Some(d.arrangement)
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    p.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Strategies in `dir`, sorted by name. Files with an extension (`.d`, `.rlib`, ...) are
/// build by-products, not strategies.
#[must_use]
pub fn in_dir(dir: &Path) -> Vec<Strategy> {
    let mut v: Vec<Strategy> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let file = e.file_name().into_string().ok()?;
            let name = file.strip_prefix(PREFIX)?;
            let bin = e.path();
            (!name.is_empty() && !name.contains('.') && is_executable(&bin)).then(|| Strategy {
                name: name.to_owned(),
                arrangement: declared(&bin),
                bin,
            })
        })
        .collect();
    v.sort_by(|a, b| a.name.cmp(&b.name));
    v
}

/// The folder strategies are looked up in: `$SECRETARY_BIN_DIR` if set, else the folder of
/// the running harness executable.
#[must_use]
pub fn default_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("SECRETARY_BIN_DIR") {
        return PathBuf::from(d);
    }
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The `caller` binary that plays the callers over real lines: beside `strategy_bin`, else
/// beside the running harness.
#[must_use]
pub fn caller_bin(strategy_bin: &Path) -> Option<PathBuf> {
    let beside_harness = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join("caller")));
    strategy_bin
        .parent()
        .map(|d| d.join("caller"))
        .into_iter()
        .chain(beside_harness)
        .find(|p| p.is_file())
}

/// The preferred display order: the five the project was designed around first, then the
/// rest alphabetically.
#[must_use]
pub fn ordered(mut v: Vec<Strategy>) -> Vec<Strategy> {
    const FIRST: [&str; 5] = ["sequential", "threads", "green", "async-std", "rayon"];
    v.sort_by_key(|s| {
        (
            FIRST
                .iter()
                .position(|f| *f == s.name)
                .unwrap_or(FIRST.len()),
            s.name.clone(),
        )
    });
    v
}
