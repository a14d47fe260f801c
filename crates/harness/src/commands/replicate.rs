//! `harness replicate OLD NEW`: whether the compare in results folder NEW repeats the claims of
//! the one in OLD (`analysis::replicate`), as markdown on stdout (`report::export::replication`),
//! also into `--out FILE` and README's `replicate` section with `--readme FILE`. Exit 0 when
//! nothing was contradicted and no verdict answer flipped yes ↔ no, 1 otherwise (or when a file
//! could not be written), 2 on bad input — checked before anything is written.
#![allow(clippy::print_stdout)] // the command line's own output

use super::run_error;
use analysis::claims::Claims;
use analysis::verdict::Verdict;
use clap::Args;
use lab::plan::Usage;
use report::export::replication::{self, Source};
use serde::Deserialize as _;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// README's markers around the replication (`report::output::replace_section`'s form).
const SECTION: &str = "replicate";

/// The arguments, as clap parses them.
#[derive(Args, Debug)]
pub struct ReplicateArgs {
    /// The earlier results folder (written by `harness compare`), whose claims are checked.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The later results folder, which should repeat them.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Also write the markdown to this file.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also replace the text between `<!-- replicate:begin -->` and `<!-- replicate:end -->`
    /// in this README.
    #[arg(long, value_name = "FILE")]
    pub readme: Option<PathBuf>,
}

/// One results folder, read.
struct Folder {
    claims: Claims,
    verdicts: Vec<Verdict>,
    source: Source,
}

/// Reads `dir`'s `summary.json` (its claims and verdict) and `env.json` (else the summary's
/// `env`).
fn load(dir: &Path) -> Result<Folder, Usage> {
    let summary = dir.join("summary.json");
    if !dir.is_dir() {
        return Err(Usage(format!(
            "invalid results folder {}: no such folder (give two folders written by harness \
             compare, e.g. results/<run> results/latest)",
            dir.display()
        )));
    }
    let text = std::fs::read_to_string(&summary).map_err(|e| {
        Usage(format!(
            "cannot read {}: {e} (give two folders written by harness compare)",
            summary.display()
        ))
    })?;
    let invalid = |why: String| Usage(format!("invalid {}: {why}", summary.display()));
    let doc: Value = serde_json::from_str(&text).map_err(|e| invalid(format!("not JSON: {e}")))?;
    let claims = match doc.get("claims") {
        None | Some(Value::Null) => {
            return Err(Usage(format!(
                "{} has no claims (written before claims were recorded; rerun harness compare)",
                summary.display()
            )));
        }
        Some(c) => Claims::deserialize(c).map_err(|e| invalid(format!("claims: {e}")))?,
    };
    let verdicts = match doc.get("verdict") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => Vec::<Verdict>::deserialize(v).map_err(|e| invalid(format!("verdict: {e}")))?,
    };
    let env = std::fs::read_to_string(dir.join("env.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .unwrap_or_else(|| doc.get("env").cloned().unwrap_or(Value::Null));
    Ok(Folder {
        claims,
        verdicts,
        source: Source::from_env(dir.display().to_string(), &env),
    })
}

/// Bad `--readme` or `--out` before anything is written.
fn check_files(a: &ReplicateArgs) -> Result<(), Usage> {
    if let Some(readme) = &a.readme {
        super::check_readme(readme, SECTION)?;
    }
    if let Some(out) = &a.out {
        let parent = out.parent().filter(|p| !p.as_os_str().is_empty());
        if out.is_dir() || parent.is_some_and(|p| !p.is_dir()) {
            return Err(Usage(format!(
                "invalid --out {}: not a file in an existing folder",
                out.display()
            )));
        }
    }
    Ok(())
}

pub fn replicate(a: &ReplicateArgs) -> Result<ExitCode, Usage> {
    let old = load(&a.old)?;
    let new = load(&a.new)?;
    check_files(a)?;
    let r = analysis::replicate::replicate(&old.claims, &new.claims, &old.verdicts, &new.verdicts);
    let md = replication::markdown(&r, &old.source, &new.source);
    print!("{md}");
    if let Some(out) = &a.out
        && let Err(e) = report::output::write_atomic(out, md.as_bytes())
    {
        return Ok(run_error(&e));
    }
    if let Some(readme) = &a.readme {
        let section = replication::section(&r, &old.source, &new.source, "###");
        if let Err(e) = report::output::replace_section(readme, SECTION, &section) {
            return Ok(run_error(&e));
        }
    }
    if r.ok() {
        return Ok(ExitCode::SUCCESS);
    }
    let c = &r.counts;
    let mut why = Vec::new();
    if c.contradicted > 0 {
        why.push(format!("{} of OLD's claims contradicted", c.contradicted));
    }
    if c.flipped > 0 {
        why.push(format!(
            "{} verdict answer{} flipped yes ↔ no",
            c.flipped,
            if c.flipped == 1 { "" } else { "s" }
        ));
    }
    eprintln!(
        "not replicated: {} ({} against {})",
        why.join(", "),
        a.new.display(),
        a.old.display()
    );
    Ok(ExitCode::from(1))
}
