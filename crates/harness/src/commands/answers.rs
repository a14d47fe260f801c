//! `harness answers --compare DIR [--second DIR] [--capacity DIR] [--memory DIR] [--readme
//! FILE]`: the essay's three questions answered from the reference runs
//! (`analysis::answers`), as markdown on stdout (`report::export::answers`), also between
//! `<!-- answers:begin -->` and `<!-- answers:end -->` in `--readme FILE`, its links relative
//! to that file. Every folder and the README are checked before anything is written: bad
//! input is exit 2; a file not written, 1.
#![allow(clippy::print_stdout)] // the command line's own output

use super::{readme_link, run_error};
use analysis::claims::Claims;
use analysis::verdict::Verdict;
use clap::Args;
use lab::capacity::Capacity;
use lab::memory::Memory;
use lab::plan::Usage;
use lab::row::Row;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// README's markers around the answers (`report::output::replace_section`'s form).
const SECTION: &str = "answers";

/// The arguments, as clap parses them.
#[derive(Args, Debug)]
pub struct AnswersArgs {
    /// The reference compare's results folder (written by `harness compare`).
    #[arg(long, value_name = "DIR")]
    pub compare: PathBuf,
    /// A second compare of the same commit (e.g. `compare --units-from` the first): how many
    /// of the first's claims it repeated.
    #[arg(long, value_name = "DIR")]
    pub second: Option<PathBuf>,
    /// A capacity results folder (written by `harness capacity`).
    #[arg(long, value_name = "DIR")]
    pub capacity: Option<PathBuf>,
    /// A memory results folder (written by `harness memory`).
    #[arg(long, value_name = "DIR")]
    pub memory: Option<PathBuf>,
    /// Also replace the text between `<!-- answers:begin -->` and `<!-- answers:end -->` in
    /// this markdown file.
    #[arg(long, value_name = "FILE")]
    pub readme: Option<PathBuf>,
}

/// One compare folder, read.
struct Compare {
    env: Value,
    rows: Vec<Row>,
    claims: Claims,
    verdicts: Vec<Verdict>,
}

fn read_json(path: &Path, what: &str) -> Result<Value, Usage> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Usage(format!("cannot read {}: {e} ({what})", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| Usage(format!("invalid {}: not JSON: {e}", path.display())))
}

fn field<T: DeserializeOwned>(doc: &Value, key: &str, path: &Path) -> Result<T, Usage> {
    match doc.get(key) {
        None | Some(Value::Null) => Err(Usage(format!(
            "invalid {}: no {key} (written by an older harness; rerun it)",
            path.display()
        ))),
        Some(v) => serde_json::from_value(v.clone())
            .map_err(|e| Usage(format!("invalid {}: {key}: {e}", path.display()))),
    }
}

/// `dir/env.json`, else `null`.
fn env_of(dir: &Path) -> Value {
    std::fs::read_to_string(dir.join("env.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null)
}

fn folder(dir: &Path, flag: &str, writer: &str) -> Result<(), Usage> {
    if dir.is_dir() {
        Ok(())
    } else {
        Err(Usage(format!(
            "invalid {flag} {}: no such folder (give a results folder written by {writer})",
            dir.display()
        )))
    }
}

fn load_compare(dir: &Path, flag: &str) -> Result<Compare, Usage> {
    folder(dir, flag, "harness compare")?;
    let path = dir.join("summary.json");
    let doc = read_json(&path, "give a folder written by harness compare")?;
    let mut env = env_of(dir);
    if env.is_null() {
        env = doc.get("env").cloned().unwrap_or(Value::Null);
    }
    Ok(Compare {
        rows: field(&doc, "rows", &path)?,
        claims: field(&doc, "claims", &path)?,
        verdicts: field(&doc, "verdict", &path)?,
        env,
    })
}

fn load_kind<T: DeserializeOwned>(
    dir: &Path,
    flag: &str,
    file: &str,
    writer: &str,
) -> Result<(T, Value), Usage> {
    folder(dir, flag, writer)?;
    let path = dir.join(file);
    let doc = read_json(&path, &format!("give a folder written by {writer}"))?;
    let v = serde_json::from_value(doc)
        .map_err(|e| Usage(format!("invalid {}: {e}", path.display())))?;
    Ok((v, env_of(dir)))
}

pub fn answers(a: &AnswersArgs) -> Result<ExitCode, Usage> {
    let first = load_compare(&a.compare, "--compare")?;
    let second = a
        .second
        .as_deref()
        .map(|d| load_compare(d, "--second"))
        .transpose()?;
    let capacity = a
        .capacity
        .as_deref()
        .map(|d| load_kind::<Capacity>(d, "--capacity", "capacity.json", "harness capacity"))
        .transpose()?;
    let memory = a
        .memory
        .as_deref()
        .map(|d| load_kind::<Memory>(d, "--memory", "memory.json", "harness memory"))
        .transpose()?;
    if let Some(r) = &a.readme {
        super::check_readme(r, SECTION)?;
    }
    let replication = second.as_ref().map(|s| {
        analysis::replicate::replicate(&first.claims, &s.claims, &first.verdicts, &s.verdicts)
    });
    // A capacity folder's figures as its run derived them, against its own core limit.
    let capacity = capacity.map(|(c, env)| {
        let limit = lab::core_limit::CoreLimit::from_env(&env);
        (analysis::capacity::derive(c, limit), env)
    });
    let name = |p: &Option<PathBuf>| p.as_ref().map(|p| p.display().to_string());
    let (compare_name, second_name) = (a.compare.display().to_string(), name(&a.second));
    let (capacity_name, memory_name) = (name(&a.capacity), name(&a.memory));
    let inputs = analysis::answers::Inputs {
        compare: analysis::answers::CompareRun {
            folder: &compare_name,
            env: &first.env,
            rows: &first.rows,
            claims: &first.claims,
        },
        replication: match (&second_name, &second, &replication) {
            (Some(n), Some(s), Some(r)) => Some((n.as_str(), &s.env, r)),
            _ => None,
        },
        second_rows: second.as_ref().map(|s| s.rows.as_slice()),
        capacity: match (&capacity_name, &capacity) {
            (Some(n), Some((c, env))) => Some((n.as_str(), env, c)),
            _ => None,
        },
        memory: match (&memory_name, &memory) {
            (Some(n), Some((m, env))) => Some((n.as_str(), env, m)),
            _ => None,
        },
    };
    let answers = analysis::answers::answers(&inputs);
    let link = |folder: &str| readme_link(a.readme.as_deref(), Path::new(folder));
    // The essay in one picture (the compare's `timeline-<scenario>-essay.svg`: one secretary
    // interleaving above two at work at once, the same ring); else its two timelines.
    let essay: Vec<String> = std::fs::read_dir(&a.compare)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|f| f.starts_with("timeline-") && f.ends_with("-essay.svg"))
        .take(1)
        .collect();
    let chosen: Vec<&str> = if essay.is_empty() {
        report::output::README_PLOTS[1..3]
            .iter()
            .copied()
            .filter(|p| a.compare.join(p).is_file())
            .collect()
    } else {
        essay.iter().map(String::as_str).collect()
    };
    let pictures: Vec<(String, String)> = chosen
        .iter()
        .map(|p| ((*p).to_owned(), format!("{}/{p}", link(&compare_name))))
        .collect();
    // The chapter that states the claims rule, where the README has it beside it (the project's
    // README: docs/reading-a-row.md).
    let dir = a
        .readme
        .as_deref()
        .and_then(Path::parent)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let rule = ["docs/reading-a-row.md", "reading-a-row.md"]
        .into_iter()
        .find(|f| dir.join(f).is_file())
        .map(|f| format!("{f}#claims"));
    let md = report::export::answers::markdown(&answers, link, rule.as_deref(), &pictures);
    print!("{md}");
    if let Some(readme) = &a.readme
        && let Err(e) = report::output::replace_section(readme, SECTION, &md)
    {
        return Ok(run_error(&e));
    }
    Ok(ExitCode::SUCCESS)
}
