//! Code generation. Everything here was checked already, so nothing can fail: the model is
//! written down as data and built once per type, at first use.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::valid::Checked;

pub(crate) fn expand(input: &DeriveInput, model: &Checked) -> TokenStream {
    let operation = &model.operation;
    let input_token = &model.input_token;
    let output_token = &model.output_token;
    let result_key = &model.result_key;
    let non_aggregate_keys = &model.non_aggregate_keys;
    let option = |v: &Option<String>| match v {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    };
    let limit_key = option(&model.limit_key);
    let more_results = option(&model.more_results);
    let route = option(&model.route);
    let next_url = option(&model.next_url);
    let resend = &model.resend;
    let offset = option(&model.offset);
    let page_number = option(&model.page_number);
    let first = option(&model.first);
    let stop = &model.stop;
    let total = option(&model.total);
    let continue_route = option(&model.continue_route);
    let check_keys = model.check_keys;
    let limit_type = if model.limit_is_string {
        quote!(::paginated::model::LimitType::String)
    } else {
        quote!(::paginated::model::LimitType::Integer)
    };
    let body = quote! {
        static MODEL: ::paginated::__private::ModelCell =
            ::paginated::__private::ModelCell::new();
        MODEL.get(&::paginated::__private::Spec {
            operation: #operation,
            input_token: &[#(#input_token),*],
            output_token: &[#(#output_token),*],
            result_key: &[#(#result_key),*],
            limit_key: #limit_key,
            limit_type: #limit_type,
            more_results: #more_results,
            non_aggregate_keys: &[#(#non_aggregate_keys),*],
            route: #route,
            next_url: #next_url,
            resend: &[#(#resend),*],
            offset: #offset,
            page_number: #page_number,
            first: #first,
            stop: &[#(#stop),*],
            total: #total,
            continue_route: #continue_route,
            check_keys: #check_keys,
        })
    };
    let json = quote!(::paginated::serde_json::Value);
    let page = model
        .page
        .as_ref()
        .map_or_else(|| json.clone(), |t| quote!(#t));
    let item = model.item.as_ref().map_or(json, |t| quote!(#t));
    impl_paginated(input, &page, &item, &body)
}

/// The `impl Paginated` around a `pagination_model` body, for any generics.
///
/// A generic struct is `Serialize` only for some arguments, so the impl is bounded by
/// `Self: Serialize`; a plain struct is left to the supertrait, whose error for a missing
/// `#[derive(Serialize)]` is the clearer one.
pub(crate) fn impl_paginated(
    input: &DeriveInput,
    page: &TokenStream,
    item: &TokenStream,
    body: &TokenStream,
) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let predicates = where_clause.map(|w| &w.predicates);
    let serialize = (input.generics.type_params().next().is_some())
        .then(|| quote!(Self: ::paginated::__private::serde::Serialize,));
    quote! {
        #[automatically_derived]
        impl #impl_generics ::paginated::Paginated for #ident #ty_generics
        where
            #predicates
            #serialize
        {
            type Page = #page;
            type Item = #item;

            fn pagination_model() -> ::core::result::Result<
                &'static ::paginated::Model,
                ::paginated::Error,
            > {
                #body
            }
        }
    }
}
