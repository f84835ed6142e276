//! What the derive emits when the declaration is wrong: the errors, plus an impl of the trait
//! so that code using the type does not fail a second time with unrelated errors.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::expand::impl_paginated;

pub(crate) fn expand(input: &DeriveInput, errors: &syn::Error) -> TokenStream {
    let errors = errors.to_compile_error();
    // A union can never be `Serialize`, so a stub impl would only add an error of its own.
    let stub = (!matches!(input.data, syn::Data::Union(_))).then(|| {
        let json = quote!(::paginated::serde_json::Value);
        impl_paginated(input, &json, &json, &quote!(::core::unreachable!()))
    });
    quote! {
        #errors
        #stub
    }
}
