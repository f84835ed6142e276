//! serde's `rename_all` conventions, applied to field names exactly as serde applies them, so
//! `input_token` and `limit_key` are matched against what is really sent.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RenameRule {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

impl RenameRule {
    pub(crate) fn from_str(rule: &str) -> Option<RenameRule> {
        Some(match rule {
            "lowercase" => RenameRule::Lower,
            "UPPERCASE" => RenameRule::Upper,
            "PascalCase" => RenameRule::Pascal,
            "camelCase" => RenameRule::Camel,
            "snake_case" => RenameRule::Snake,
            "SCREAMING_SNAKE_CASE" => RenameRule::ScreamingSnake,
            "kebab-case" => RenameRule::Kebab,
            "SCREAMING-KEBAB-CASE" => RenameRule::ScreamingKebab,
            _ => return None,
        })
    }

    /// Renames a field written in snake case, as serde does.
    pub(crate) fn apply_to_field(self, field: &str) -> String {
        match self {
            RenameRule::Lower | RenameRule::Snake => field.to_owned(),
            RenameRule::Upper | RenameRule::ScreamingSnake => field.to_ascii_uppercase(),
            RenameRule::Pascal => {
                let mut pascal = String::new();
                let mut capitalize = true;
                for ch in field.chars() {
                    if ch == '_' {
                        capitalize = true;
                    } else if capitalize {
                        pascal.push(ch.to_ascii_uppercase());
                        capitalize = false;
                    } else {
                        pascal.push(ch);
                    }
                }
                pascal
            }
            RenameRule::Camel => {
                let pascal = RenameRule::Pascal.apply_to_field(field);
                let mut chars = pascal.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                    None => pascal,
                }
            }
            RenameRule::Kebab => field.replace('_', "-"),
            RenameRule::ScreamingKebab => field.to_ascii_uppercase().replace('_', "-"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RenameRule;

    #[test]
    fn every_convention_as_serde_writes_it() {
        let cases = [
            ("lowercase", "max_keys", "max_keys"),
            ("UPPERCASE", "max_keys", "MAX_KEYS"),
            ("PascalCase", "max_keys", "MaxKeys"),
            ("camelCase", "max_keys", "maxKeys"),
            ("snake_case", "max_keys", "max_keys"),
            ("SCREAMING_SNAKE_CASE", "max_keys", "MAX_KEYS"),
            ("kebab-case", "max_keys", "max-keys"),
            ("SCREAMING-KEBAB-CASE", "max_keys", "MAX-KEYS"),
            ("PascalCase", "next_token2", "NextToken2"),
            ("camelCase", "marker", "marker"),
        ];
        for (rule, field, want) in cases {
            let rule = RenameRule::from_str(rule).unwrap();
            assert_eq!(rule.apply_to_field(field), want, "{rule:?}");
        }
        assert_eq!(RenameRule::from_str("Title Case"), None);
    }
}
