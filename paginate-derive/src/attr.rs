//! The grammar of `#[paginate(...)]`: keys, each with a string or a list of strings, and the
//! one switch, `check_keys = false`.
//!
//! Parsing never stops at the first mistake: an unknown key, a duplicate or a value of the
//! wrong shape is reported to the [`Ctxt`], its tokens are skipped, and parsing goes on.

use proc_macro2::{Span, TokenTree};
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::spanned::Spanned;
use syn::{Attribute, Ident, Lit, LitBool, LitStr, Token};

use crate::ctxt::Ctxt;
use crate::symbol::{
    CHECK_KEYS, CONTINUE_ROUTE, FIRST, INPUT_TOKEN, ITEM, KEYS, LIMIT_KEY, MORE_RESULTS, NEXT_URL,
    NON_AGGREGATE_KEYS, OFFSET, OPERATION, OUTPUT_TOKEN, PAGE, PAGE_NUMBER, PAGINATE, RESEND,
    RESULT_KEY, ROUTE, STOP, TOTAL,
};

/// A key's value: one string, or a bracketed list of strings.
pub(crate) struct Value {
    pub(crate) items: Vec<LitStr>,
    /// The span of the whole value (the literal, or the brackets).
    pub(crate) span: Span,
}

/// Everything the `#[paginate(...)]` attributes of one struct say.
#[derive(Default)]
pub(crate) struct Attrs {
    pub(crate) input_token: Option<Value>,
    pub(crate) output_token: Option<Value>,
    pub(crate) result_key: Option<Value>,
    pub(crate) non_aggregate_keys: Option<Value>,
    pub(crate) more_results: Option<Value>,
    pub(crate) limit_key: Option<Value>,
    pub(crate) operation: Option<Value>,
    pub(crate) page: Option<Value>,
    pub(crate) item: Option<Value>,
    pub(crate) route: Option<Value>,
    pub(crate) next_url: Option<Value>,
    pub(crate) resend: Option<Value>,
    pub(crate) offset: Option<Value>,
    pub(crate) page_number: Option<Value>,
    pub(crate) first: Option<Value>,
    pub(crate) stop: Option<Value>,
    pub(crate) total: Option<Value>,
    pub(crate) continue_route: Option<Value>,
    /// `check_keys = false`: runs do not check page keys (SEMANTICS K1, K2).
    pub(crate) check_keys: Option<LitBool>,
    /// The first `#[paginate]` attribute's path, where a missing key is reported.
    pub(crate) first_attr: Option<Span>,
    /// Keys written, even with a value that was refused, or named by a did-you-mean: they are
    /// not reported again as missing.
    pub(crate) seen: Vec<&'static str>,
    /// An attribute that could not be read at all: missing keys are not reported on top.
    pub(crate) broken: bool,
}

impl Attrs {
    pub(crate) fn parse(ctxt: &Ctxt, attrs: &[Attribute]) -> Attrs {
        let mut out = Attrs::default();
        for attr in attrs.iter().filter(|a| a.path().is_ident(PAGINATE)) {
            out.first_attr.get_or_insert(attr.path().span());
            if let Err(e) = attr.parse_nested_meta(|meta| out.parse_key(ctxt, meta)) {
                ctxt.syn_error(e);
                out.broken = true;
            }
        }
        out
    }

    fn parse_key(&mut self, ctxt: &Ctxt, meta: ParseNestedMeta<'_>) -> syn::Result<()> {
        let Some(key) = meta.path.get_ident().cloned() else {
            ctxt.error(meta.path.span(), "expected a key such as `input_token`");
            return skip_value(meta.input);
        };
        let name = key.to_string();
        if name == CHECK_KEYS {
            return self.parse_switch(ctxt, &key, meta);
        }
        let (slot, list_allowed) = match name.as_str() {
            INPUT_TOKEN => (&mut self.input_token, true),
            OUTPUT_TOKEN => (&mut self.output_token, true),
            RESULT_KEY => (&mut self.result_key, true),
            NON_AGGREGATE_KEYS => (&mut self.non_aggregate_keys, true),
            MORE_RESULTS => (&mut self.more_results, false),
            LIMIT_KEY => (&mut self.limit_key, false),
            OPERATION => (&mut self.operation, false),
            PAGE => (&mut self.page, false),
            ITEM => (&mut self.item, false),
            ROUTE => (&mut self.route, false),
            NEXT_URL => (&mut self.next_url, false),
            RESEND => (&mut self.resend, true),
            OFFSET => (&mut self.offset, false),
            PAGE_NUMBER => (&mut self.page_number, false),
            FIRST => (&mut self.first, false),
            STOP => (&mut self.stop, true),
            TOTAL => (&mut self.total, false),
            CONTINUE_ROUTE => (&mut self.continue_route, false),
            _ => {
                // The workspace's one did-you-mean (`paginated-rules`).
                let hint = match paginated_rules::did_you_mean(&name, KEYS) {
                    Some(known) => {
                        self.seen.push(known);
                        format!("; did you mean `{known}`?")
                    }
                    None => format!("; expected one of {}", backticked(&KEYS)),
                };
                ctxt.error(
                    key.span(),
                    format!("unknown key `{name}` in #[paginate(...)]{hint}"),
                );
                return skip_value(meta.input);
            }
        };
        if let Some(known) = KEYS.iter().find(|k| **k == name) {
            self.seen.push(known);
        }
        if !meta.input.peek(Token![=]) {
            let example = if list_allowed { "[\"...\"]" } else { "\"...\"" };
            ctxt.error(
                key.span(),
                format!("`{name}` needs a value: `{name} = {example}`"),
            );
            return skip_value(meta.input);
        }
        let input = meta.value()?;
        let value = parse_value(ctxt, &key, input, list_allowed)?;
        match (slot, value) {
            (Some(_), _) => ctxt.error(
                key.span(),
                format!("duplicate key `{name}` in #[paginate(...)]; it may appear only once"),
            ),
            (slot @ None, Some(value)) => *slot = Some(value),
            (None, None) => {}
        }
        Ok(())
    }
}

impl Attrs {
    /// `check_keys = true|false`, a boolean where every other key takes strings.
    fn parse_switch(
        &mut self,
        ctxt: &Ctxt,
        key: &Ident,
        meta: ParseNestedMeta<'_>,
    ) -> syn::Result<()> {
        self.seen.push(CHECK_KEYS);
        let wanted = "`check_keys` takes `true` or `false`, like `check_keys = false`";
        if !meta.input.peek(Token![=]) {
            ctxt.error(key.span(), wanted);
            return skip_value(meta.input);
        }
        let input = meta.value()?;
        if !input.peek(LitBool) {
            ctxt.error(input.span(), wanted);
            return skip_value(input);
        }
        let value: LitBool = input.parse()?;
        if self.check_keys.is_some() {
            ctxt.error(
                key.span(),
                format!(
                    "duplicate key `{CHECK_KEYS}` in #[paginate(...)]; it may appear only once"
                ),
            );
        } else {
            self.check_keys = Some(value);
        }
        Ok(())
    }
}

/// A string, or (where allowed) a list of strings. Anything else is reported and skipped.
fn parse_value(
    ctxt: &Ctxt,
    key: &Ident,
    input: ParseStream<'_>,
    list_allowed: bool,
) -> syn::Result<Option<Value>> {
    let expected = if list_allowed {
        "a string or a list of strings"
    } else {
        "a single string"
    };
    if input.peek(LitStr) {
        let lit: LitStr = input.parse()?;
        return Ok(Some(Value {
            span: lit.span(),
            items: vec![lit],
        }));
    }
    if input.peek(syn::token::Bracket) {
        let content;
        let bracket = syn::bracketed!(content in input);
        if !list_allowed {
            ctxt.error(
                bracket.span.join(),
                format!("`{key}` must be {expected}, not a list: write `{key} = \"...\"`"),
            );
            content.parse::<proc_macro2::TokenStream>()?;
            return Ok(None);
        }
        let mut items = Vec::new();
        let mut ok = true;
        while !content.is_empty() {
            if content.peek(LitStr) {
                items.push(content.parse::<LitStr>()?);
            } else {
                let tt: TokenTree = content.parse()?;
                ctxt.error(
                    tt.span(),
                    format!(
                        "`{key}` must be {expected}; {} is not a string",
                        describe(&tt)
                    ),
                );
                ok = false;
            }
            if !content.is_empty() {
                content.parse::<Token![,]>()?;
            }
        }
        return Ok(ok.then(|| Value {
            items,
            span: bracket.span.join(),
        }));
    }
    let example = if list_allowed { "[\"...\"]" } else { "\"...\"" };
    match input.cursor().token_tree() {
        Some((tt, _)) => {
            // `first = 1`: the JSON text of a number is the number in quotes.
            let example = match &tt {
                TokenTree::Literal(l) if *key == FIRST => match Lit::new(l.clone()) {
                    Lit::Int(_) | Lit::Float(_) => format!("\"{l}\""),
                    _ => example.to_owned(),
                },
                _ => example.to_owned(),
            };
            ctxt.error(
                tt.span(),
                format!(
                    "`{key}` must be {expected}, not {}: write `{key} = {example}`",
                    describe(&tt)
                ),
            );
        }
        None => ctxt.error(
            key.span(),
            format!("`{key}` needs a value: `{key} = {example}`"),
        ),
    }
    skip_value(input)?;
    Ok(None)
}

/// Names a token for an error message: "the integer `3`", "the identifier `Next`".
fn describe(tt: &TokenTree) -> String {
    match tt {
        TokenTree::Ident(i) if *i == "true" || *i == "false" => format!("the boolean `{i}`"),
        TokenTree::Ident(i) => format!("the identifier `{i}`"),
        TokenTree::Literal(l) => match Lit::new(l.clone()) {
            Lit::Int(i) => format!("the integer `{i}`"),
            Lit::Float(f) => format!("the number `{f}`"),
            other => format!("`{}`", quote::ToTokens::to_token_stream(&other)),
        },
        TokenTree::Group(g) => format!("`{g}`"),
        TokenTree::Punct(p) => format!("`{}`", p.as_char()),
    }
}

/// Skips the rest of one `key = value` entry.
fn skip_value(input: ParseStream<'_>) -> syn::Result<()> {
    while !input.is_empty() && !input.peek(Token![,]) {
        input.parse::<TokenTree>()?;
    }
    Ok(())
}

pub(crate) fn backticked(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
