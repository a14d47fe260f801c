//! The report page, `index.html`, of a results folder written from the fixture sweep: it loads
//! nothing from beyond its folder (no script, no stylesheet or font file; every plot shown from
//! its own `.svg` file in the folder, never a second copy inline), links every `.hgrm` and trace
//! file, and — in a real browser, headless Chromium — loads without console errors, renders to
//! a non-trivial screenshot and has every plot in its DOM. Without a `chromium` on PATH (`.ci/run`
//! installs Debian's where it can) the browser part prints why and is skipped; the static checks
//! always run.

use lab::fixtures::sample_results;
use report::output::write_results;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn tmpdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("secretary-report-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("tmp dir");
    d
}

/// A results folder from the fixture sweep, and its file names.
fn folder(tag: &str) -> (PathBuf, Vec<String>) {
    let base = tmpdir(tag);
    let dir = write_results(&base, &analysis::analyse(sample_results())).expect("write results");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().into_string().expect("utf-8"))
        .collect();
    names.sort();
    (dir, names)
}

fn count(names: &[String], suffix: &str) -> usize {
    names.iter().filter(|n| n.ends_with(suffix)).count()
}

#[test]
fn the_page_is_self_contained_and_links_every_file() {
    let (dir, names) = folder("static");
    let html = std::fs::read_to_string(dir.join("index.html")).expect("index.html written");
    assert!(html.starts_with("<!DOCTYPE html>"));
    let svgs = count(&names, ".svg");
    assert!(svgs >= 5, "the fixture has plots: {names:?}");
    assert_eq!(html.matches("<svg").count(), 0, "no plot inline");
    assert_eq!(
        html.matches("<img ").count(),
        svgs,
        "every plot shown, once"
    );
    for f in names.iter().filter(|n| n.ends_with(".svg")) {
        assert!(html.contains(&format!("<img src=\"{f}\"")), "{f} not shown");
    }
    // Every source the page loads is a file of its folder.
    for src in html
        .split("src=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
    {
        assert!(names.iter().any(|n| n == src), "{src} is not in the folder");
    }
    for f in names
        .iter()
        .filter(|n| n.ends_with(".hgrm") || n.starts_with("trace-") || n.ends_with(".svg"))
    {
        assert!(html.contains(&format!("href=\"{f}\"")), "{f} not linked");
    }
    assert!(count(&names, ".json.gz") >= 2, "traces written: {names:?}");
    for banned in [
        "<script",
        "<link",
        "<iframe",
        "<object",
        "url(",
        "@import",
        "@font-face",
    ] {
        assert!(
            !html.contains(banned),
            "the page must load nothing: found {banned}"
        );
    }
    for section in [
        "Contents",
        "Findings",
        "Pictures",
        "Traces",
        "Environment",
        "office",
    ] {
        assert!(html.contains(section), "no {section}");
    }
    // Every in-page link has its target.
    for id in html
        .split("href=\"#")
        .skip(1)
        .filter_map(|s| s.split('"').next())
    {
        assert!(
            html.contains(&format!("id=\"{id}\"")),
            "#{id} has no target"
        );
    }
}

/// `chromium`, if installed.
fn chromium() -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("chromium"))
            .find(|c| c.is_file())
    })
}

/// Runs headless Chromium on `url` with `extra` flags; stdout and stderr, or why it failed.
fn headless(bin: &Path, profile: &Path, url: &str, extra: &[String]) -> (String, String) {
    let out = std::env::temp_dir().join(format!(
        "secretary-report-chromium-{}-{}.out",
        std::process::id(),
        extra.len()
    ));
    let err = out.with_extension("err");
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).expect("stdout file"))
        .stderr(std::fs::File::create(&err).expect("stderr file"))
        .spawn()
        .expect("start chromium");
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let text = |p: &Path| {
                String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned()
            };
            let (o, e) = (text(&out), text(&err));
            assert!(status.success(), "chromium failed ({status}):\n{e}");
            return (o, e);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 120 s on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Console messages in Chromium's log: a page without scripts has none, so any is a failure
/// (this Chromium logs `console.error` as `INFO:CONSOLE`, others as `ERROR:CONSOLE`).
fn console_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .collect()
}

/// Width and height of a PNG, from its header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().expect("4 bytes"));
    (be(16), be(20))
}

#[test]
fn the_page_renders_in_headless_chromium() {
    let Some(bin) = chromium() else {
        eprintln!(
            "skipped: no `chromium` on PATH (Debian: apt-get install chromium; .ci/run installs it when it can)"
        );
        return;
    };
    let (dir, names) = folder("browser");
    let work = tmpdir("chromium");
    let url = format!("file://{}", dir.join("index.html").display());

    // The console check catches what it is meant to: a page that logs an error and throws.
    let bad = work.join("bad.html");
    std::fs::write(
        &bad,
        "<!DOCTYPE html><p>x</p><script>console.error('boom'); throw new Error('boom');</script>",
    )
    .expect("write bad page");
    let (_, e) = headless(
        &bin,
        &work.join("profile-bad"),
        &format!("file://{}", bad.display()),
        &["--dump-dom".to_owned()],
    );
    assert!(
        !console_lines(&e).is_empty(),
        "this Chromium's log does not show console errors, so the check below would prove nothing:\n{e}"
    );

    let (dom, e) = headless(
        &bin,
        &work.join("profile-dom"),
        &url,
        &["--dump-dom".to_owned()],
    );
    assert_eq!(console_lines(&e), Vec::<&str>::new(), "console messages");
    assert_eq!(
        dom.matches("<img src=").count(),
        count(&names, ".svg"),
        "every plot in the DOM"
    );
    assert!(dom.contains("id=\"contents\""), "the table of contents");

    let png = work.join("report.png");
    let (_, e) = headless(
        &bin,
        &work.join("profile-png"),
        &url,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1280,2400".to_owned(),
        ],
    );
    assert_eq!(console_lines(&e), Vec::<&str>::new(), "console messages");
    let bytes = std::fs::read(&png).expect("screenshot written");
    assert_eq!(png_size(&bytes), (1280, 2400));
    // A blank 1280×2400 page compresses to a few KiB; text, tables and plots do not.
    assert!(
        bytes.len() > 60_000,
        "screenshot only {} bytes",
        bytes.len()
    );
    eprintln!("screenshot: {}", png.display());
}
