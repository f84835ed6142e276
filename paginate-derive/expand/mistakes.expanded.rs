::core::compile_error! {
    "unknown key `output_tokn` in #[paginate(...)]; did you mean `output_token`?"
}
::core::compile_error! {
    "`result_key` entries must be dotted paths of identifiers, like `Contents` or `EngineDefaults.Parameters`; `Contents[0]` is not"
}
::core::compile_error! {
    "`input_token = \"Markr\"` names no field of `ListObjects`: did you mean `Marker`? the serialized field names are `Marker`"
}
#[automatically_derived]
impl ::paginated::Paginated for ListObjects {
    type Page = ::paginated::serde_json::Value;
    type Item = ::paginated::serde_json::Value;
    fn pagination_model() -> ::core::result::Result<
        &'static ::paginated::Model,
        ::paginated::Error,
    > {
        ::core::unreachable!()
    }
}
