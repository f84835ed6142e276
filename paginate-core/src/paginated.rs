//! The `Paginated` trait that `#[derive(Paginated)]` implements (its methods, not the
//! attributes: those are in `derive.md`), and the hidden support the generated code calls into.

use std::borrow::Borrow;
use std::ops::Deref;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::engine::Run;
use crate::error::{Error, ModelProblem};
use crate::fanout::FanOut;
use crate::model::{LimitType, Model};
use crate::{blocking, nonblocking};

/// A request type that knows its pagination model, and the methods that page through it.
///
/// Implement it with [`#[derive(Paginated)]`](derive@crate::Paginated), whose documentation is
/// the reference for the `#[paginate(...)]` attributes. What the implementation gives:
///
/// - [`paginate`](Paginated::paginate) starts a blocking run over a [`blocking::Transport`] and returns
///   its [`Pages`](blocking::Pages), with every option of a run (`max_items`, `page_size`, `starting_token`)
///   and every view of it (`items`, `search`, `build_full_result`, `resume_token`);
/// - [`paginate_async`](Paginated::paginate_async) is the same over a [`nonblocking::Transport`],
///   as a [`Pages`](nonblocking::Pages) stream;
/// - [`fan_out`](Paginated::fan_out) runs many requests of the type at once, their typed
///   items merged into one [`FanOut`];
/// - [`pagination_model`](Paginated::pagination_model) is the [`Model`] the runs follow,
///   built once per type;
/// - [`Page`](Paginated::Page) and [`Item`](Paginated::Item) are what pages and items
///   deserialize into.
///
/// Every call to `paginate` serializes the request with serde into the params of the first
/// page, so the type must be `serde::Serialize`. For generic code, `R: Paginated` does not
/// imply `R: Serialize` (the supertrait stands for it, so that a forgotten derive is one clear
/// error); write `R: Paginated + Serialize` to serialize `R` yourself. Code that only pages
/// needs nothing more:
///
/// ```
/// use paginated::blocking::{Transport, from_fn};
/// use paginated::{Error, Paginated};
/// use serde_json::json;
///
/// /// How many items a listing has, for any paginated request.
/// fn count<R: Paginated>(request: &R, api: &impl Transport) -> Result<usize, Error> {
///     let mut n = 0;
///     for item in request.paginate(api).items() {
///         item?;
///         n += 1;
///     }
///     Ok(n)
/// }
///
/// #[derive(serde::Serialize, Paginated)]
/// #[paginate(input_token = "after", output_token = "next", result_key = "items")]
/// struct ListItems {
///     #[serde(skip_serializing_if = "Option::is_none")]
///     after: Option<u32>,
/// }
///
/// let api = from_fn(|request| Ok::<_, std::io::Error>(match request.params().get("after") {
///     None => json!({"items": ["a", "b"], "next": 2}),
///     Some(_) => json!({"items": ["c"]}),
/// }));
/// assert_eq!(count(&ListItems { after: None }, &api)?, 3);
/// # Ok::<(), Error>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a paginated request",
    label = "this type does not implement `Paginated`",
    note = "add `#[derive(serde::Serialize, paginated::Paginated)]` and a `#[paginate(...)]` attribute to the request struct"
)]
pub trait Paginated: __private::SerializeRequest {
    /// What [`Pages`](blocking::Pages) gives for each page: `serde_json::Value` unless the derive's `page` key
    /// names a type.
    type Page: DeserializeOwned + 'static;
    /// What [`Pages::items`](blocking::Pages::items) gives for each item: `serde_json::Value` unless the derive's
    /// `item` key names a type.
    type Item: DeserializeOwned + 'static;

    /// The type's pagination model, built once per type, at first use.
    ///
    /// For a derived type this never fails: the derive runs at compile time the checks
    /// [`Model::builder`] runs when it builds (one set, `paginated-rules`; SEMANTICS S1), so a
    /// declaration that compiles builds its model. The `Result` is for implementations written
    /// by hand, whose failure (an [`Error::InvalidModel`], typically) is what the first page
    /// of [`paginate`](Paginated::paginate) and [`paginate_async`](Paginated::paginate_async)
    /// then reports, without sending anything; such a run's [`Pages::model`](blocking::Pages::model) has the operation's
    /// name and no tokens or keys.
    fn pagination_model() -> Result<&'static Model, Error>;

    /// Starts a run with this request as the first page's params, over `transport`:
    /// anything that dereferences to a [`blocking::Transport`] (`&api`, `Arc<Api>`, …). All the
    /// options of [`Pages`](blocking::Pages) apply: `max_items`, `page_size`, `starting_token`, `items`,
    /// `search`, `build_full_result`, `resume_token`.
    ///
    /// A request that does not serialize into a JSON object is reported by the first
    /// `next()`, before any request is sent.
    fn paginate<H>(&self, transport: H) -> blocking::Pages<H, Self::Page, Self::Item>
    where
        H: Deref,
        H::Target: blocking::Transport,
    {
        match start(self) {
            Ok((model, params)) => model.paginate(transport, params).typed(),
            Err(failed) => {
                let (model, error) = *failed;
                blocking::Pages::failed(model, transport, error)
            }
        }
    }

    /// The async counterpart of [`Paginated::paginate`], over a [`nonblocking::Transport`].
    fn paginate_async<'a, H>(
        &self,
        transport: H,
    ) -> nonblocking::Pages<'a, H, Self::Page, Self::Item>
    where
        H: Deref + Clone + Send + 'a,
        H::Target: nonblocking::Transport,
    {
        match start(self) {
            Ok((model, params)) => model.paginate_async(transport, params).typed(),
            Err(failed) => {
                let (model, error) = *failed;
                nonblocking::Pages::new(transport, Run::failed(model, error))
            }
        }
    }

    /// Many runs at once over `transport`, one per request, their items (typed as
    /// [`Item`](Paginated::Item)) merged into one [`FanOut`] whose elements say which run
    /// they came from: run `i` is the `i`-th request. Requests go in by value or by reference.
    ///
    /// Each run is `request.paginate_async(transport).items()`. For options of a run's own
    /// (a page size, `max_items`, a starting token), build the runs that way and collect them
    /// into a `FanOut`; [`FanOut::resume`] does the same from a checkpoint:
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use paginated::Paginated;
    /// use paginated::fanout::{FanCheckpoint, FanOut};
    /// use paginated::nonblocking::from_fn;
    /// use serde_json::json;
    ///
    /// #[derive(serde::Deserialize, Debug, PartialEq)]
    /// struct User {
    ///     id: u64,
    /// }
    ///
    /// #[derive(serde::Serialize, Paginated)]
    /// #[paginate(input_token = "after", output_token = "next", result_key = "users",
    ///            limit_key = "limit", item = "User")]
    /// struct ListUsers {
    ///     tenant: u64,
    ///     #[serde(skip_serializing_if = "Option::is_none")]
    ///     after: Option<u64>,
    ///     #[serde(skip_serializing_if = "Option::is_none")]
    ///     limit: Option<u64>,
    /// }
    ///
    /// // Tenant `t` has the users `t * 100 + 0..5`, `limit` per page (2 unless asked);
    /// // `after` is where a page starts.
    /// let api = from_fn(|request| async move {
    ///     let params = request.params();
    ///     let tenant = params["tenant"].as_u64().unwrap_or(0);
    ///     let from = params.get("after").and_then(|a| a.as_u64()).unwrap_or(0);
    ///     let limit = params.get("limit").and_then(|l| l.as_u64()).unwrap_or(2);
    ///     let end = 5.min(from + limit);
    ///     let next = (end < 5).then_some(end);
    ///     let users: Vec<_> = (from..end).map(|id| json!({"id": tenant * 100 + id})).collect();
    ///     Ok::<_, std::io::Error>(json!({"users": users, "next": next}))
    /// });
    /// let tenants: Vec<ListUsers> =
    ///     (1..=3).map(|tenant| ListUsers { tenant, after: None, limit: None }).collect();
    ///
    /// // One call: every tenant's users, as `User`s.
    /// let mut fan = ListUsers::fan_out(&api, &tenants);
    /// let mut ids = Vec::new();
    /// while let Some(user) = fan.next().await {
    ///     ids.push(user?.value.id);
    /// }
    /// ids.sort();
    /// assert_eq!(ids.len(), 15);
    /// assert_eq!(fan.requests_sent(), 9);
    ///
    /// // Each run its own page size; stop after 4 users and keep the checkpoint…
    /// let sizes = [1, 2, 5];
    /// let mut fan: FanOut<_> = tenants
    ///     .iter()
    ///     .zip(sizes)
    ///     .map(|(tenant, size)| tenant.paginate_async(&api).page_size(size).items())
    ///     .collect();
    /// for _ in 0..4 {
    ///     fan.next().await.transpose()?;
    /// }
    /// let checkpoint = fan.checkpoint().encode();
    ///
    /// // …and go on later from it, each run with its page size again.
    /// let checkpoint = FanCheckpoint::decode(&checkpoint)?;
    /// let mut rest = FanOut::resume(&checkpoint, |run, token| {
    ///     tenants[run].paginate_async(&api).page_size(sizes[run]).starting_token(token).items()
    /// });
    /// let mut left = 0;
    /// while let Some(user) = rest.next().await {
    ///     user?;
    ///     left += 1;
    /// }
    /// assert_eq!(left, 15 - 4);
    /// # Ok(()) }
    /// ```
    fn fan_out<'a, H, R>(
        transport: H,
        requests: impl IntoIterator<Item = R>,
    ) -> FanOut<nonblocking::Items<'a, H, Self::Item>>
    where
        R: Borrow<Self>,
        H: Deref + Clone + Send + 'a,
        H::Target: nonblocking::Transport,
    {
        requests
            .into_iter()
            .map(|request| request.borrow().paginate_async(transport.clone()).items())
            .collect()
    }
}

/// The model and the params of a request's first page, or the error to report instead, with
/// what the failed run holds: the request's model, or, when there is none, a model with only
/// the operation's name (the one the error names, else the request type's).
/// (Boxed: a failed start is rare, and the pair is larger than a `Result` should carry.)
#[allow(clippy::type_complexity)]
fn start<R: Paginated + ?Sized>(
    request: &R,
) -> Result<(&'static Model, Value), Box<(Model, Error)>> {
    let model = R::pagination_model().map_err(|error| {
        let operation = match &error {
            Error::InvalidModel { operation, .. } => operation.clone(),
            _ => std::any::type_name::<R>().to_owned(),
        };
        Box::new((Model::unavailable(operation), error))
    })?;
    let params = __private::SerializeRequest::to_params(request).map_err(|e| {
        let error = Error::Serialize {
            operation: model.operation().to_owned(),
            reason: e.to_string(),
        };
        Box::new((model.clone(), error))
    })?;
    Ok((model, params))
}

/// Support for the code `#[derive(Paginated)]` generates. Not a public API.
#[doc(hidden)]
pub mod __private {
    use std::sync::OnceLock;

    pub use serde;

    use super::{Error, LimitType, Model, ModelProblem, Serialize, Value};

    /// The supertrait of `Paginated` that stands for `serde::Serialize`.
    ///
    /// With `Serialize` itself as the supertrait, a request struct that forgets
    /// `#[derive(Serialize)]` gets serde's long diagnostic, ending in a "sealed trait" note
    /// about `serde_core`. This trait is implemented for every `Serialize` type, and
    /// `do_not_recommend` makes rustc report this trait, with the message below, instead of
    /// the bound of the blanket impl: one error that says what to add.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` must implement `serde::Serialize` to be a paginated request",
        label = "add `#[derive(serde::Serialize)]` to this struct",
        note = "a paginated request is serialized with serde into the params of its first page"
    )]
    pub trait SerializeRequest {
        /// The request as JSON params.
        fn to_params(&self) -> Result<Value, serde_json::Error>;
    }

    #[diagnostic::do_not_recommend]
    impl<T: Serialize + ?Sized> SerializeRequest for T {
        fn to_params(&self) -> Result<Value, serde_json::Error> {
            serde_json::to_value(self)
        }
    }

    /// A model as the derive writes it down, already checked at compile time by the checks
    /// `ModelBuilder::build` runs (S1), so building it cannot fail.
    #[derive(Debug)]
    pub struct Spec {
        pub operation: &'static str,
        pub input_token: &'static [&'static str],
        pub output_token: &'static [&'static str],
        pub result_key: &'static [&'static str],
        pub limit_key: Option<&'static str>,
        pub limit_type: LimitType,
        pub more_results: Option<&'static str>,
        pub non_aggregate_keys: &'static [&'static str],
        pub route: Option<&'static str>,
        pub next_url: Option<&'static str>,
        pub resend: &'static [&'static str],
        pub offset: Option<&'static str>,
        pub page_number: Option<&'static str>,
        pub first: Option<&'static str>,
        pub stop: &'static [&'static str],
        pub total: Option<&'static str>,
        pub continue_route: Option<&'static str>,
        pub check_keys: bool,
    }

    /// The once-per-type model cell behind `Paginated::pagination_model`.
    #[derive(Debug)]
    pub struct ModelCell(OnceLock<Result<Model, (String, ModelProblem)>>);

    impl ModelCell {
        #[allow(clippy::new_without_default)]
        pub const fn new() -> ModelCell {
            ModelCell(OnceLock::new())
        }

        /// The model of `spec`, built at the first call. The derive's checks are the
        /// builder's, so the error is never seen from a derived type; it is kept typed, not
        /// turned into a panic.
        pub fn get(&'static self, spec: &Spec) -> Result<&'static Model, Error> {
            self.0
                .get_or_init(|| build(spec))
                .as_ref()
                .map_err(|(operation, problem)| Error::InvalidModel {
                    operation: operation.clone(),
                    problem: problem.clone(),
                })
        }
    }

    fn build(spec: &Spec) -> Result<Model, (String, ModelProblem)> {
        let mut b = Model::builder(spec.operation)
            .limit_type(spec.limit_type)
            .check_keys(spec.check_keys);
        for t in spec.input_token {
            b = b.input_token(*t);
        }
        for t in spec.output_token {
            b = b.output_token(*t);
        }
        for k in spec.result_key {
            b = b.result_key(*k);
        }
        for k in spec.non_aggregate_keys {
            b = b.non_aggregate_key(*k);
        }
        if let Some(k) = spec.limit_key {
            b = b.limit_key(k);
        }
        if let Some(e) = spec.more_results {
            b = b.more_results(e);
        }
        if let Some(r) = spec.route {
            b = b.route(r);
        }
        if let Some(s) = spec.next_url {
            b = b.next_url(s);
        }
        for p in spec.resend {
            b = b.resend(*p);
        }
        if let Some(p) = spec.offset {
            b = b.offset(p);
        }
        if let Some(p) = spec.page_number {
            b = b.page_number(p);
        }
        if let Some(v) = spec.first {
            b = b.first(v);
        }
        for s in spec.stop {
            b = b.stop(*s);
        }
        if let Some(s) = spec.total {
            b = b.total(s);
        }
        if let Some(r) = spec.continue_route {
            b = b.continue_route(r);
        }
        b.build_or_problem()
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use super::*;
    use crate::blocking::from_fn;

    /// A hand-written implementation whose model cannot be built.
    #[derive(Serialize)]
    struct Broken;

    impl Paginated for Broken {
        type Page = Value;
        type Item = Value;

        fn pagination_model() -> Result<&'static Model, Error> {
            Model::builder("ListBroken")
                .input_token("Marker")
                .output_token("nope(NextMarker)")
                .result_key("Contents")
                .build()
                .map(|_| unreachable!("the model is broken"))
        }
    }

    // S1: a run whose model could not be built reports it on its first step, sends nothing,
    // and holds no made-up model: only the operation's name.
    #[test]
    fn a_failed_model_is_reported_by_the_first_page_without_a_request() {
        let api = from_fn(|_request| -> Result<Value, std::io::Error> {
            panic!("no request may be sent")
        });
        let mut pages = Broken.paginate(&api);
        assert_eq!(pages.model().operation(), "ListBroken");
        assert_eq!(pages.model().result_keys().len(), 0);
        assert_eq!(pages.resume_token(), None);
        match pages.next() {
            Some(Err(Error::InvalidModel { operation, problem })) => {
                assert_eq!(operation, "ListBroken");
                assert!(matches!(
                    problem,
                    ModelProblem::BadExpression {
                        field: "output_token",
                        ..
                    }
                ));
            }
            other => panic!("{other:?}"),
        }
        assert!(
            Broken
                .paginate(&api)
                .items()
                .next()
                .is_some_and(|r| r.is_err())
        );
        assert!(Broken.paginate(&api).build_full_result().is_err());

        // The run's model stands for the declaration that failed: a run started from it
        // again reports that, sends nothing and indexes no result key.
        let unavailable = Broken.paginate(&api).model().clone();
        let mut again = unavailable.paginate(&api, serde_json::json!({}));
        assert!(matches!(
            again.next(),
            Some(Err(Error::InvalidModel {
                problem: ModelProblem::Missing {
                    field: "result_key"
                },
                ..
            }))
        ));
        let mut items = unavailable.paginate(&api, serde_json::json!({})).items();
        assert!(matches!(
            items.next(),
            Some(Err(Error::InvalidModel { .. }))
        ));
        assert!(items.next().is_none());
    }
}
