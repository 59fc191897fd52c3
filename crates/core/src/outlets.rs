//! How outlets are shown to people: the archive stores each outlet under the code its corpus
//! uses (`alarabia`, `skynews`, `aawsat`); readers know them by their Arabic names. Used by the
//! page, citations and exports; filters take the stored code or the Arabic name.

use std::borrow::Cow;

/// Known outlet codes (ASCII case ignored) and the names the outlets give themselves in Arabic.
const DISPLAY_NAMES: &[(&str, &str)] = &[
    // ANT corpus.
    ("bbc", "BBC عربي"),
    ("cnn", "CNN بالعربية"),
    ("france24", "فرانس 24"),
    ("alarabia", "العربية"),
    ("alarabiya", "العربية"),
    ("skynews", "سكاي نيوز عربية"),
    // SaudiNewsNet.
    ("aawsat", "الشرق الأوسط"),
    ("aleqtisadiya", "الاقتصادية"),
    ("aljazirah", "الجزيرة"),
    ("almadina", "المدينة"),
    ("alriyadh", "الرياض"),
    ("alwatan", "الوطن"),
    ("alweeam", "الوئام"),
    ("alyaum", "اليوم"),
    ("arreyadi", "الرياضي"),
    ("arriyadiyah", "الرياضية"),
    ("okaz", "عكاظ"),
    ("sabq", "سبق"),
    ("was", "واس"),
    ("3alyoum", "عالم اليوم"),
];

/// The name to show for the outlet stored as `code`: its Arabic name when known, the code as
/// the source gave it otherwise.
pub fn display_name(code: &str) -> Cow<'_, str> {
    DISPLAY_NAMES
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(code.trim()))
        .map_or(Cow::Borrowed(code), |(_, name)| Cow::Borrowed(*name))
}

/// The codes of the outlet whose Arabic name is `name` (spaces and Latin case aside):
/// `العربية` → `alarabia`, `alarabiya`. None for a name that is no outlet's.
pub fn codes_named(name: &str) -> impl Iterator<Item = &'static str> + '_ {
    let squash = |text: &str| -> String {
        text.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let wanted = squash(name);
    DISPLAY_NAMES
        .iter()
        .filter(move |(_, display)| squash(display) == wanted)
        .map(|(code, _)| *code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_get_their_arabic_names_and_others_stay_as_given() {
        assert_eq!(display_name("alarabia"), "العربية");
        assert_eq!(display_name("BBC"), "BBC عربي");
        assert_eq!(display_name("SkyNews"), "سكاي نيوز عربية");
        assert_eq!(display_name("الحياة"), "الحياة");
        assert_eq!(display_name("my-paper"), "my-paper");
    }

    #[test]
    fn an_outlets_arabic_name_stands_for_its_codes() {
        assert_eq!(
            codes_named("العربية").collect::<Vec<_>>(),
            ["alarabia", "alarabiya"]
        );
        assert_eq!(codes_named(" bbc عربي").collect::<Vec<_>>(), ["bbc"]);
        assert_eq!(codes_named("الحياة").count(), 0);
    }
}
