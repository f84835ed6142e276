//! The JMESPath built-in functions: names and arities, the one table both the checker
//! ([`crate::check`]) and the engine's compiler (`paginated`'s `expr/functions.rs`, which
//! evaluates them) read, so that what the derive accepts and what the engine compiles cannot
//! drift apart (SEMANTICS S1, E3).

use std::fmt;

/// How many arguments a function takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arity {
    /// The number of arguments, or the least number when [`Arity::variadic`].
    pub count: usize,
    /// More arguments may follow (`merge`, `not_null`).
    pub variadic: bool,
}

impl Arity {
    const fn exactly(count: usize) -> Arity {
        Arity {
            count,
            variadic: false,
        }
    }

    const fn at_least(count: usize) -> Arity {
        Arity {
            count,
            variadic: true,
        }
    }

    /// True when a call with `args` arguments is allowed.
    pub fn accepts(self, args: usize) -> bool {
        args == self.count || (self.variadic && args > self.count)
    }
}

impl fmt::Display for Arity {
    /// "1 argument", "2 arguments", "at least 1 argument".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at_least = if self.variadic { "at least " } else { "" };
        let s = if self.count == 1 { "" } else { "s" };
        write!(f, "{at_least}{} argument{s}", self.count)
    }
}

/// A built-in function's name and arity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    /// The name, as called: `length`.
    pub name: &'static str,
    /// How many arguments it takes.
    pub arity: Arity,
}

const fn sig(name: &'static str, arity: Arity) -> Signature {
    Signature { name, arity }
}

/// Every built-in function of the JMESPath specification, sorted by name.
pub const FUNCTIONS: &[Signature] = &[
    sig("abs", Arity::exactly(1)),
    sig("avg", Arity::exactly(1)),
    sig("ceil", Arity::exactly(1)),
    sig("contains", Arity::exactly(2)),
    sig("ends_with", Arity::exactly(2)),
    sig("floor", Arity::exactly(1)),
    sig("join", Arity::exactly(2)),
    sig("keys", Arity::exactly(1)),
    sig("length", Arity::exactly(1)),
    sig("map", Arity::exactly(2)),
    sig("max", Arity::exactly(1)),
    sig("max_by", Arity::exactly(2)),
    sig("merge", Arity::at_least(1)),
    sig("min", Arity::exactly(1)),
    sig("min_by", Arity::exactly(2)),
    sig("not_null", Arity::at_least(1)),
    sig("reverse", Arity::exactly(1)),
    sig("sort", Arity::exactly(1)),
    sig("sort_by", Arity::exactly(2)),
    sig("starts_with", Arity::exactly(2)),
    sig("sum", Arity::exactly(1)),
    sig("to_array", Arity::exactly(1)),
    sig("to_number", Arity::exactly(1)),
    sig("to_string", Arity::exactly(1)),
    sig("type", Arity::exactly(1)),
    sig("values", Arity::exactly(1)),
];

/// The built-in function called `name`, if there is one.
pub fn function(name: &str) -> Option<&'static Signature> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

/// The names of every built-in function, in the table's order.
pub fn function_names() -> impl Iterator<Item = &'static str> {
    FUNCTIONS.iter().map(|f| f.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_arities_read_well() {
        assert!(FUNCTIONS.windows(2).all(|w| w[0].name < w[1].name));
        assert_eq!(FUNCTIONS.len(), 26);
        let merge = function("merge").unwrap().arity;
        assert!(merge.accepts(1) && merge.accepts(5) && !merge.accepts(0));
        assert_eq!(merge.to_string(), "at least 1 argument");
        assert_eq!(function("join").unwrap().arity.to_string(), "2 arguments");
        assert!(function("nope").is_none());
    }
}
