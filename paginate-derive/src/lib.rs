//! The derive macro behind `paginate_core::Paginated`.
//!
//! Not written yet: the engine in `paginate-core` comes first (SEMANTICS.md), and the derive
//! turns `#[paginate(...)]` attributes into the same runtime model that
//! `paginate_core::Model::from_botocore` builds. Until then this crate exports nothing.
