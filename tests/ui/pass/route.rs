// Routes whose placeholders are serialized names: after `rename_all`, after `rename`, a raw
// identifier, a name a `flatten` field may supply; and every method. The model carries the
// route, and a transport receives it with each page request.
use std::cell::RefCell;

use paginated::serde_json::{Map, Value, json};
use paginated::blocking::Transport;
use paginated::route::Method;
use paginated::{PageRequest, Paginated, Reply};

#[derive(serde::Serialize, Paginated)]
#[serde(rename_all = "PascalCase")]
#[paginate(
    route = "GET /buckets/{Bucket}/objects/{Key}/{type}",
    input_token = "Marker",
    output_token = "NextMarker",
    result_key = "Contents"
)]
struct ListObjects {
    bucket: String,
    #[serde(rename = "Key")]
    object_key: String,
    #[serde(rename = "type")]
    r#type: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    marker: Option<String>,
}

#[derive(serde::Serialize, Paginated)]
#[paginate(route = "POST /v1/{tenant}/search", input_token = "cursor",
           output_token = "next", result_key = "hits")]
struct Search {
    #[serde(flatten)]
    scope: Map<String, Value>,
    cursor: Option<String>,
}

macro_rules! method {
    ($name:ident, $route:literal) => {
        #[derive(serde::Serialize, Paginated)]
        #[paginate(route = $route, input_token = "cursor", output_token = "next",
                   result_key = "items")]
        struct $name {
            cursor: Option<String>,
        }
    };
}
method!(Put, "PUT /v1/items");
method!(Patch, "PATCH /v1/items");
method!(Delete, "DELETE /v1/items");

struct Recorder(RefCell<Vec<String>>);

impl Transport for Recorder {
    type Error = std::io::Error;

    fn fetch(&self, request: PageRequest<'_>) -> Result<Reply, std::io::Error> {
        let route = request.route().map(|r| r.render(request.params()).unwrap().path);
        self.0.borrow_mut().push(route.unwrap_or_default());
        Ok(json!({}).into())
    }
}

fn main() {
    let model = ListObjects::pagination_model().unwrap();
    let route = model.route().unwrap();
    assert_eq!(route.as_str(), "GET /buckets/{Bucket}/objects/{Key}/{type}");
    assert_eq!(route.method(), Method::Get);

    let api = Recorder(RefCell::new(Vec::new()));
    let request = ListObjects {
        bucket: "photos".into(),
        object_key: "a b".into(),
        r#type: 2,
        marker: None,
    };
    let _ = request.paginate(&api).count();
    let mut scope = Map::new();
    scope.insert("tenant".into(), json!("acme"));
    let _ = Search { scope, cursor: None }.paginate(&api).count();
    assert_eq!(
        *api.0.borrow(),
        ["/buckets/photos/objects/a%20b/2", "/v1/acme/search"]
    );

    let methods = [
        Put::pagination_model().unwrap().route().unwrap().method(),
        Patch::pagination_model().unwrap().route().unwrap().method(),
        Delete::pagination_model().unwrap().route().unwrap().method(),
    ];
    assert_eq!(methods, [Method::Put, Method::Patch, Method::Delete]);
}
