//! Cross-checks of the declaration (SEMANTICS S1 at compile time): required keys, every
//! JMESPath expression, dotted paths, token counts, names that must be serialized fields, and
//! the route (`route`).
//! Each problem is reported on the user's own token; all of them are reported together.

use jmespath::ast::Ast;
use syn::ext::IdentExt;
use syn::{GenericArgument, LitStr, PathArguments, Type};

use crate::ast::{Field, Input};
use crate::attr::{Value, backticked, did_you_mean};
use crate::ctxt::Ctxt;
use crate::symbol::{INPUT_TOKEN, OUTPUT_TOKEN, RESULT_KEY};
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
    /// The HTTP route, checked by [`crate::route::check`].
    pub(crate) route: Option<String>,
}

pub(crate) fn check(ctxt: &Ctxt, input: &Input<'_>) -> Option<Checked> {
    let attrs = &input.attrs;
    let mut ok = true;
    let mut required = |value: &Option<Value>, key: &'static str| -> Vec<LitStr> {
        match value {
            Some(v) if !v.items.is_empty() => v.items.clone(),
            Some(v) => {
                ctxt.error(v.span, format!("`{key}` must name at least one entry"));
                ok = false;
                Vec::new()
            }
            None => {
                // A key written with a bad value, or a misspelt one, was reported already; a
                // missing attribute is reported once, not once per key.
                if attrs.first.is_none() && key == INPUT_TOKEN {
                    ctxt.error(
                        input.span(),
                        "missing #[paginate(...)] attribute: #[derive(Paginated)] needs at least `input_token`, `output_token` and `result_key`",
                    );
                } else if attrs.first.is_some() && !attrs.broken && !attrs.seen.contains(&key) {
                    ctxt.error(input.span(), format!("missing `{key}` in #[paginate(...)]"));
                }
                ok = false;
                Vec::new()
            }
        }
    };
    let input_token = required(&attrs.input_token, INPUT_TOKEN);
    let output_token = required(&attrs.output_token, OUTPUT_TOKEN);
    let result_key = required(&attrs.result_key, RESULT_KEY);
    let optional = |v: &Option<Value>| v.as_ref().map(|v| v.items.clone()).unwrap_or_default();
    let non_aggregate_keys = optional(&attrs.non_aggregate_keys);
    let more_results = optional(&attrs.more_results).into_iter().next();
    let limit_key = optional(&attrs.limit_key).into_iter().next();
    let operation = optional(&attrs.operation).into_iter().next();
    let route = optional(&attrs.route).into_iter().next();

    for lit in &output_token {
        ok &= expression(ctxt, lit, OUTPUT_TOKEN);
    }
    if let Some(lit) = &more_results {
        ok &= expression(ctxt, lit, "more_results");
    }
    for lit in &result_key {
        ok &= dotted_path(ctxt, lit, RESULT_KEY);
    }
    for lit in &non_aggregate_keys {
        ok &= dotted_path(ctxt, lit, "non_aggregate_keys");
    }
    ok &= no_duplicates(ctxt, &input_token, INPUT_TOKEN);
    ok &= no_duplicates(ctxt, &result_key, RESULT_KEY);
    if let (Some(inputs), Some(outputs)) = (&attrs.input_token, &attrs.output_token)
        && !inputs.items.is_empty()
        && inputs.items.len() != outputs.items.len()
    {
        ctxt.error(
            outputs.span,
            format!(
                "`output_token` has {} expression(s) but `input_token` has {}; they pair up by position",
                outputs.items.len(),
                inputs.items.len()
            ),
        );
        ok = false;
    }
    for lit in &input_token {
        match names_a_field(ctxt, input, lit, INPUT_TOKEN) {
            Some(Some(field)) => ok &= token_field::can_be_absent(ctxt, input, lit, field),
            Some(None) => {}
            None => ok = false,
        }
    }
    let mut limit_is_string = false;
    if let Some(lit) = &limit_key {
        match names_a_field(ctxt, input, lit, "limit_key") {
            Some(field) => limit_is_string = field.is_some_and(|f| holds_string(f.ty)),
            None => ok = false,
        }
    }
    if let Some(lit) = &operation
        && lit.value().is_empty()
    {
        ctxt.error(lit.span(), "`operation` must not be empty");
        ok = false;
    }
    if let Some(lit) = &route {
        ok &= crate::route::check(ctxt, input, lit);
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
    let value = |lits: &[LitStr]| lits.iter().map(LitStr::value).collect::<Vec<_>>();
    ok.then(|| Checked {
        operation: operation
            .map_or_else(|| input.original.ident.unraw().to_string(), |l| l.value()),
        input_token: value(&input_token),
        output_token: value(&output_token),
        result_key: value(&result_key),
        non_aggregate_keys: value(&non_aggregate_keys),
        more_results: more_results.map(|l| l.value()),
        limit_key: limit_key.map(|l| l.value()),
        limit_is_string,
        page,
        item,
        route: route.map(|l| l.value()),
    })
}

/// A JMESPath expression: checked against the engine's nesting bound (so the recursive parser
/// cannot overflow the compiler's stack, and an expression the engine would refuse at run time
/// is refused here), then parsed with the engine's own parser.
fn expression(ctxt: &Ctxt, lit: &LitStr, key: &str) -> bool {
    if let Err(e) = paginated_rules::check(&lit.value()) {
        ctxt.error(
            lit.span(),
            format!(
                "`{key}` is not a valid JMESPath expression: {} at character {} of `{}`",
                e.reason(),
                e.offset,
                lit.value()
            ),
        );
        return false;
    }
    match jmespath::parse(&lit.value()) {
        Ok(_) => true,
        Err(e) => {
            report_jmespath(ctxt, lit, key, &e);
            false
        }
    }
}

fn report_jmespath(ctxt: &Ctxt, lit: &LitStr, key: &str, e: &jmespath::JmespathError) {
    ctxt.error(
        lit.span(),
        format!(
            "`{key}` is not a valid JMESPath expression: {} at character {} of `{}`",
            jmespath_reason(e),
            e.offset,
            lit.value()
        ),
    );
}

/// The parser's reason without its jargon: "Parse error: Unexpected nud token -- found Eof"
/// becomes "unexpected end of expression".
fn jmespath_reason(e: &jmespath::JmespathError) -> String {
    let text = e.reason.to_string();
    let text = text.strip_prefix("Parse error: ").unwrap_or(&text);
    if text.ends_with("found Eof") {
        return "unexpected end of expression".to_owned();
    }
    let text = text
        .replace("nud token", "token")
        .replace(" -- found ", ", found ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

/// Result and non-aggregate keys are written back at their path, so only identifiers
/// joined by dots are allowed.
fn dotted_path(ctxt: &Ctxt, lit: &LitStr, key: &str) -> bool {
    match jmespath::parse(&lit.value()) {
        Err(e) => {
            report_jmespath(ctxt, lit, key, &e);
            false
        }
        Ok(ast) if is_dotted(&ast) => true,
        Ok(_) => {
            ctxt.error(
                lit.span(),
                format!(
                    "`{key}` entries must be dotted paths of identifiers, like `Contents` or `EngineDefaults.Parameters`; `{}` is not",
                    lit.value()
                ),
            );
            false
        }
    }
}

fn is_dotted(ast: &Ast) -> bool {
    match ast {
        Ast::Field { .. } => true,
        Ast::Subexpr { lhs, rhs, .. } => is_dotted(lhs) && is_dotted(rhs),
        _ => false,
    }
}

fn no_duplicates(ctxt: &Ctxt, lits: &[LitStr], key: &str) -> bool {
    let mut ok = true;
    for (i, lit) in lits.iter().enumerate() {
        if lits[..i]
            .iter()
            .any(|earlier| earlier.value() == lit.value())
        {
            ctxt.error(
                lit.span(),
                format!("`{key}` lists `{}` more than once", lit.value()),
            );
            ok = false;
        }
    }
    ok
}

/// `input_token` and `limit_key` are request parameters: they must be serialized fields.
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
        let hint =
            did_you_mean(name, &names).map_or(String::new(), |n| format!("did you mean `{n}`? "));
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
