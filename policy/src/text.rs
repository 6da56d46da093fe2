//! Text that leaves the policy (admission messages and warnings). Names from
//! the request and errors from the host are untrusted: control characters are
//! escaped, so kubectl never prints raw terminal codes, and lengths are capped
//! (the API server truncates long warnings anyway).

/// Kubernetes asks for warnings under 256 characters.
pub const MAX_WARNING: usize = 256;
/// More warnings than this become one "… and N more".
pub const MAX_WARNINGS: usize = 20;
/// A rejection message may be longer, but not unbounded.
pub const MAX_MESSAGE: usize = 2048;

/// `s` with control characters escaped (`\u{1b}`), cut to `max` characters.
pub fn clean(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max));
    let cut = s.chars().count() > max;
    for (n, c) in s.chars().enumerate() {
        if cut && n + 1 >= max {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// An untrusted short string in quotes, for messages.
pub fn quote(s: &str) -> String {
    format!("\"{}\"", clean(s, 80))
}

/// The warnings list as sent: each cleaned and capped, at most [`MAX_WARNINGS`].
pub fn warnings(list: Vec<String>) -> Option<Vec<String>> {
    if list.is_empty() {
        return None;
    }
    let total = list.len();
    let mut out: Vec<String> = list.iter().take(MAX_WARNINGS).map(|w| clean(w, MAX_WARNING)).collect();
    if total > MAX_WARNINGS {
        out.pop();
        out.push(format!("canary-tracker: … and {} more warnings", total - MAX_WARNINGS + 1));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(clean("a\u{1b}[31mb\nc", 100), "a\\u{1b}[31mb\\u{a}c");
        assert_eq!(quote("x\ty"), "\"x\\u{9}y\"");
    }

    #[test]
    fn long_text_is_cut() {
        let s = "é".repeat(300);
        let c = clean(&s, MAX_WARNING);
        assert_eq!(c.chars().count(), MAX_WARNING);
        assert!(c.ends_with('…'));
        assert_eq!(clean("short", 5), "short");
    }

    #[test]
    fn warnings_are_capped() {
        assert_eq!(warnings(vec![]), None);
        let w = warnings((0..25).map(|i| format!("w{i}")).collect()).unwrap();
        assert_eq!(w.len(), MAX_WARNINGS);
        assert_eq!(w[MAX_WARNINGS - 2], "w18");
        assert_eq!(w[MAX_WARNINGS - 1], "canary-tracker: … and 6 more warnings");
    }
}
