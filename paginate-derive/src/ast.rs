//! The request struct as the derive sees it, borrowed from syn: its shape, its
//! `#[paginate(...)]` attributes and, for each field, the name serde serializes it under.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Attribute, Data, DeriveInput, Fields, Ident, LitStr, Type};

use crate::attr::Attrs;
use crate::case::RenameRule;
use crate::ctxt::Ctxt;
use crate::symbol::{
    FLATTEN, RENAME, RENAME_ALL, SERDE, SERIALIZE, SERIALIZE_WITH, SKIP, SKIP_SERIALIZING,
    SKIP_SERIALIZING_IF, WITH,
};

pub(crate) struct Input<'a> {
    pub(crate) original: &'a DeriveInput,
    pub(crate) attrs: Attrs,
    pub(crate) fields: Vec<Field<'a>>,
    /// A `#[serde(flatten)]` field adds names the derive cannot see.
    pub(crate) has_flatten: bool,
}

pub(crate) struct Field<'a> {
    /// The Rust name.
    pub(crate) ident: &'a Ident,
    /// The serialized name: after `rename` and the container's `rename_all`.
    pub(crate) name: String,
    pub(crate) ty: &'a Type,
    /// `#[serde(skip)]` or `#[serde(skip_serializing)]`: never sent.
    pub(crate) skipped: bool,
    /// `#[serde(skip_serializing_if = "...")]`: sent only when the user's predicate says so.
    pub(crate) skipped_if: bool,
    /// `#[serde(serialize_with = "...")]` or `#[serde(with = "...")]`: what is sent is up to
    /// the user's function, not the field's type.
    pub(crate) serialized_with: bool,
}

impl<'a> Input<'a> {
    /// Reads the struct; a shape the derive cannot take is reported and gives `None`.
    pub(crate) fn from_syn(ctxt: &Ctxt, input: &'a DeriveInput) -> Option<Input<'a>> {
        let attrs = Attrs::parse(ctxt, &input.attrs);
        let fields = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => &named.named,
                Fields::Unnamed(unnamed) => {
                    ctxt.error(
                        unnamed.span(),
                        "#[derive(Paginated)] needs a struct with named fields; tuple structs have no parameter names",
                    );
                    return None;
                }
                Fields::Unit => {
                    ctxt.error(
                        input.ident.span(),
                        "#[derive(Paginated)] needs a struct with named fields; a unit struct has no parameters to carry a token",
                    );
                    return None;
                }
            },
            Data::Enum(data) => {
                ctxt.error(
                    data.enum_token.span,
                    "#[derive(Paginated)] needs a struct with named fields, not an enum",
                );
                return None;
            }
            Data::Union(data) => {
                ctxt.error(
                    data.union_token.span,
                    "#[derive(Paginated)] needs a struct with named fields, not a union",
                );
                return None;
            }
        };
        let rename_all = container_rename_all(&input.attrs);
        let mut has_flatten = false;
        let fields = fields
            .iter()
            .filter_map(|f| {
                let ident = f.ident.as_ref()?;
                let serde = FieldSerde::parse(&f.attrs);
                has_flatten |= serde.flatten;
                let name = serde.rename.unwrap_or_else(|| {
                    let raw = ident.unraw().to_string();
                    rename_all.map_or(raw.clone(), |rule| rule.apply_to_field(&raw))
                });
                Some(Field {
                    ident,
                    name,
                    ty: &f.ty,
                    skipped: serde.skipped || serde.flatten,
                    skipped_if: serde.skipped_if,
                    serialized_with: serde.serialized_with,
                })
            })
            .collect();
        Some(Input {
            original: input,
            attrs,
            fields,
            has_flatten,
        })
    }

    /// Where to report something about the struct as a whole.
    pub(crate) fn span(&self) -> Span {
        self.attrs
            .first_attr
            .unwrap_or_else(|| self.original.ident.span())
    }
}

/// The field attributes of serde that change what is sent. Malformed serde attributes are
/// left alone: serde's own derive reports them.
#[derive(Default)]
struct FieldSerde {
    rename: Option<String>,
    skipped: bool,
    skipped_if: bool,
    serialized_with: bool,
    flatten: bool,
}

impl FieldSerde {
    fn parse(attrs: &[Attribute]) -> FieldSerde {
        let mut out = FieldSerde::default();
        for attr in attrs.iter().filter(|a| a.path().is_ident(SERDE)) {
            let _ = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident(RENAME) {
                    if let Some(name) = serialize_name(&meta)? {
                        out.rename = Some(name);
                    }
                } else if meta.path.is_ident(SKIP) || meta.path.is_ident(SKIP_SERIALIZING) {
                    out.skipped = true;
                } else if meta.path.is_ident(FLATTEN) {
                    out.flatten = true;
                } else if meta.path.is_ident(SKIP_SERIALIZING_IF) {
                    out.skipped_if = true;
                    skip(&meta)?;
                } else if meta.path.is_ident(SERIALIZE_WITH) || meta.path.is_ident(WITH) {
                    out.serialized_with = true;
                    skip(&meta)?;
                } else {
                    skip(&meta)?;
                }
                Ok(())
            });
        }
        out
    }
}

fn container_rename_all(attrs: &[Attribute]) -> Option<RenameRule> {
    let mut rule = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident(SERDE)) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(RENAME_ALL) {
                if let Some(name) = serialize_name(&meta)? {
                    rule = RenameRule::from_str(&name).or(rule);
                }
            } else {
                skip(&meta)?;
            }
            Ok(())
        });
    }
    rule
}

/// `key = "name"` or `key(serialize = "name", deserialize = "...")`: the serialize side.
fn serialize_name(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<Option<String>> {
    if meta.input.peek(syn::Token![=]) {
        let lit: LitStr = meta.value()?.parse()?;
        return Ok(Some(lit.value()));
    }
    let mut name = None;
    meta.parse_nested_meta(|inner| {
        if inner.path.is_ident(SERIALIZE) {
            let lit: LitStr = inner.value()?.parse()?;
            name = Some(lit.value());
        } else {
            skip(&inner)?;
        }
        Ok(())
    })?;
    Ok(name)
}

/// Skips whatever follows an attribute key we do not care about.
fn skip(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?;
    }
    while !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
        meta.input.parse::<proc_macro2::TokenTree>()?;
    }
    Ok(())
}
