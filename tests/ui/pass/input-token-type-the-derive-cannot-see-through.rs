// Types that may be an `Option` are not refused: a type alias, a generic parameter, a path
// that is not the standard library's. Only plainly non-`Option` types are (see the `fail` cases).
use paginated::Paginated;

type Marker = Option<String>;

mod wire {
    #[allow(dead_code)]
    pub type String = Option<std::string::String>;
}

#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(
    input_token = ["marker", "cursor", "page"],
    output_token = ["next_marker", "next_cursor", "next_page"],
    result_key = "items"
)]
struct ListItems<T: serde::Serialize> {
    marker: Marker,
    cursor: T,
    page: wire::String,
}

fn main() {
    let model = ListItems::<Option<u32>>::pagination_model().unwrap();
    assert_eq!(model.input_tokens().len(), 3);
}
