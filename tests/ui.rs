//! The compile-time checks of `#[derive(Paginated)]`, as the user sees them: every mistake in
//! `ui/fail` must fail with the recorded `.stderr`, every case in `ui/pass` must build and run.
//!
//! Compiler output changes between toolchains, so the suite is pinned to the toolchain in
//! `ui/TOOLCHAIN`. Refresh with `TRYBUILD=overwrite cargo test -p paginate-tests --test ui`
//! (which also records the running toolchain), then review every `.stderr` diff.

use std::path::Path;
use std::process::Command;

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
        assert!(
            recorded == running,
            "the UI suite was recorded with `{recorded}`, running `{running}`: \
             re-record with {RECORD} and review every .stderr diff"
        );
    }

    let t = trybuild::TestCases::new();
    t.compile_fail("ui/fail/*.rs");
    t.pass("ui/pass/*.rs");
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
