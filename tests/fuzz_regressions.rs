//! Every input the fuzzer kept (`fuzz/corpus/*`, minimized) replayed through the fuzz targets'
//! own harness, so what fuzzing once explored stays covered by `cargo test`. A crash the fuzzer
//! finds is fixed and its input added to the corpus.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../fuzz/harness.rs"]
mod harness;

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut n = 0;
    for entry in entries {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(outcome.is_ok(), "{} panicked", path.display());
        n += 1;
    }
    assert!(n > 0, "no corpus in {}", dir.display());
    n
}

#[test]
fn fuzz_corpus_token_decoding() {
    println!("{} token inputs", replay("token", harness::token));
}

#[test]
fn fuzz_corpus_model_loading() {
    println!("{} model inputs", replay("model", harness::model));
}

#[test]
fn fuzz_corpus_whole_runs() {
    println!("{} run inputs", replay("run", harness::run));
}

#[test]
fn fuzz_corpus_expressions() {
    // Deep inputs must be refused, not overflow: run on a tokio worker's 2 MiB stack.
    let n = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| replay("expr", harness::expr))
        .unwrap()
        .join()
        .unwrap();
    println!("{n} expression inputs");
}

#[test]
fn fuzz_corpus_body_runs() {
    println!("{} body inputs", replay("body", harness::body));
}

#[test]
fn fuzz_corpus_origins() {
    println!("{} origin inputs", replay("origin", harness::origin));
}
