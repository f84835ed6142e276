// Lifetimes, type parameters and a where clause are carried over; `Self: Serialize` is added.
#[derive(Serialize, Paginated)]
#[paginate(input_token = "next_token", output_token = "next_token", result_key = "items")]
struct Query<'a, F: Clone, const N: usize>
where
    F: Serialize,
{
    next_token: Option<&'a str>,
    filter: F,
    #[serde(skip)]
    columns: [u8; N],
}
