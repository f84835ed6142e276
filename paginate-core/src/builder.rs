//! [`ModelBuilder`]: a model built field by field in code, and the validation every model
//! goes through, however it was made (S1, S3).

use std::sync::Arc;

use crate::error::{Error, ModelProblem};
use crate::expr::{Expr, Path};
use crate::model::{Inner, LimitType, Model};
use crate::route::{Route, RouteError};
use crate::style::{Advance, Source, Stops, Style, Target};
use http::HeaderName;
use paginated_rules::Stop;

/// Builds a [`Model`] field by field; [`ModelBuilder::build`] validates it (S1).
#[derive(Debug, Clone, Default)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ModelBuilder {
    pub(crate) operation: String,
    pub(crate) input_tokens: Vec<String>,
    pub(crate) output_tokens: Vec<String>,
    pub(crate) result_keys: Vec<String>,
    pub(crate) limit_key: Option<String>,
    pub(crate) limit_type: LimitType,
    pub(crate) more_results: Option<String>,
    pub(crate) non_aggregate_keys: Vec<String>,
    pub(crate) route: Option<String>,
    pub(crate) next_url: Option<String>,
    pub(crate) resend: Vec<String>,
    pub(crate) offset: Option<String>,
    pub(crate) page_number: Option<String>,
    pub(crate) first: Option<String>,
    pub(crate) stop: Vec<String>,
    pub(crate) total: Option<String>,
    pub(crate) continue_route: Option<String>,
    /// K1, K2 off: set by `Model::from_botocore` (botocore's outcomes stay botocore's) or
    /// by [`ModelBuilder::check_keys`].
    pub(crate) unchecked_keys: bool,
}

impl ModelBuilder {
    /// Adds an input token: a request parameter that carries the continuation.
    pub fn input_token(mut self, name: impl Into<String>) -> Self {
        self.input_tokens.push(name.into());
        self
    }

    /// Adds an output token: a JMESPath expression evaluated on each page, paired with the
    /// input token at the same position.
    pub fn output_token(mut self, expression: impl Into<String>) -> Self {
        self.output_tokens.push(expression.into());
        self
    }

    /// Adds a result key (a dotted path). The first one added is the primary key.
    pub fn result_key(mut self, path: impl Into<String>) -> Self {
        self.result_keys.push(path.into());
        self
    }

    /// Sets the request parameter that receives the page size.
    pub fn limit_key(mut self, name: impl Into<String>) -> Self {
        self.limit_key = Some(name.into());
        self
    }

    /// Sets how the page size is written (O2); integers unless told otherwise.
    pub fn limit_type(mut self, limit_type: LimitType) -> Self {
        self.limit_type = limit_type;
        self
    }

    /// Sets the `more_results` expression: when it is absent on a page, paging stops.
    pub fn more_results(mut self, expression: impl Into<String>) -> Self {
        self.more_results = Some(expression.into());
        self
    }

    /// Adds a non-aggregate key (a dotted path) reported from the first page of a run.
    pub fn non_aggregate_key(mut self, path: impl Into<String>) -> Self {
        self.non_aggregate_keys.push(path.into());
        self
    }

    /// Sets the operation's HTTP route, `METHOD /path/{Param}`, for the ready HTTP
    /// transports: `GET /v1/orders`, `POST /v1/search`, `GET /buckets/{Bucket}/objects`. It is
    /// checked by [`ModelBuilder::build`] (see [`Route::parse`]).
    pub fn route(mut self, route: impl Into<String>) -> Self {
        self.route = Some(route.into());
        self
    }

    /// P2: the next request goes to the URL this source gives, instead of re-sending the
    /// params: `link('next')` (a `Link` relation), `header('Location')`, or a JMESPath
    /// expression on the body (`"@odata.nextLink"`, `next`). A relative URL is resolved
    /// against the URL that fetched the page.
    pub fn next_url(mut self, source: impl Into<String>) -> Self {
        self.next_url = Some(source.into());
        self
    }

    /// P3: a param re-sent on every `next_url` or `continue_route` request (Azure's
    /// `api-version`); no other param of the first request is sent again.
    pub fn resend(mut self, param: impl Into<String>) -> Self {
        self.resend.push(param.into());
        self
    }

    /// P4: the position is an item offset in the param `name`; it advances by the items each
    /// page returned.
    pub fn offset(mut self, name: impl Into<String>) -> Self {
        self.offset = Some(name.into());
        self
    }

    /// P5: the position is a page number in the param `name`; it advances by one, or to the
    /// output token's value when one is declared.
    pub fn page_number(mut self, name: impl Into<String>) -> Self {
        self.page_number = Some(name.into());
        self
    }

    /// P6: the value the first request sends for the offset or page number, as JSON text
    /// (`"1"`, `"0"`); 0 for an offset and 1 for a page number unless told otherwise.
    pub fn first(mut self, json: impl Into<String>) -> Self {
        self.first = Some(json.into());
        self
    }

    /// P7: adds a stop rule by name: `empty_page` or `short_page`.
    pub fn stop(mut self, rule: impl Into<String>) -> Self {
        self.stop.push(rule.into());
        self
    }

    /// P8: a source giving the listing's total number of items (`meta.total`,
    /// `header('X-Total-Count')`); with an offset or a page number.
    pub fn total(mut self, source: impl Into<String>) -> Self {
        self.total = Some(source.into());
        self
    }

    /// P9: every request after the first goes to this route, `METHOD /path`, with only the
    /// input tokens and the re-sent params (Dropbox's `/continue`).
    pub fn continue_route(mut self, route: impl Into<String>) -> Self {
        self.continue_route = Some(route.into());
        self
    }

    /// Whether runs check the page keys this model reads (on by default; SEMANTICS K1, K2): a
    /// typed run whose page type has no field for a key but one with a near name, or a first
    /// page without a key but with a near one, is an error with a did-you-mean instead of a
    /// listing that silently comes out empty or short.
    ///
    /// Turn it off for an API whose pages legitimately lack a declared key while holding one
    /// with a near name (a `page` key beside a `pages` count, on the last page). Models from
    /// botocore files ([`Model::from_botocore`]) never check: their outcomes are botocore's.
    ///
    /// ```
    /// use paginated::Model;
    ///
    /// let model = Model::builder("ListPages")
    ///     .input_token("page").output_token("page").result_key("items")
    ///     .check_keys(false)
    ///     .build()?;
    /// assert!(!model.checks_keys());
    /// # Ok::<(), paginated::Error>(())
    /// ```
    pub fn check_keys(mut self, on: bool) -> Self {
        self.unchecked_keys = !on;
        self
    }

    /// Validates and compiles the model (S1, S3).
    ///
    /// The checks are `paginated-rules`' [`check`](paginated_rules::check), the ones the
    /// derive runs at compile time; the first problem found is the error. A model the checks
    /// accept always compiles.
    pub fn build(self) -> Result<Model, Error> {
        self.build_or_problem()
            .map_err(|(operation, problem)| Error::InvalidModel { operation, problem })
    }

    /// [`ModelBuilder::build`], with the operation and the problem of
    /// [`Error::InvalidModel`] as they are, for the derive's model cell to keep.
    pub(crate) fn build_or_problem(self) -> Result<Model, (String, ModelProblem)> {
        let operation = self.operation;
        let invalid = |problem| (operation.clone(), problem);
        let mut declaration = paginated_rules::Declaration::new(&operation);
        declaration.input_tokens = &self.input_tokens;
        declaration.output_tokens = &self.output_tokens;
        declaration.result_keys = &self.result_keys;
        declaration.limit_key = self.limit_key.as_deref();
        declaration.more_results = self.more_results.as_deref();
        declaration.non_aggregate_keys = &self.non_aggregate_keys;
        declaration.route = self.route.as_deref();
        declaration.next_url = self.next_url.as_deref();
        declaration.resend = &self.resend;
        declaration.offset = self.offset.as_deref();
        declaration.page_number = self.page_number.as_deref();
        declaration.first = self.first.as_deref();
        declaration.stop = &self.stop;
        declaration.total = self.total.as_deref();
        declaration.continue_route = self.continue_route.as_deref();
        if let Some(problem) = paginated_rules::check(&declaration).into_iter().next() {
            return Err(invalid(model_problem(problem)));
        }
        // What follows compiles what the checks accepted; its errors cannot happen, and are
        // reported as the same problems if they ever did (the property test in
        // tests/declarations.rs holds the two to the same verdict).
        let expr = |field: &'static str, src: &str| {
            Expr::compile(src).map_err(|e| {
                invalid(ModelProblem::BadExpression {
                    field,
                    expression: src.to_owned(),
                    reason: e.to_string(),
                })
            })
        };
        let path = |field: &'static str, src: &str| {
            Path::parse(src).map_err(|e| {
                invalid(match e {
                    Some(e) => ModelProblem::BadExpression {
                        field,
                        expression: src.to_owned(),
                        reason: e.to_string(),
                    },
                    None => ModelProblem::NotADottedPath {
                        field,
                        expression: src.to_owned(),
                    },
                })
            })
        };
        let source = |field: &'static str, src: &str| {
            Source::compile(src).map_err(|reason| {
                invalid(ModelProblem::BadExpression {
                    field,
                    expression: src.to_owned(),
                    reason,
                })
            })
        };
        let output_tokens = self
            .output_tokens
            .iter()
            .map(|s| source("output_token", s))
            .collect::<Result<_, _>>()?;
        let result_keys = self
            .result_keys
            .iter()
            .map(|s| path("result_key", s))
            .collect::<Result<_, _>>()?;
        let non_aggregate_keys = self
            .non_aggregate_keys
            .iter()
            .map(|s| path("non_aggregate_keys", s))
            .collect::<Result<_, _>>()?;
        let more_results = self
            .more_results
            .as_deref()
            .map(|s| expr("more_results", s))
            .transpose()?;
        let route_of = |text: Option<&str>| {
            text.map(Route::parse)
                .transpose()
                .map_err(|e| invalid(ModelProblem::BadRoute { reason: e }))
        };
        let first = match self.first.as_deref() {
            None => None,
            Some(text) => Some(serde_json::from_str(text).map_err(|e| {
                invalid(ModelProblem::BadExpression {
                    field: "first",
                    expression: text.to_owned(),
                    reason: e.to_string(),
                })
            })?),
        };
        // P11: where a position value or the page size goes, a parameter or a request header.
        let target_of =
            |field: &'static str, entry: &String| match paginated_rules::Target::parse(entry) {
                paginated_rules::Target::Param(name) => Ok(Target::Param(name.to_owned())),
                paginated_rules::Target::Header(name) => HeaderName::from_bytes(name.as_bytes())
                    .map(Target::Header)
                    .map_err(|e| {
                        invalid(ModelProblem::BadExpression {
                            field,
                            expression: entry.clone(),
                            reason: e.to_string(),
                        })
                    }),
            };
        let limit = self
            .limit_key
            .as_ref()
            .map(|key| target_of("limit_key", key))
            .transpose()?;
        // P2, P5: the page size a position records is the limit parameter's value; a page
        // size sent in a request header (P11) is not recorded.
        let limit_param = match &limit {
            Some(Target::Param(name)) => Some(name.clone()),
            _ => None,
        };
        let (advance, input_tokens, targets) = if let Some(src) = &self.next_url {
            let mut names = vec![NEXT_URL.to_owned()];
            let mut targets = vec![Target::Url];
            if let Some(limit) = &limit_param {
                names.push(limit.clone());
                targets.push(Target::Param(limit.clone()));
            }
            let advance = Advance::NextUrl {
                source: source("next_url", src)?,
                sized: limit_param.is_some(),
            };
            (advance, names, targets)
        } else if let Some(name) = &self.offset {
            let targets = vec![Target::Param(name.clone())];
            (Advance::Offset, vec![name.clone()], targets)
        } else if let Some(name) = &self.page_number {
            let mut names = vec![name.clone()];
            let mut targets = vec![Target::Param(name.clone())];
            if let Some(limit) = &limit_param {
                names.push(limit.clone());
                targets.push(Target::Param(limit.clone()));
            }
            let sized = limit_param.is_some();
            (Advance::PageNumber { sized }, names, targets)
        } else {
            let targets = self
                .input_tokens
                .iter()
                .map(|entry| target_of("input_token", entry))
                .collect::<Result<_, _>>()?;
            (Advance::Tokens, self.input_tokens, targets)
        };
        let stops = Stops {
            empty_page: self
                .stop
                .iter()
                .any(|s| Stop::parse(s) == Some(Stop::EmptyPage)),
            short_page: self
                .stop
                .iter()
                .any(|s| Stop::parse(s) == Some(Stop::ShortPage)),
            total: self
                .total
                .as_deref()
                .map(|s| source("total", s))
                .transpose()?,
        };
        let route = route_of(self.route.as_deref())?;
        let continue_route = route_of(self.continue_route.as_deref())?;
        let style = Style {
            advance,
            targets,
            stops,
            resend: self.resend,
            first,
            continue_route,
            limit,
        };
        Ok(Model(Arc::new(Inner {
            operation,
            input_tokens,
            output_tokens,
            result_keys,
            limit_key: self.limit_key,
            limit_type: self.limit_type,
            check_keys: !self.unchecked_keys,
            more_results,
            non_aggregate_keys,
            route,
            style,
        })))
    }
}

/// The name a URL position's value has in resume tokens (P2).
pub(crate) const NEXT_URL: &str = "next_url";

/// The core's wording of a problem the shared checks found (S1): [`ModelProblem`]s, which
/// name the field and the value at fault; [`ModelProblem::Style`] for the pagination-style
/// keys (P1–P11).
fn model_problem(problem: paginated_rules::Problem) -> ModelProblem {
    use paginated_rules::Reason;
    let field = problem.key.as_str();
    match problem.reason {
        Reason::Missing | Reason::Empty => ModelProblem::Missing { field },
        Reason::Duplicate { .. } => ModelProblem::Duplicate {
            field,
            name: problem.value,
        },
        Reason::CountMismatch { input, output } => {
            ModelProblem::TokenCountMismatch { input, output }
        }
        Reason::NotADottedPath => ModelProblem::NotADottedPath {
            field,
            expression: problem.value,
        },
        // The route's own error, worded as `Route::parse` words it.
        Reason::Route(route) if problem.key == paginated_rules::Key::Route => {
            ModelProblem::BadRoute {
                reason: RouteError::from_problem(&problem.value, route),
            }
        }
        ref reason => match style_reason(reason) {
            Some(reason) => ModelProblem::Style {
                field,
                value: problem.value,
                reason,
            },
            None => ModelProblem::BadExpression {
                field,
                reason: expression_reason(reason).unwrap_or_else(|| problem.to_string()),
                expression: problem.value.clone(),
            },
        },
    }
}

/// What is wrong with a pagination-style key (P1–P11), after its field and value: the reason
/// part of [`ModelProblem::Style`]. `None` for a reason that is not about those keys.
fn style_reason(reason: &paginated_rules::Reason) -> Option<String> {
    use paginated_rules::{Key, Reason, Stop};
    let keys = |keys: &[Key]| {
        keys.iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    Some(match reason {
        Reason::Conflicts { with } => {
            format!("cannot be used with `{with}`: a declaration pages one way")
        }
        Reason::Requires { keys: needed } => format!("needs {}", keys(needed)),
        Reason::TooMany { count, max, with } => {
            format!("has {count} entries; with `{with}` it takes at most {max}")
        }
        Reason::WholePageNotAlone {
            with: Key::NonAggregateKeys,
        } => "(the whole page) cannot be used with `non_aggregate_keys`".to_owned(),
        Reason::WholePageNotAlone { .. } => {
            "(the whole page) must be the only result key".to_owned()
        }
        Reason::BadHeaderName { name, character } => {
            format!("names header `{name}`, which is not a valid HTTP header name ({character:?})")
        }
        Reason::EmptyArgument { function } => {
            format!("calls `{function}('')` with an empty argument")
        }
        Reason::BadSourceCall {
            function,
            suggestion,
        } => format!(
            "calls `{function}` without one raw-string argument in single quotes, like `{suggestion}`"
        ),
        Reason::SourceNotWhole { function, offset } => format!(
            "calls `{function}` inside an expression (at character {offset}); it must be the whole value"
        ),
        Reason::UnknownStop { did_you_mean } => {
            let hint = did_you_mean.map_or(String::new(), |n| format!("; did you mean `{n}`?"));
            format!("is not a stop rule ({}){hint}", keys_of(&Stop::NAMES))
        }
        Reason::NotJson { message } => format!("is not JSON: {message}"),
        Reason::NotANumberOrString { found } => {
            format!("must be a whole number, not {found}")
        }
        Reason::PlaceholderNotSent { name } => format!(
            "has placeholder `{{{name}}}`, which a continuation cannot fill: add `{name}` to `resend`"
        ),
        Reason::ForbiddenHeader { name } => format!(
            "names header `{name}`, which a declaration may not set (it frames, routes or authenticates the request)"
        ),
        Reason::SameParam { with } => format!("names the same parameter as `{with}`"),
        // `continue_route`: the grammar's own words.
        Reason::Route(route) => route.to_string(),
        _ => return None,
    })
}

fn keys_of(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What is wrong with an expression, and where: the reason part of
/// [`ModelProblem::BadExpression`]. `None` for a reason that is not about an expression's
/// text, which the caller words as the shared checks do.
fn expression_reason(reason: &paginated_rules::Reason) -> Option<String> {
    use paginated_rules::{Bound, MAX_INDEX, MAX_SLICE_STEP, Reason};
    Some(match reason {
        Reason::TooDeep(e) => e.to_string(),
        Reason::Syntax { message, offset } => format!("{message} (at character {offset})"),
        Reason::UnknownFunction {
            name,
            did_you_mean,
            offset,
        } => {
            let hint = did_you_mean.map_or(String::new(), |n| format!("; did you mean `{n}`?"));
            format!("unknown function `{name}` (at character {offset}){hint}")
        }
        Reason::WrongArity {
            name,
            arity,
            got,
            offset,
        } => format!("`{name}()` takes {arity}, got {got} (at character {offset})"),
        Reason::OutOfRange {
            bound,
            value,
            offset,
        } => {
            let (what, limit) = match bound {
                Bound::SliceStep => ("slice step", MAX_SLICE_STEP),
                Bound::Index => ("array index", MAX_INDEX),
                _ => ("slice bound", MAX_INDEX),
            };
            format!("{what} `{value}` is out of range, beyond ±{limit} (at character {offset})")
        }
        _ => return None,
    })
}
