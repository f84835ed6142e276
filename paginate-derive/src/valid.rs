//! Cross-checks of the declaration (SEMANTICS S1 at compile time). The checks of the
//! declaration itself (required keys, every JMESPath expression with its functions, arities
//! and index ranges, dotted paths, token counts, the route's grammar) are `paginated-rules`',
//! the ones `paginated`'s model builder runs, so a declaration that compiles builds its model;
//! this file puts each of their problems on the user's own token. What only the derive can see
//! is checked here too: names that must be serialized fields of the struct (`input_token`
//! entries that are params, `limit_key`, `offset`, `page_number`, `resend`, the placeholders
//! of `route` and `continue_route`; `token_field` for the types of the fields a position
//! starts absent in).
//! All problems are reported together.

use paginated_rules::{Declaration, Key, Problem, Reason, Target};
use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::{GenericArgument, LitBool, LitStr, PathArguments, Type};

use crate::ast::{Field, Input};
use crate::attr::{Attrs, Value, backticked};
use crate::ctxt::Ctxt;
use crate::symbol::{
    CONTINUE_ROUTE, INPUT_TOKEN, OFFSET, OUTPUT_TOKEN, PAGE_NUMBER, POSITION_KEYS, RESEND, ROUTE,
};
use crate::token_field;

/// A declaration that passed every check, ready to expand.
pub(crate) struct Checked {
    pub(crate) operation: String,
    pub(crate) input_token: Vec<String>,
    pub(crate) output_token: Vec<String>,
    pub(crate) result_key: Vec<String>,
    pub(crate) non_aggregate_keys: Vec<String>,
    pub(crate) more_results: Option<String>,
    pub(crate) limit_key: Option<String>,
    /// The limit field holds a string (route53 `MaxItems`): page sizes are sent as strings.
    pub(crate) limit_is_string: bool,
    /// The types pages and items deserialize into, when named.
    pub(crate) page: Option<Type>,
    pub(crate) item: Option<Type>,
    /// The HTTP route.
    pub(crate) route: Option<String>,
    /// The pagination-style keys (P2–P9).
    pub(crate) next_url: Option<String>,
    pub(crate) resend: Vec<String>,
    pub(crate) offset: Option<String>,
    pub(crate) page_number: Option<String>,
    pub(crate) first: Option<String>,
    pub(crate) stop: Vec<String>,
    pub(crate) total: Option<String>,
    pub(crate) continue_route: Option<String>,
    /// SEMANTICS K1, K2 on (the default) or off.
    pub(crate) check_keys: bool,
}

pub(crate) fn check(ctxt: &Ctxt, input: &Input<'_>) -> Option<Checked> {
    let attrs = &input.attrs;
    let values = |v: &Option<Value>| -> Vec<String> {
        v.as_ref()
            .map(|v| v.items.iter().map(LitStr::value).collect())
            .unwrap_or_default()
    };
    let single = |v: &Option<Value>| values(v).into_iter().next();
    let input_token = values(&attrs.input_token);
    let output_token = values(&attrs.output_token);
    let result_key = values(&attrs.result_key);
    let non_aggregate_keys = values(&attrs.non_aggregate_keys);
    let more_results = single(&attrs.more_results);
    let limit_key = single(&attrs.limit_key);
    let route = single(&attrs.route);
    let next_url = single(&attrs.next_url);
    let resend = values(&attrs.resend);
    let offset = single(&attrs.offset);
    let page_number = single(&attrs.page_number);
    let first = single(&attrs.first);
    let stop = values(&attrs.stop);
    let total = single(&attrs.total);
    let continue_route = single(&attrs.continue_route);
    let operation =
        single(&attrs.operation).unwrap_or_else(|| input.original.ident.unraw().to_string());

    let mut declaration = Declaration::new(&operation);
    declaration.input_tokens = &input_token;
    declaration.output_tokens = &output_token;
    declaration.result_keys = &result_key;
    declaration.non_aggregate_keys = &non_aggregate_keys;
    declaration.more_results = more_results.as_deref();
    declaration.limit_key = limit_key.as_deref();
    declaration.route = route.as_deref();
    declaration.next_url = next_url.as_deref();
    declaration.resend = &resend;
    declaration.offset = offset.as_deref();
    declaration.page_number = page_number.as_deref();
    declaration.first = first.as_deref();
    declaration.stop = &stop;
    declaration.total = total.as_deref();
    declaration.continue_route = continue_route.as_deref();
    let problems = paginated_rules::check(&declaration);
    let mut ok = problems.is_empty();
    for problem in &problems {
        report(ctxt, input, problem);
    }
    // An entry the shared checks refused as a name (empty, a misspelt or misused `header`) is
    // not looked up as a field too.
    let refused = |key: Key, index: Option<usize>| {
        problems.iter().any(|p| {
            p.key == key
                && p.index == index
                && matches!(
                    p.reason,
                    Reason::Empty
                        | Reason::UnknownFunction { .. }
                        | Reason::BadSourceCall { .. }
                        | Reason::BadHeaderName { .. }
                        | Reason::EmptyArgument { .. }
                )
        })
    };

    // Names of request parameters must be fields that are sent.
    let lits = |v: &Option<Value>| v.as_ref().map(|v| v.items.clone()).unwrap_or_default();
    for (i, lit) in lits(&attrs.input_token).iter().enumerate() {
        // P11: a header target is not a param, and needs no field.
        if refused(Key::InputToken, Some(i))
            || matches!(Target::parse(&lit.value()), Target::Header(_))
        {
            continue;
        }
        match names_a_field(ctxt, input, lit, INPUT_TOKEN) {
            Some(Some(field)) => {
                ok &= token_field::can_be_absent(ctxt, input, INPUT_TOKEN, lit, field);
            }
            Some(None) => {}
            None => ok = false,
        }
    }
    // P4, P5: the position's param starts absent, like an input token's.
    for (key, symbol, value) in [
        (Key::Offset, OFFSET, &attrs.offset),
        (Key::PageNumber, PAGE_NUMBER, &attrs.page_number),
    ] {
        let Some(lit) = lits(value).into_iter().next() else {
            continue;
        };
        if refused(key, None) {
            continue;
        }
        match names_a_field(ctxt, input, &lit, symbol) {
            Some(Some(field)) => ok &= token_field::can_be_absent(ctxt, input, symbol, &lit, field),
            Some(None) => {}
            None => ok = false,
        }
    }
    // P3.
    for (i, lit) in lits(&attrs.resend).iter().enumerate() {
        if !refused(Key::Resend, Some(i)) {
            ok &= names_a_field(ctxt, input, lit, RESEND).is_some();
        }
    }
    let mut limit_is_string = false;
    // P11: a page size sent in a request header (`header('x-ms-max-item-count')`) has no field.
    if let Some(lit) = lits(&attrs.limit_key).first().filter(|l| {
        !l.value().is_empty()
            && matches!(
                paginated_rules::Target::parse(&l.value()),
                paginated_rules::Target::Param(_)
            )
    }) {
        match names_a_field(ctxt, input, lit, "limit_key") {
            Some(field) => limit_is_string = field.is_some_and(|f| holds_string(f.ty)),
            None => ok = false,
        }
    }
    for (symbol, value) in [
        (ROUTE, &attrs.route),
        (CONTINUE_ROUTE, &attrs.continue_route),
    ] {
        if let Some(lit) = lits(value).first() {
            let text = lit.value();
            for name in paginated_rules::placeholders(&text) {
                let subject = format!("placeholder `{{{name}}}` of `{symbol} = \"{text}\"`");
                ok &= names_a_serialized_field(ctxt, input, lit, name, &subject).is_some();
            }
        }
    }
    let mut type_of = |v: &Option<Value>, key: &str| -> Option<Type> {
        let lit = v.as_ref()?.items.first()?;
        match lit.parse::<Type>() {
            Ok(ty) => Some(ty),
            Err(e) => {
                ctxt.error(
                    lit.span(),
                    format!("`{key}` must name a type, like `{key} = \"Object\"`: {e}"),
                );
                ok = false;
                None
            }
        }
    };
    let page = type_of(&attrs.page, "page");
    let item = type_of(&attrs.item, "item");
    ok.then_some(Checked {
        operation,
        input_token,
        output_token,
        result_key,
        non_aggregate_keys,
        more_results,
        limit_key,
        limit_is_string,
        page,
        item,
        route,
        next_url,
        resend,
        offset,
        page_number,
        first,
        stop,
        total,
        continue_route,
        check_keys: attrs.check_keys.as_ref().is_none_or(LitBool::value),
    })
}

/// The attribute value a key was written with.
fn value_of(attrs: &Attrs, key: Key) -> Option<&Value> {
    match key {
        Key::Operation => attrs.operation.as_ref(),
        Key::InputToken => attrs.input_token.as_ref(),
        Key::OutputToken => attrs.output_token.as_ref(),
        Key::ResultKey => attrs.result_key.as_ref(),
        Key::LimitKey => attrs.limit_key.as_ref(),
        Key::MoreResults => attrs.more_results.as_ref(),
        Key::NonAggregateKeys => attrs.non_aggregate_keys.as_ref(),
        Key::Route => attrs.route.as_ref(),
        Key::NextUrl => attrs.next_url.as_ref(),
        Key::Resend => attrs.resend.as_ref(),
        Key::Offset => attrs.offset.as_ref(),
        Key::PageNumber => attrs.page_number.as_ref(),
        Key::First => attrs.first.as_ref(),
        Key::Stop => attrs.stop.as_ref(),
        Key::Total => attrs.total.as_ref(),
        Key::ContinueRoute => attrs.continue_route.as_ref(),
        // A key this derive does not know cannot have been written.
        _ => None,
    }
}

/// Puts one problem of the shared checks on the user's token: the list element at fault, or
/// the key's value.
fn report(ctxt: &Ctxt, input: &Input<'_>, problem: &Problem) {
    let attrs = &input.attrs;
    let key = problem.key.as_str();
    let Some(value) = value_of(attrs, problem.key) else {
        // A key that was not written (or was written with a value already reported).
        if problem.reason == Reason::Missing {
            missing(ctxt, input, key);
        }
        return;
    };
    let span: Span = problem
        .index
        .and_then(|i| value.items.get(i))
        .map_or(value.span, LitStr::span);
    ctxt.error(span, problem);
}

/// A required key that was not written. A key written with a bad value, or a misspelt one,
/// was reported already; a missing attribute is reported once, not once per key.
fn missing(ctxt: &Ctxt, input: &Input<'_>, key: &str) {
    let attrs = &input.attrs;
    // Another way of paging was written (perhaps with a value already reported, or misspelt
    // and named by a did-you-mean): the tokens are not what is missing.
    let paged = POSITION_KEYS.iter().any(|k| attrs.seen.contains(k));
    if paged && (key == INPUT_TOKEN || key == OUTPUT_TOKEN) {
        return;
    }
    if attrs.first_attr.is_none() && key == INPUT_TOKEN {
        ctxt.error(
            input.span(),
            "missing #[paginate(...)] attribute: #[derive(Paginated)] needs at least `input_token`, `output_token` and `result_key`",
        );
    } else if attrs.first_attr.is_some() && !attrs.broken && !attrs.seen.contains(&key) {
        ctxt.error(input.span(), format!("missing `{key}` in #[paginate(...)]"));
    }
}

/// `input_token` (a param target), `limit_key`, `offset`, `page_number` and `resend` are
/// request parameters: they must be serialized fields.
fn names_a_field<'i, 'a>(
    ctxt: &Ctxt,
    input: &'i Input<'a>,
    lit: &LitStr,
    key: &str,
) -> Option<Option<&'i Field<'a>>> {
    let name = lit.value();
    names_a_serialized_field(ctxt, input, lit, &name, &format!("`{key} = \"{name}\"`"))
}

/// Finds the field serialized as `name`, or reports on `lit` that `subject` (how the message
/// starts: `` `limit_key = "Max"` ``) names none, with a did-you-mean. `Some(None)` when a
/// `#[serde(flatten)]` field may supply the name.
pub(crate) fn names_a_serialized_field<'i, 'a>(
    ctxt: &Ctxt,
    input: &'i Input<'a>,
    lit: &LitStr,
    name: &str,
    subject: &str,
) -> Option<Option<&'i Field<'a>>> {
    let sent = || input.fields.iter().filter(|f| !f.skipped);
    if let Some(field) = sent().find(|f| f.name == name) {
        return Some(Some(field));
    }
    if input.has_flatten {
        return Some(None);
    }
    let names: Vec<&str> = sent().map(|f| f.name.as_str()).collect();
    let skipped = input.fields.iter().any(|f| f.skipped && f.name == name);
    let detail = if skipped {
        format!("`{name}` is skipped by serde, so it is never sent")
    } else if names.is_empty() {
        format!("`{}` serializes no fields", input.original.ident)
    } else {
        let hint = paginated_rules::did_you_mean(name, names.iter().copied())
            .map_or(String::new(), |n| format!("did you mean `{n}`? "));
        format!(
            "{hint}the serialized field names are {}",
            backticked(&names)
        )
    };
    ctxt.error(
        lit.span(),
        format!(
            "{subject} names no field of `{}`: {detail}",
            input.original.ident
        ),
    );
    None
}

/// `String`, `&str`, `Cow<str>`, `Box<str>`, or any of them in an `Option`.
fn holds_string(ty: &Type) -> bool {
    match ty {
        Type::Reference(r) => holds_string(&r.elem),
        Type::Group(g) => holds_string(&g.elem),
        Type::Paren(p) => holds_string(&p.elem),
        Type::Path(p) if p.qself.is_none() => {
            let Some(last) = p.path.segments.last() else {
                return false;
            };
            match last.ident.to_string().as_str() {
                "String" | "str" => true,
                "Option" | "Cow" | "Box" | "Rc" | "Arc" => match &last.arguments {
                    PathArguments::AngleBracketed(args) => args.args.iter().any(|a| match a {
                        GenericArgument::Type(t) => holds_string(t),
                        _ => false,
                    }),
                    _ => false,
                },
                _ => false,
            }
        }
        _ => false,
    }
}
