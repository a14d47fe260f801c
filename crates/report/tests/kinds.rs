//! The kinds of the results folder's files: every exporter declares what each file it makes
//! is ([`Kind`]), and the name agrees — the report page picks files by kind, never by name.

use lab::fixtures::sample_results;
use report::exporter::{Format, Kind, Picture, file_part, scenario_plot_file};

/// Every file of a results folder declares what it is, and its name agrees: the report page
/// picks files by kind, so a kind that lied would drop or misplace a file there.
#[test]
fn every_file_declares_its_kind() {
    let mut res = sample_results();
    res.capacity = Some(lab::fixtures::sample_capacity());
    let results = analysis::analyse(res);
    let mut files = vec![report::output::env_json(&results.env).expect("env.json")];
    for ex in report::output::all_exporters() {
        let made = ex
            .export_after(&results, &files)
            .expect("exporter succeeds");
        files.extend(made);
    }
    let ext = |f: Format| match f {
        Format::Markdown => "md",
        Format::Csv => "csv",
        Format::Json => "json",
    };
    for f in &files {
        let (stem, suffix) = f.file.rsplit_once('.').expect("a file extension");
        let (want_stem, want_suffix) = match &f.kind {
            Kind::Environment => (Some("env"), "json"),
            Kind::Summary(x) => (Some("summary"), ext(*x)),
            Kind::Capacity(x) => (Some("capacity"), ext(*x)),
            Kind::Memory(x) => (Some("memory"), ext(*x)),
            Kind::Primitives(x) => (Some("primitives"), ext(*x)),
            Kind::Soak(x) => (Some("soak"), ext(*x)),
            Kind::Histogram => (None, "hgrm"),
            Kind::Trace => (None, "gz"),
            Kind::Plot { .. } => (None, "svg"),
            Kind::Page => (Some("index"), "html"),
        };
        assert_eq!(suffix, want_suffix, "{}: {:?}", f.file, f.kind);
        if let Some(s) = want_stem {
            assert_eq!(stem, s, "{}: {:?}", f.file, f.kind);
        }
        match &f.kind {
            Kind::Trace => assert!(
                stem.starts_with("trace-") && stem.ends_with(".json"),
                "{}",
                f.file
            ),
            Kind::Plot {
                picture: Picture::Timelines,
                scenario,
            } => assert_eq!((f.file.as_str(), scenario), ("timeline.svg", &None)),
            Kind::Plot {
                picture: Picture::Timeline,
                scenario: Some(s),
            } => assert!(
                f.file.starts_with(&format!("timeline-{}-", file_part(s))),
                "{}",
                f.file
            ),
            Kind::Plot {
                picture,
                scenario: Some(s),
            } => assert_eq!(f.file, scenario_plot_file(*picture, s)),
            Kind::Plot { .. } => panic!("{}: a scenario's figure without a scenario", f.file),
            _ => {}
        }
    }
    // The fixture (with capacity) makes every kind but memory's and primitives'.
    let has = |k: &Kind| files.iter().any(|f| f.kind == *k);
    for k in [
        Kind::Environment,
        Kind::Summary(Format::Markdown),
        Kind::Summary(Format::Csv),
        Kind::Summary(Format::Json),
        Kind::Histogram,
        Kind::Trace,
        Kind::Capacity(Format::Markdown),
        Kind::Capacity(Format::Csv),
        Kind::Capacity(Format::Json),
        Kind::Page,
    ] {
        assert!(has(&k), "no {k:?}");
    }
    for figure in [
        Picture::Timelines,
        Picture::Timeline,
        Picture::Spectrum,
        Picture::P99,
        Picture::Load,
    ] {
        assert!(
            files
                .iter()
                .any(|f| matches!(&f.kind, Kind::Plot { picture: x, .. } if *x == figure)),
            "no {figure:?} plot"
        );
    }
}
