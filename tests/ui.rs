//! The compile-time checks of `#[derive(Paginated)]`, as the user sees them: every mistake in
//! `ui/fail` must fail with the recorded `.stderr`, every case in `ui/pass` must build and run.
//!
//! Compiler output changes between toolchains, so the `.stderr` files hold for the toolchain
//! recorded in `ui/TOOLCHAIN` only. On any other toolchain the suite is not run: it says so on
//! stderr and passes, so `cargo test --workspace` keeps working on the next Rust release. In CI
//! (`CI` set, as CI services do) or with `PAGINATE_UI=require` a mismatch fails instead, so the
//! suite cannot be skipped where it is meant to guard the diagnostics.
//!
//! Refresh with `TRYBUILD=overwrite cargo test -p paginate-tests --test ui` (which also records
//! the running toolchain), then review every `.stderr` diff.
//!
//! The toolchain is compared at run time with `rustc --version` rather than at compile time
//! with `rustversion`: it is the compiler trybuild is about to run (`$RUSTC`, else `rustc`), the
//! full version string (commit and date included) is compared, recording it is part of the
//! overwrite step, and no dependency is added.

use std::io::Write;
use std::path::Path;
use std::process::Command;

const CANNOT: &str = "the UI suite (tests/ui) cannot run: ";
const RECORD: &str = "TRYBUILD=overwrite cargo test -p paginate-tests --test ui";

#[test]
fn ui() {
    let pinned = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/TOOLCHAIN");
    let running = match rustc_version() {
        Ok(version) => version,
        Err(e) => panic!("{e}"),
    };
    if std::env::var_os("TRYBUILD").is_some_and(|v| v == "overwrite") {
        if let Err(e) = std::fs::write(&pinned, format!("{running}\n")) {
            panic!("cannot record the toolchain in {}: {e}", pinned.display());
        }
    } else {
        let recorded = match std::fs::read_to_string(&pinned) {
            Ok(text) => text.trim().to_owned(),
            Err(e) => panic!(
                "cannot read {}: {e}; record the suite with {RECORD}",
                pinned.display()
            ),
        };
        if recorded != running {
            let paginate_ui = std::env::var("PAGINATE_UI").ok();
            let ci = std::env::var("CI").ok();
            match mismatch(&recorded, &running, paginate_ui.as_deref(), ci.as_deref()) {
                Mismatch::Fail(message) => panic!("{message}"),
                Mismatch::Skip(message) => {
                    // Written to the process's stderr, not through `eprintln!`, which the test
                    // harness captures and hides for a passing test.
                    let _ = writeln!(std::io::stderr().lock(), "\n{message}\n");
                    return;
                }
            }
        }
    }

    let t = trybuild::TestCases::new();
    t.compile_fail("ui/fail/*.rs");
    t.pass("ui/pass/*.rs");
}

/// What a toolchain mismatch does.
#[derive(Debug, PartialEq)]
enum Mismatch {
    /// Say loudly that the suite is not run, and pass.
    Skip(String),
    /// Fail with this message.
    Fail(String),
}

/// A mismatch fails with `PAGINATE_UI=require` or in CI (`CI` set to anything but empty, `0`
/// or `false`), and is skipped otherwise. An unknown `PAGINATE_UI` value fails, so that a typo
/// cannot quietly skip the suite.
fn mismatch(
    recorded: &str,
    running: &str,
    paginate_ui: Option<&str>,
    ci: Option<&str>,
) -> Mismatch {
    let why = format!(
        "it was recorded with `{recorded}` but the running compiler is \
         `{running}`; compiler messages differ between toolchains, so its .stderr files cannot \
         be compared. Run it with the recorded toolchain {}, or re-record it with {RECORD} and \
         review every .stderr diff",
        run_with(recorded),
    );
    match paginate_ui {
        Some("require") => return Mismatch::Fail(format!("{CANNOT}{why} (PAGINATE_UI=require)")),
        Some(other) => {
            return Mismatch::Fail(format!(
                "PAGINATE_UI={other:?} is not understood (the one value is `require`); {CANNOT}{why}"
            ));
        }
        None => {}
    }
    if !matches!(ci.map(str::trim), None | Some("" | "0" | "false")) {
        return Mismatch::Fail(format!("{CANNOT}{why} (CI is set, so the suite must run)"));
    }
    Mismatch::Skip(format!(
        "warning: the UI suite (tests/ui) is NOT run: {why}. In CI, or with \
         PAGINATE_UI=require, this fails."
    ))
}

/// How to run the recorded toolchain: `cargo +1.95.0 …` for a stable release. A nightly's
/// rustup name is not its `--version` date (the build comes a day after the commit), so for
/// anything but a stable release only the version is given.
fn run_with(recorded: &str) -> String {
    match recorded.split_whitespace().nth(1) {
        Some(release) if release.split('.').all(|n| n.parse::<u32>().is_ok()) => {
            format!("(`cargo +{release} test -p paginate-tests --test ui`)")
        }
        _ => "(the one that prints that version)".to_owned(),
    }
}

/// `rustc --version` of the compiler cargo uses: `$RUSTC`, else `rustc`.
fn rustc_version() -> Result<String, String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let shown = rustc.to_string_lossy().into_owned();
    let out = Command::new(&rustc)
        .arg("--version")
        .output()
        .map_err(|e| format!("cannot run `{shown} --version`: {e}"))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(format!("`{shown} --version` failed: {}", stderr.trim()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

#[test]
fn the_hint_names_a_stable_toolchain_only() {
    assert_eq!(
        run_with("rustc 1.95.0 (59807616e 2026-04-14)"),
        "(`cargo +1.95.0 test -p paginate-tests --test ui`)"
    );
    assert_eq!(
        run_with("rustc 1.97.0-nightly (0123abcde 2026-05-02)"),
        "(the one that prints that version)"
    );
}

#[test]
fn a_mismatch_is_skipped_loudly_outside_ci() {
    let recorded = "rustc 1.95.0 (59807616e 2026-04-14)";
    let running = "rustc 1.96.0 (0123abcde 2026-05-28)";
    let Mismatch::Skip(message) = mismatch(recorded, running, None, None) else {
        panic!("a mismatch outside CI must be skipped");
    };
    assert!(
        message.starts_with("warning: the UI suite (tests/ui) is NOT run"),
        "{message}"
    );
    assert!(
        message.contains(recorded) && message.contains(running),
        "{message}"
    );
    assert!(message.contains(RECORD), "{message}");
    assert!(message.contains("cargo +1.95.0 test"), "{message}");
    assert!(matches!(
        mismatch(recorded, running, None, Some("false")),
        Mismatch::Skip(_)
    ));
    assert!(matches!(
        mismatch(recorded, running, None, Some("")),
        Mismatch::Skip(_)
    ));
}

#[test]
fn a_mismatch_fails_in_ci_or_when_required() {
    let recorded = "rustc 1.95.0 (59807616e 2026-04-14)";
    let running = "rustc 1.96.0 (0123abcde 2026-05-28)";
    for (paginate_ui, ci) in [
        (None, Some("true")),
        (None, Some("1")),
        (Some("require"), None),
    ] {
        let Mismatch::Fail(message) = mismatch(recorded, running, paginate_ui, ci) else {
            panic!("PAGINATE_UI={paginate_ui:?} CI={ci:?} must fail on a mismatch");
        };
        assert!(
            message.contains(recorded) && message.contains(running),
            "{message}"
        );
        assert!(message.contains(RECORD), "{message}");
    }
    let Mismatch::Fail(message) = mismatch(recorded, running, Some("requier"), None) else {
        panic!("a misspelt PAGINATE_UI must fail, not skip");
    };
    assert!(
        message.contains("\"requier\" is not understood"),
        "{message}"
    );
}
