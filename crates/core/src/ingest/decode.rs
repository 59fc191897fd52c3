//! Bytes → text: UTF-8 (with or without BOM), UTF-16 with BOM, and the legacy Arabic encodings
//! Windows-1256 and ISO-8859-6, detected by content.

use encoding_rs::Encoding;

/// A decoded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The encoding the bytes were read as (`UTF-8`, `UTF-16LE`, `windows-1256`, …).
    pub encoding: &'static str,
    /// How many byte sequences could not be decoded and became U+FFFD.
    pub replaced: usize,
}

/// Why a file's bytes are not text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotText {
    Empty,
    Binary,
}

impl std::fmt::Display for NotText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotText::Empty => f.write_str("empty file"),
            NotText::Binary => f.write_str("binary file (not text)"),
        }
    }
}

/// How much of a file is inspected to tell text from binary data.
const SNIFF_BYTES: usize = 8192;

/// Decodes `bytes`, choosing the encoding from a BOM, else UTF-8 when valid, else by detection.
pub fn decode(bytes: &[u8]) -> Result<Decoded, NotText> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(NotText::Empty);
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return Ok(decode_with(encoding, &bytes[bom_len..]));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        if looks_binary(bytes) {
            return Err(NotText::Binary);
        }
        return Ok(Decoded {
            text: text.to_owned(),
            encoding: "UTF-8",
            replaced: 0,
        });
    }
    if looks_binary(bytes) {
        return Err(NotText::Binary);
    }
    // UTF-8 with a few damaged sequences (a truncated download, a bad copy) is still UTF-8:
    // guessing a legacy encoding for it would garble every Arabic letter.
    let invalid = count_invalid_utf8(bytes);
    let non_ascii = bytes.iter().filter(|b| !b.is_ascii()).count();
    if invalid * 100 <= non_ascii && non_ascii > 0 {
        return Ok(decode_with(encoding_rs::UTF_8, bytes));
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let encoding = detector.guess(None, true);
    Ok(decode_with(encoding, bytes))
}

fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    let replaced = text.matches('\u{FFFD}').count();
    Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        replaced,
    }
}

/// Number of invalid UTF-8 sequences in `bytes`.
fn count_invalid_utf8(mut bytes: &[u8]) -> usize {
    let mut invalid = 0;
    loop {
        match std::str::from_utf8(bytes) {
            Ok(_) => return invalid,
            Err(err) => {
                invalid += 1;
                let skip =
                    err.valid_up_to() + err.error_len().unwrap_or(bytes.len() - err.valid_up_to());
                bytes = &bytes[skip.min(bytes.len())..];
            }
        }
    }
}

/// NUL bytes or many control characters in the first few kilobytes mean binary data (text in a
/// BOM-less UTF-16 is not supported: exports carry a BOM).
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    controls * 20 > head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARABIC: &str = "قال الرئيس الروسي فلاديمير بوتين إن القمة كانت ناجحة إلى حد كبير، وإن الاستقرار الاستراتيجي مسؤولية مشتركة بين البلدين.";

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode(ARABIC.as_bytes()).unwrap();
        assert_eq!((plain.text.as_str(), plain.encoding), (ARABIC, "UTF-8"));
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice(ARABIC.as_bytes());
        assert_eq!(decode(&with_bom).unwrap().text, ARABIC);
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in ARABIC.encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let decoded = decode(&bytes).unwrap();
        assert_eq!(
            (decoded.text.as_str(), decoded.encoding),
            (ARABIC, "UTF-16LE")
        );
    }

    #[test]
    fn legacy_arabic_encodings_are_detected() {
        for encoding in [encoding_rs::WINDOWS_1256, encoding_rs::ISO_8859_6] {
            let (bytes, _, _) = encoding.encode(ARABIC);
            let decoded = decode(&bytes).unwrap();
            assert_eq!(decoded.text, ARABIC, "{}", encoding.name());
            assert_eq!(decoded.encoding, encoding.name());
        }
    }

    #[test]
    fn damaged_utf8_stays_utf8_with_replacements() {
        let mut bytes = ARABIC.as_bytes().to_vec();
        bytes.insert(7, 0xFF); // between two words
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.encoding, "UTF-8");
        assert_eq!(decoded.replaced, 1);
        assert!(decoded.text.contains("الرئيس الروسي"));
    }

    #[test]
    fn binary_and_empty_are_not_text() {
        assert_eq!(decode(b"\x89PNG\r\n\x1a\n\0\0\0IHDR"), Err(NotText::Binary));
        assert_eq!(decode(b""), Err(NotText::Empty));
        assert_eq!(decode(b" \n\t"), Err(NotText::Empty));
    }
}
