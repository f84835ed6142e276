// An expression nested deeper than the engine's bound is refused at compile time, as the
// engine refuses it at run time (its recursive parser could overflow the stack).
#[derive(serde::Serialize, paginated::Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    input_token = "Marker",
    output_token = "(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((a)))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))",
    result_key = "Contents"
)]
struct ListObjects {
    marker: Option<String>,
}

fn main() {}
