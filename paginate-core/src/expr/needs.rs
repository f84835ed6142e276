//! What of a page an expression reads (G8): the top-level keys it names, and for a key it only
//! indexes with constants (`Contents[-1].Key`), just those elements; of a page that is a bare
//! array (P1), the elements it indexes with constants (`[-1].id`). A page read from a body
//! builds `Value`s for exactly that, and the expression gives on it what it gives on the whole
//! page. The analysis is conservative: anything it does not follow reads the whole page.

use super::Node;

/// What an expression evaluated on a page reads of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Needs {
    /// The whole page (`@`, a slice of the page itself, ...).
    pub(crate) page: bool,
    /// Elements of the page itself indexed by constants (`[-1].id`): what is read of a page
    /// that is a list (P1); on an object they are `null`, and nothing is read for them.
    pub(crate) page_at: Vec<i32>,
    /// Top-level keys, in the order first named, each with what is read of it.
    pub(crate) keys: Vec<(String, KeyNeed)>,
}

/// What is read of one top-level key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeyNeed {
    /// Its whole value.
    Whole,
    /// Only these elements of it (a list indexed by constants); anything but a list is read
    /// whole.
    At(Vec<i32>),
}

impl Needs {
    pub(super) fn of(node: &Node) -> Needs {
        let mut needs = Needs::default();
        needs.add(node);
        needs
    }

    fn key(&mut self, name: &str, need: KeyNeed) {
        match self.keys.iter_mut().find(|(k, _)| k == name) {
            None => self.keys.push((name.to_owned(), need)),
            Some((_, KeyNeed::Whole)) => {}
            Some((_, have @ KeyNeed::At(_))) => match (have, need) {
                (KeyNeed::At(have), KeyNeed::At(more)) => have.extend(more),
                (have, KeyNeed::Whole) => *have = KeyNeed::Whole,
                (KeyNeed::Whole, _) => {}
            },
        }
    }

    /// Adds what `node`, evaluated on the page, reads. Only the left side of a
    /// subexpression or projection is evaluated on the page itself; the right side sees
    /// what the left gave, which is exact when the left side's needs are met. The depth is
    /// bounded by the nesting check, as the evaluator's is.
    fn add(&mut self, node: &Node) {
        match node {
            Node::Literal(_) | Node::Expref(_) => {}
            Node::Field(name) => self.key(name, KeyNeed::Whole),
            Node::Index(i) => self.page_at.push(*i),
            Node::Identity | Node::Slice(..) => self.page = true,
            Node::Sub(lhs, rhs) => match (&**lhs, &**rhs) {
                (Node::Field(name), Node::Index(i)) => self.key(name, KeyNeed::At(vec![*i])),
                _ => self.add(lhs),
            },
            Node::Projection(lhs, _) => self.add(lhs),
            Node::Or(l, r) | Node::And(l, r) | Node::Compare(_, l, r) | Node::Condition(l, r) => {
                self.add(l);
                self.add(r);
            }
            Node::Not(inner) | Node::Flatten(inner) | Node::ObjectValues(inner) => self.add(inner),
            Node::MultiList(elements) => elements.iter().for_each(|e| self.add(e)),
            Node::MultiHash(elements) => elements.iter().for_each(|(_, e)| self.add(e)),
            // An `&expr` argument is applied by the function to elements of its other
            // arguments, never to the page.
            Node::Call(_, args) => args.iter().for_each(|a| self.add(a)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Expr;
    use super::*;

    fn needs(source: &str) -> Needs {
        Expr::compile(source)
            .map(|e| e.needs().clone())
            .unwrap_or_default()
    }

    fn keys(list: &[(&str, KeyNeed)]) -> Needs {
        Needs {
            page: false,
            page_at: Vec::new(),
            keys: list
                .iter()
                .map(|(k, n)| ((*k).to_owned(), n.clone()))
                .collect(),
        }
    }

    #[test]
    fn tokens_read_only_the_keys_they_name() {
        use KeyNeed::{At, Whole};
        assert_eq!(
            needs("NextMarker || Contents[-1].Key"),
            keys(&[("NextMarker", Whole), ("Contents", At(vec![-1]))])
        );
        assert_eq!(needs("Result.NextToken"), keys(&[("Result", Whole)]));
        assert_eq!(needs("A[0] && A[2].x"), keys(&[("A", At(vec![0, 2]))]));
        assert_eq!(needs("A[0] || A"), keys(&[("A", Whole)]));
        assert_eq!(needs("A || A[0]"), keys(&[("A", Whole)]));
        assert_eq!(
            needs("Contents[?Size > `5`].Key"),
            keys(&[("Contents", Whole)])
        );
        assert_eq!(needs("sort_by(Items, &Name)[0]"), keys(&[("Items", Whole)]));
        assert_eq!(
            needs("{a: A, b: [B, `1`]}"),
            keys(&[("A", Whole), ("B", Whole)])
        );
        assert_eq!(needs("`1`"), keys(&[]));
    }

    #[test]
    fn the_page_itself_is_read_whole() {
        for source in [
            "@",
            "keys(@)",
            "length(@)",
            "[1:2]",
            "*.x",
            "@.A[0]",
            "[*].id",
            "[]",
        ] {
            assert!(needs(source).page, "{source}");
        }
    }

    /// P1: a page that is a list is read only at the elements indexed by constants.
    #[test]
    fn p1_g8_indices_of_the_page_itself_read_only_those_elements() {
        for (source, at) in [
            ("[-1].id", vec![-1]),
            ("[0]", vec![0]),
            ("[0].id || [-1].id", vec![0, -1]),
            ("[2][0]", vec![2]),
        ] {
            let needs = needs(source);
            assert!(!needs.page, "{source}");
            assert_eq!(needs.page_at, at, "{source}");
            assert!(needs.keys.is_empty(), "{source}");
        }
    }
}
