// A position value must not control how a request is framed, routed or authenticated: a
// declaration may not send its token in `Authorization`, `Host`, `Content-Length`, … (P11).
#[derive(serde::Serialize, paginated::Paginated)]
#[paginate(
    input_token = "header('Authorization')",
    output_token = "header('X-Next')",
    result_key = "items",
)]
struct ListThings {}

fn main() {}
