//! Text written into a TOML draft: strings and keys quoted so that any name or label (umlauts,
//! points, quotes, line breaks, control characters) reads back as itself and cannot end the line
//! it is on, and text for comments, which TOML allows no control characters in.

/// `s` as a TOML basic string: the escapes of a JSON string (which TOML shares), and DEL, which
/// TOML, unlike JSON, does not allow raw.
pub(super) fn string(s: &str) -> String {
    let json = serde_json::to_string(s).expect("a string serialises");
    if json.contains('\u{7f}') {
        json.replace('\u{7f}', "\\u007F")
    } else {
        json
    }
}

/// `key` as a TOML key: bare when it is made of ASCII letters, digits, `_` and `-` only, else
/// quoted.
pub(super) fn key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if bare {
        key.to_string()
    } else {
        string(key)
    }
}

/// `text` for a comment: as it is, unless it holds a character a TOML comment cannot (a line
/// break or another control character), then quoted with escapes.
pub(super) fn comment(text: &str) -> String {
    let forbidden = |c: char| (c.is_control() && c != '\t') || matches!(c, '\u{2028}' | '\u{2029}');
    if text.chars().any(forbidden) {
        string(text)
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_are_no_bare_keys_are_quoted_and_read_back() {
        for name in [
            "s_größe",
            "s_v1.2",
            "s_a b",
            "s_x]\nfoo = 1\n[y",
            "s_\u{7f}",
            "",
        ] {
            let text = format!("[scale.{}]\ncodes = 1\n", key(name));
            let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                table["scale"].as_table().unwrap().contains_key(name),
                "{name}"
            );
        }
        assert_eq!(key("s_abc-1"), "s_abc-1");
    }

    #[test]
    fn strings_read_back_as_themselves() {
        for s in [
            "Größe",
            "a \"b\" \\ c",
            "line\nbreak\r\t",
            "\u{7f}\u{0}\u{1b}",
        ] {
            let table: toml::Table = toml::from_str(&format!("x = {}", string(s))).unwrap();
            assert_eq!(table["x"].as_str(), Some(s));
        }
    }
}
