//! A whole botocore `paginators-1.json` loaded as a [`Registry`] of models, looked up by
//! operation name as boto3's `client.get_paginator` does (S2), with the sdk-extras merge and
//! string-typed limits read from a service model (O2).

use std::collections::BTreeMap;

use paginated_rules::{did_you_mean_within, fold};
use serde_json::Value;

use crate::error::Error;
use crate::model::{LimitType, Model};

/// Every paginator of a service, loaded from a botocore `paginators-1.json` (S2).
///
/// ```
/// use paginated::model::Registry;
///
/// let registry = Registry::from_json(r#"{"pagination": {
///     "ListObjects": {"input_token": "Marker", "output_token": "NextMarker || Contents[-1].Key",
///                     "more_results": "IsTruncated", "result_key": ["Contents", "CommonPrefixes"]}
/// }}"#)?;
/// let model = registry.get("ListObjects")?;
/// assert_eq!(model.operation(), "ListObjects");
/// // boto3's spelling works too.
/// assert_eq!(registry.get("list_objects")?.operation(), "ListObjects");
/// assert!(registry.get("ListObject").is_err());
/// # Ok::<(), paginated::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Registry {
    models: BTreeMap<String, Model>,
}

impl Registry {
    /// Parses a `paginators-1.json` document.
    pub fn from_json(text: &str) -> Result<Registry, Error> {
        let doc: Value = serde_json::from_str(text).map_err(|e| Error::InvalidRegistry {
            reason: format!("not JSON: {e}"),
        })?;
        Registry::from_value(&doc)
    }

    /// Loads a parsed `paginators-1.json` document: `{"pagination": {"Operation": {…}, …}}`.
    pub fn from_value(doc: &Value) -> Result<Registry, Error> {
        let entries = doc
            .get("pagination")
            .and_then(Value::as_object)
            .ok_or_else(|| Error::InvalidRegistry {
                reason: "expected an object with a `pagination` object".to_owned(),
            })?;
        let models = entries
            .iter()
            .map(|(op, entry)| Ok((op.clone(), Model::from_botocore(op.clone(), entry)?)))
            .collect::<Result<_, Error>>()?;
        Ok(Registry { models })
    }

    /// Loads a `paginators-1.json` document together with the service's
    /// `paginators-1.sdk-extras.json`, whose `merge` object botocore merges into the models
    /// (objects merged key by key, anything else replaced), as boto3 sees them.
    pub fn from_value_with_extras(doc: &Value, extras: &Value) -> Result<Registry, Error> {
        let Some(merge) = extras.get("merge") else {
            return Err(Error::InvalidRegistry {
                reason: "sdk-extras document has no `merge` object".to_owned(),
            });
        };
        let mut merged = doc.clone();
        deep_merge(&mut merged, merge);
        Registry::from_value(&merged)
    }

    /// Marks string-typed limit keys (route53 `MaxItems`) from the service's botocore
    /// `service-2.json`, so page sizes are sent as strings where the service wants them (O2).
    /// Returns how many models changed.
    pub fn apply_service_model(&mut self, service: &Value) -> usize {
        let mut changed = 0;
        for (op, model) in &mut self.models {
            let Some(limit_key) = model.limit_key() else {
                continue;
            };
            let shape_type = service
                .pointer(&format!("/operations/{}/input/shape", escape_pointer(op)))
                .and_then(Value::as_str)
                .and_then(|input| {
                    service.pointer(&format!(
                        "/shapes/{}/members/{}/shape",
                        escape_pointer(input),
                        escape_pointer(limit_key)
                    ))
                })
                .and_then(Value::as_str)
                .and_then(|member| {
                    service.pointer(&format!("/shapes/{}/type", escape_pointer(member)))
                })
                .and_then(Value::as_str);
            if shape_type == Some("string") && model.limit_type() != LimitType::String {
                *model = model.with_limit_type(LimitType::String);
                changed += 1;
            }
        }
        changed
    }

    /// The model of `operation`. Accepts the botocore name (`ListObjectsV2`) or boto3's
    /// snake case (`list_objects_v2`). An unknown name is an [`Error::UnknownOperation`].
    pub fn get(&self, operation: &str) -> Result<&Model, Error> {
        if let Some(m) = self.models.get(operation) {
            return Ok(m);
        }
        let wanted = fold(operation);
        if let Some(m) = self.models.iter().find(|(k, _)| fold(k) == wanted) {
            return Ok(m.1);
        }
        // The workspace's one did-you-mean (`paginated-rules`), as the derive suggests keys.
        // S2: an operation name is suggested within two edits, however short it is.
        let did_you_mean =
            did_you_mean_within(operation, self.models.keys().map(String::as_str), 2);
        Err(Error::UnknownOperation {
            operation: operation.to_owned(),
            did_you_mean: did_you_mean.map(str::to_owned),
        })
    }

    /// The operation names, sorted.
    pub fn operations(&self) -> impl ExactSizeIterator<Item = &str> {
        self.models.keys().map(String::as_str)
    }

    /// How many operations the registry holds.
    pub fn len(&self) -> usize {
        self.models.len()
    }

    /// True when the registry holds no operation.
    pub fn is_empty(&self) -> bool {
        self.models.is_empty()
    }

    /// Adds or replaces a model under its operation name.
    pub fn insert(&mut self, model: Model) {
        self.models.insert(model.operation().to_owned(), model);
    }
}

fn deep_merge(into: &mut Value, from: &Value) {
    match (into, from) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                match a.get_mut(k) {
                    Some(existing) => deep_merge(existing, v),
                    None => {
                        a.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (slot, v) => *slot = v.clone(),
    }
}

fn escape_pointer(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn s2_registry_lookup_and_unknown_operation() {
        let reg = Registry::from_value(&json!({"pagination": {
            "ListObjectsV2": {"input_token": "ContinuationToken", "output_token": "NextContinuationToken", "result_key": "Contents"},
            "ListBuckets": {"input_token": "ContinuationToken", "output_token": "ContinuationToken", "result_key": "Buckets"}
        }}))
        .unwrap();
        assert_eq!(reg.len(), 2);
        assert_eq!(
            reg.get("list_objects_v2").unwrap().operation(),
            "ListObjectsV2"
        );
        match reg.get("ListObjectV2") {
            Err(e @ Error::UnknownOperation { .. }) => assert_eq!(
                e.to_string(),
                "no paginator for operation `ListObjectV2`; did you mean `ListObjectsV2`?"
            ),
            other => panic!("{other:?}"),
        }
        // Two edits in a short name are still a suggestion.
        let short = Registry::from_value(&json!({"pagination": {
            "Scan": {"input_token": "ExclusiveStartKey", "output_token": "LastEvaluatedKey", "result_key": "Items"}
        }}))
        .unwrap();
        assert!(matches!(
            short.get("Sacn"),
            Err(Error::UnknownOperation { did_you_mean: Some(name), .. }) if name == "Scan"
        ));
        match reg.get("DescribeInstances") {
            Err(Error::UnknownOperation {
                operation,
                did_you_mean: None,
            }) => {
                assert_eq!(operation, "DescribeInstances")
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            Registry::from_json("{}"),
            Err(Error::InvalidRegistry { .. })
        ));
        assert!(matches!(
            Registry::from_json("nope"),
            Err(Error::InvalidRegistry { .. })
        ));
        // One bad entry names its operation.
        match Registry::from_value(&json!({"pagination": {"Bad": {"input_token": "A"}}})) {
            Err(Error::InvalidModel { operation, .. }) => assert_eq!(operation, "Bad"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn s2_sdk_extras_merge_into_models() {
        let doc = json!({"pagination": {"ListObjects": {
            "input_token": "Marker", "output_token": "NextMarker", "result_key": "Contents",
            "non_aggregate_keys": ["Old"]}}});
        let extras = json!({"version": 1.0, "merge": {"pagination": {"ListObjects": {
            "non_aggregate_keys": ["RequestCharged", "Prefix"]}}}});
        let reg = Registry::from_value_with_extras(&doc, &extras).unwrap();
        let m = reg.get("ListObjects").unwrap();
        assert_eq!(
            m.non_aggregate_keys().collect::<Vec<_>>(),
            ["RequestCharged", "Prefix"]
        );
        assert!(Registry::from_value_with_extras(&doc, &json!({})).is_err());
    }

    #[test]
    fn o2_limit_type_from_service_model() {
        let mut reg = Registry::from_value(&json!({"pagination": {
            "ListResourceRecordSets": {"input_token": "StartRecordName", "output_token": "NextRecordName",
                                       "limit_key": "MaxItems", "result_key": "ResourceRecordSets"},
            "ListHostedZones": {"input_token": "Marker", "output_token": "NextMarker",
                                "limit_key": "MaxItems", "result_key": "HostedZones"}
        }}))
        .unwrap();
        let service = json!({
            "operations": {
                "ListResourceRecordSets": {"input": {"shape": "ListResourceRecordSetsRequest"}},
                "ListHostedZones": {"input": {"shape": "ListHostedZonesRequest"}}
            },
            "shapes": {
                "ListResourceRecordSetsRequest": {"type": "structure", "members": {"MaxItems": {"shape": "PageMaxItems"}}},
                "ListHostedZonesRequest": {"type": "structure", "members": {"MaxItems": {"shape": "Count"}}},
                "PageMaxItems": {"type": "string"},
                "Count": {"type": "integer"}
            }
        });
        assert_eq!(reg.apply_service_model(&service), 1);
        assert_eq!(
            reg.get("ListResourceRecordSets").unwrap().limit_type(),
            LimitType::String
        );
        assert_eq!(
            reg.get("ListHostedZones").unwrap().limit_type(),
            LimitType::Integer
        );
    }
}
