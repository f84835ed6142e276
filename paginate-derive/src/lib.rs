//! The derive macro behind `paginate_core::Paginated`; use it through `paginate-core`, whose
//! documentation describes every attribute.
//!
//! Phases, one file each: `attr` (the `#[paginate]` grammar), `ast` (the struct and serde's
//! names for its fields), `valid` (cross-checks), `expand` (code generation that cannot fail),
//! `fallback` (errors plus a stub impl). Errors are collected in `ctxt` and reported together.

mod ast;
mod attr;
mod case;
mod ctxt;
mod expand;
mod fallback;
mod symbol;
mod valid;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Implements `paginate_core::Paginated`; see the documentation of `paginate_core::Paginated`.
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
