//! Settings that take one of a few named values (a stemmer, an operator): the names, their
//! meaning and the parsing in one table per type, which the command line turns into its
//! choices and help without this crate knowing of it.

/// A type whose values have names.
pub trait Choice: Copy + PartialEq + Send + Sync + 'static {
    /// Every value with its name and a one-line description, in the order help lists them.
    const CHOICES: &'static [(Self, &'static str, &'static str)];

    /// The value named `name` (ASCII case ignored).
    fn from_name(name: &str) -> Option<Self> {
        Self::CHOICES
            .iter()
            .find(|(_, n, _)| n.eq_ignore_ascii_case(name.trim()))
            .map(|(value, _, _)| *value)
    }

    /// This value's name.
    fn name(self) -> &'static str {
        Self::CHOICES
            .iter()
            .find(|(value, _, _)| *value == self)
            .map_or("", |(_, name, _)| name)
    }
}
