//! The derive macro behind `paginated::Paginated`; use it through `paginated`, whose
//! documentation of the re-exported derive (`paginate-core/src/derive.md`) describes every
//! attribute.
//!
//! Phases, one file each: `attr` (the `#[paginate]` grammar), `ast` (the struct and serde's
//! names for its fields), `valid` (the checks of `paginated-rules`, shared with the model
//! builder, each problem put on the user's token, and the checks against the struct's fields;
//! `token_field` is the one on field types), `expand` (code generation that cannot fail),
//! `fallback` (errors plus a stub impl). Errors are collected in `ctxt` and reported together.

mod ast;
mod attr;
mod case;
mod ctxt;
mod expand;
mod fallback;
mod symbol;
mod token_field;
mod valid;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Generated code names `::paginated`: use this derive through `paginated`, which
/// re-exports it.
#[proc_macro_derive(Paginated, attributes(paginate))]
pub fn derive_paginated(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    derive(&input).into()
}

fn derive(input: &DeriveInput) -> proc_macro2::TokenStream {
    let ctxt = ctxt::Ctxt::default();
    let checked =
        ast::Input::from_syn(&ctxt, input).and_then(|parsed| valid::check(&ctxt, &parsed));
    match (ctxt.finish(), checked) {
        (Ok(()), Some(model)) => expand::expand(input, &model),
        (Err(errors), _) => fallback::expand(input, &errors),
        // Every path that gives no model reports why; this is only for safety.
        (Ok(()), None) => fallback::expand(
            input,
            &syn::Error::new(
                input.ident.span(),
                "#[derive(Paginated)] could not read this struct",
            ),
        ),
    }
}

/// Expansion snapshots: each `expand/NAME.input.rs` is expanded, pretty-printed and compared
/// with `expand/NAME.expanded.rs`. `PAGINATE_BLESS=1` rewrites the snapshots; review the diff.
#[cfg(test)]
mod snapshots {
    use std::path::Path;

    #[test]
    fn expansions_match_their_snapshots() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("expand");
        let bless = std::env::var_os("PAGINATE_BLESS").is_some();
        let mut inputs: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().ends_with(".input.rs"))
            .collect();
        inputs.sort();
        assert!(inputs.len() >= 4, "fixtures missing in {}", dir.display());
        let mut stale = Vec::new();
        for input in &inputs {
            let text = std::fs::read_to_string(input).unwrap();
            let parsed: syn::DeriveInput = syn::parse_str(&text).unwrap();
            let file: syn::File = syn::parse2(crate::derive(&parsed)).unwrap();
            let expanded = prettyplease::unparse(&file);
            let snapshot = input.to_string_lossy().replace(".input.rs", ".expanded.rs");
            if bless {
                std::fs::write(&snapshot, &expanded).unwrap();
            } else if std::fs::read_to_string(&snapshot).ok().as_deref() != Some(&expanded) {
                stale.push(format!("{snapshot}:\n{expanded}"));
            }
        }
        assert!(
            stale.is_empty(),
            "expansions differ from their snapshots (PAGINATE_BLESS=1 to rewrite, then review):\n{}",
            stale.join("\n")
        );
    }
}
