//! The check that an `input_token` field (or the `offset` or `page_number` field, P4, P5) can
//! be left out of the first request.
//!
//! L1: without a starting token, the token values the caller's request serializes are sent on
//! the first call. A field that is always serialized therefore sends a "token" before any page
//! has given one: `marker: String` sends `"Marker": ""`, `page: u32` sends `"Page": 0`, and many
//! services refuse an empty marker or read `0` as a position. The field must be able to be
//! absent: an `Option` (which serde sends as `null`, or not at all with
//! `skip_serializing_if = "Option::is_none"`), or any type with a `skip_serializing_if`.
//!
//! Only types that are *plainly* not an `Option` are refused, so that the check never fires
//! on a field that is fine:
//! - strings, numbers, `bool`, `Vec`, slices, and those behind `&`, `Box`, `Rc`, `Arc`, `Cow`,
//!   written as the bare name or by their `std`/`core`/`alloc` path;
//! - not a type the derive cannot see through: a type alias (`type Marker = Option<String>`),
//!   a generic parameter of the struct, any other path (`my::String`), a user's own type;
//! - not a field with `skip_serializing_if`, `serialize_with` or `with`: what is sent is then up
//!   to the user's function, not to the field's type.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;
use syn::{GenericArgument, LitStr, PathArguments, Type};

use crate::ast::{Field, Input};
use crate::ctxt::Ctxt;
use crate::symbol::{OFFSET, PAGE_NUMBER};

/// Reports `field`, named by `key = lit` (`input_token`, `offset`, `page_number`), if it is
/// always serialized; `false` then.
pub(crate) fn can_be_absent(
    ctxt: &Ctxt,
    input: &Input<'_>,
    key: &str,
    lit: &LitStr,
    field: &Field<'_>,
) -> bool {
    if field.skipped_if || field.serialized_with {
        return true;
    }
    let params: Vec<String> = input
        .original
        .generics
        .type_params()
        .map(|p| p.ident.to_string())
        .collect();
    let Some(default) = always_sent(field.ty, &params) else {
        return true;
    };
    let ty = show(field.ty.to_token_stream());
    let name = lit.value();
    // What sending the field's default instead of nothing loses.
    let instead = match key {
        OFFSET => "instead of the first offset (`first`, 0 unless told otherwise)".to_owned(),
        PAGE_NUMBER => {
            "instead of the first page number (`first`, 1 unless told otherwise)".to_owned()
        }
        _ => "before any page gave a token".to_owned(),
    };
    // `new_spanned` underlines the whole type (`&'a str`), not only its first token.
    ctxt.syn_error(syn::Error::new_spanned(
        field.ty,
        format!(
            "`{key} = \"{name}\"` names field `{ident}` of type `{ty}`, which is always \
             serialized, so the first request would send `\"{name}\": {default}` {instead}: \
             make it `Option<{ty}>` with `#[serde(skip_serializing_if = \"Option::is_none\")]`, \
             or add a `skip_serializing_if` to the field",
            ident = field.ident,
        ),
    ));
    false
}

/// The JSON a default value of `ty` serializes to, when `ty` is plainly not an `Option`;
/// `None` when it may be one, or the derive cannot tell.
fn always_sent(ty: &Type, params: &[String]) -> Option<&'static str> {
    match ty {
        Type::Reference(r) => always_sent(&r.elem, params),
        Type::Group(g) => always_sent(&g.elem, params),
        Type::Paren(p) => always_sent(&p.elem, params),
        Type::Slice(_) => Some("[]"),
        Type::Path(p) if p.qself.is_none() => {
            let segments: Vec<_> = p.path.segments.iter().collect();
            let (last, prefix) = segments.split_last()?;
            // A bare name, or a path into the standard library; anything else may be an alias.
            let from_std = match prefix.first() {
                None => p.path.leading_colon.is_none(),
                Some(first) => ["std", "core", "alloc"].iter().any(|s| first.ident == s),
            };
            let name = last.ident.to_string();
            if !from_std || (prefix.is_empty() && params.contains(&name)) {
                return None;
            }
            match name.as_str() {
                "String" | "str" => Some("\"\""),
                "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64"
                | "i128" | "isize" => Some("0"),
                "f32" | "f64" => Some("0.0"),
                "bool" => Some("false"),
                "Vec" | "VecDeque" => Some("[]"),
                // Pointers serialize as what they point to; `Cow<'a, str>` has a lifetime first.
                "Box" | "Rc" | "Arc" | "Cow" => match &last.arguments {
                    PathArguments::AngleBracketed(args) => {
                        args.args.iter().find_map(|arg| match arg {
                            GenericArgument::Type(inner) => always_sent(inner, params),
                            _ => None,
                        })
                    }
                    _ => None,
                },
                _ => None,
            }
        }
        _ => None,
    }
}

/// A type as the user wrote it, without the spaces `TokenStream`'s `Display` puts between
/// tokens: `&'a str`, `Vec<u8>`, `std::string::String`.
fn show(tokens: TokenStream) -> String {
    let mut out = String::new();
    for tree in tokens {
        match tree {
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::None => ("", ""),
                };
                // `&'a [T]`, `mut [T]`; but `Fn()` stays glued.
                if g.delimiter() == Delimiter::Bracket
                    && out.ends_with(|c: char| c.is_alphanumeric() || c == '_')
                {
                    out.push(' ');
                }
                out.push_str(open);
                out.push_str(&show(g.stream()));
                out.push_str(close);
            }
            TokenTree::Punct(p) => {
                let c = p.as_char();
                if c == '\'' {
                    // A lifetime's quote: glued to its name, spaced from what came before.
                    if !out.is_empty() && !out.ends_with(['&', '<', '(', '[']) {
                        out.push(' ');
                    }
                    out.push(c);
                    continue;
                }
                out.push(c);
                if matches!(c, ',' | ';') {
                    out.push(' ');
                }
            }
            TokenTree::Ident(i) => {
                let word = i.to_string();
                if out.ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ')') {
                    out.push(' ');
                }
                out.push_str(&word);
            }
            TokenTree::Literal(l) => out.push_str(&l.to_string()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{always_sent, show};
    use quote::ToTokens;

    fn sent(ty: &str) -> Option<&'static str> {
        let ty: syn::Type = syn::parse_str(ty).unwrap();
        always_sent(&ty, &["T".to_owned()])
    }

    #[test]
    fn plainly_not_an_option_is_refused_with_what_it_sends() {
        for (ty, json) in [
            ("String", "\"\""),
            ("std::string::String", "\"\""),
            ("::std::string::String", "\"\""),
            ("alloc::string::String", "\"\""),
            ("&'a str", "\"\""),
            ("&'static mut String", "\"\""),
            ("Box<str>", "\"\""),
            ("std::borrow::Cow<'a, str>", "\"\""),
            ("std::sync::Arc<String>", "\"\""),
            ("u32", "0"),
            ("i64", "0"),
            ("usize", "0"),
            ("core::primitive::u8", "0"),
            ("f64", "0.0"),
            ("bool", "false"),
            ("Vec<u8>", "[]"),
            ("&'a [String]", "[]"),
            ("(String)", "\"\""),
        ] {
            assert_eq!(sent(ty), Some(json), "{ty}");
        }
    }

    #[test]
    fn what_may_be_an_option_is_accepted() {
        for ty in [
            "Option<String>",
            "std::option::Option<u32>",
            "&'a Option<String>",
            "Box<Option<String>>",
            "Cow<'a, Option<str>>",
            // An alias, a generic parameter, a path outside std, a user's type, a JSON value.
            "Marker",
            "T",
            "wire::String",
            "crate::String",
            "::wire::String",
            "Token<String>",
            "serde_json::Value",
            "[u8; 4]",
            "()",
            "(String, String)",
            "<T as Tr>::String",
            "Box<dyn Fn()>",
        ] {
            assert_eq!(sent(ty), None, "{ty}");
        }
    }

    #[test]
    fn a_generic_parameter_named_like_a_std_type_is_not_taken_for_it() {
        let ty: syn::Type = syn::parse_str("String").unwrap();
        assert_eq!(always_sent(&ty, &["String".to_owned()]), None);
        let ty: syn::Type = syn::parse_str("std::string::String").unwrap();
        assert_eq!(always_sent(&ty, &["String".to_owned()]), Some("\"\""));
    }

    #[test]
    fn types_are_shown_as_written() {
        for ty in [
            "String",
            "&'a str",
            "&'static mut String",
            "std::borrow::Cow<'a, str>",
            "Vec<u8>",
            "&'a [String]",
            "::std::string::String",
            "[u8; 4]",
        ] {
            let parsed: syn::Type = syn::parse_str(ty).unwrap();
            assert_eq!(show(parsed.to_token_stream()), ty);
        }
    }
}
