//! S3's XML responses read into the JSON shape botocore parses them into, so botocore's
//! paginator models (`NextMarker || Contents[-1].Key`, `IsTruncated`, …) apply unchanged.
//!
//! botocore drives its parser with the service model; here a [`Shape`] says the few things
//! the XML alone cannot: which elements are flattened lists (S3 repeats `<Contents>` with no
//! wrapper, and a listing with one object is still a list), which hold numbers or booleans,
//! and the list names botocore uses (`<Version>` elements become `Versions`). Everything
//! else is a string, or an object when it has child elements. Namespaces are dropped.

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use quick_xml::reader::Reader;
use serde_json::{Map, Number, Value};

/// Nesting deeper than this is refused rather than followed (S3 listings nest 3 levels).
const MAX_DEPTH: usize = 32;

/// The typing rules of one response.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    /// Flattened lists: (XML element name, JSON key).
    pub(crate) lists: &'static [(&'static str, &'static str)],
    /// Elements whose text is an integer.
    pub(crate) integers: &'static [&'static str],
    /// Elements whose text is `true` or `false`.
    pub(crate) booleans: &'static [&'static str],
}

/// The shape of S3's `ListObjects`, `ListObjectsV2` and `ListObjectVersions` responses
/// (botocore's `ListObjectsOutput`, `ListObjectsV2Output`, `ListObjectVersionsOutput`).
pub(crate) const S3_LISTING: Shape = Shape {
    lists: &[
        ("Contents", "Contents"),
        ("CommonPrefixes", "CommonPrefixes"),
        ("Version", "Versions"),
        ("DeleteMarker", "DeleteMarkers"),
        ("ChecksumAlgorithm", "ChecksumAlgorithm"),
    ],
    integers: &["MaxKeys", "KeyCount", "Size"],
    booleans: &["IsTruncated", "IsLatest"],
};

/// An element: its local name, its text and its child elements.
#[derive(Debug, Default)]
pub(crate) struct Element {
    pub(crate) name: String,
    pub(crate) text: String,
    pub(crate) children: Vec<Element>,
}

/// Parses a document into its root element.
pub(crate) fn parse(text: &str) -> Result<Element, String> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("XML error at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(format!("XML nested deeper than {MAX_DEPTH} elements"));
                }
                stack.push(Element {
                    name: start.local_name().as_ref().to_owned(),
                    ..Element::default()
                });
            }
            Event::Empty(start) => {
                let element = Element {
                    name: start.local_name().as_ref().to_owned(),
                    ..Element::default()
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None if root.is_none() => root = Some(element),
                    None => return Err("XML with more than one root element".to_owned()),
                }
            }
            Event::End(_) => {
                let element = stack
                    .pop()
                    .ok_or_else(|| "XML end tag without a start tag".to_owned())?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None if root.is_none() => root = Some(element),
                    None => return Err("XML with more than one root element".to_owned()),
                }
            }
            Event::Text(text) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&text.xml10_content());
                }
            }
            Event::CData(data) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&data.xml10_content());
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference
                    .resolve_char_ref()
                    .map_err(|e| format!("XML character reference: {e}"))?
                {
                    Some(c) => c.to_string(),
                    None => {
                        let name = reference.xml10_content();
                        resolve_predefined_entity(&name)
                            .ok_or_else(|| format!("XML entity &{name}; is not defined"))?
                            .to_owned()
                    }
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&resolved);
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err("XML ends inside an element".to_owned());
    }
    root.ok_or_else(|| "XML without a root element".to_owned())
}

/// The text of the first element called `name`, read as far as it goes: an error body's
/// excerpt may be cut after it. `None` when there is none before the document ends or breaks.
pub(crate) fn first_text(text: &str, name: &str) -> Option<String> {
    let mut reader = Reader::from_str(text);
    let mut inside: Option<String> = None;
    loop {
        match reader.read_event().ok()? {
            Event::Start(start) if inside.is_none() && start.local_name().as_ref() == name => {
                inside = Some(String::new());
            }
            Event::Text(t) => {
                if let Some(found) = inside.as_mut() {
                    found.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(reference) => {
                if let Some(found) = inside.as_mut() {
                    let name = reference.xml10_content();
                    found.push_str(resolve_predefined_entity(&name)?);
                }
            }
            Event::End(_) if inside.is_some() => return inside,
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// The children of `element` as a JSON object, typed by `shape`.
pub(crate) fn to_json(element: &Element, shape: &Shape) -> Result<Value, String> {
    let mut object = Map::new();
    for child in &element.children {
        let value = if child.children.is_empty() {
            scalar(child, shape)?
        } else {
            to_json(child, shape)?
        };
        match shape.lists.iter().find(|(xml, _)| *xml == child.name) {
            Some((_, key)) => match object
                .entry((*key).to_owned())
                .or_insert_with(|| Value::Array(Vec::new()))
            {
                Value::Array(items) => items.push(value),
                _ => return Err(format!("`{key}` is both a list and a value")),
            },
            None => {
                object.insert(child.name.clone(), value);
            }
        }
    }
    Ok(Value::Object(object))
}

fn scalar(element: &Element, shape: &Shape) -> Result<Value, String> {
    let name = element.name.as_str();
    let text = element.text.as_str();
    if shape.integers.contains(&name) {
        let n: i64 = text
            .trim()
            .parse()
            .map_err(|e| format!("<{name}>{text}</{name}> is not an integer: {e}"))?;
        return Ok(Value::Number(Number::from(n)));
    }
    if shape.booleans.contains(&name) {
        return match text.trim() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            other => Err(format!("<{name}>{other}</{name}> is not a boolean")),
        };
    }
    Ok(Value::String(text.to_owned()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn a_listing_becomes_botocores_json_shape() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>b</Name><Prefix></Prefix><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>
  <Contents><Key>a &amp; b &#x263A;.txt</Key><Size>3</Size></Contents>
  <CommonPrefixes><Prefix>photos/</Prefix></CommonPrefixes>
  <Contents><Key><![CDATA[<c>]]></Key><Size>0</Size></Contents>
  <Delimiter/>
</ListBucketResult>"#;
        let root = parse(xml).unwrap();
        assert_eq!(root.name, "ListBucketResult");
        assert_eq!(
            to_json(&root, &S3_LISTING).unwrap(),
            json!({
                "Name": "b", "Prefix": "", "MaxKeys": 2, "IsTruncated": true,
                "Contents": [{"Key": "a & b \u{263A}.txt", "Size": 3}, {"Key": "<c>", "Size": 0}],
                "CommonPrefixes": [{"Prefix": "photos/"}],
                "Delimiter": "",
            })
        );
    }

    #[test]
    fn versions_and_delete_markers_take_botocores_list_names() {
        let xml = "<ListVersionsResult><Version><Key>k</Key><IsLatest>false</IsLatest></Version>\
                   <DeleteMarker><Key>k</Key><IsLatest>true</IsLatest></DeleteMarker></ListVersionsResult>";
        let json = to_json(&parse(xml).unwrap(), &S3_LISTING).unwrap();
        assert_eq!(
            json,
            json!({"Versions": [{"Key": "k", "IsLatest": false}], "DeleteMarkers": [{"Key": "k", "IsLatest": true}]})
        );
    }

    #[test]
    fn malformed_documents_are_errors() {
        for (xml, wanted) in [
            ("<a><b></a>", "XML error"),
            ("<a>", "ends inside"),
            ("", "without a root"),
            ("<a/><b/>", "more than one root"),
            ("<a>&nope;</a>", "not defined"),
        ] {
            let error = parse(xml).unwrap_err();
            assert!(error.contains(wanted), "{xml}: {error}");
        }
        let deep = "<a>".repeat(100);
        assert!(parse(&deep).unwrap_err().contains("deeper"));
        let bad = parse("<r><MaxKeys>x</MaxKeys></r>").unwrap();
        assert!(
            to_json(&bad, &S3_LISTING)
                .unwrap_err()
                .contains("not an integer")
        );
        let bad = parse("<r><IsTruncated>yes</IsTruncated></r>").unwrap();
        assert!(
            to_json(&bad, &S3_LISTING)
                .unwrap_err()
                .contains("not a boolean")
        );
    }
}
