//! The TypeScript types of the JSON the core reads and writes
//! (`js/types/core.d.ts`), generated from the serde types themselves with
//! ts-rs (a dev-dependency: the derives exist in test builds only, so
//! nothing ships). The test fails when the committed file differs;
//! `UPDATE_TYPES=1 cargo test --lib ts_types` rewrites it.

use ts_rs::{Config, TS};

/// The declarations, dependencies first where it reads better; every type
/// a response or request mentions is listed (the test checks none is missing).
fn declarations(cfg: &Config) -> Vec<(String, String)> {
    macro_rules! decls {
        ($($t:ty),* $(,)?) => { vec![$((<$t as TS>::name(cfg), <$t as TS>::decl(cfg))),*] };
    }
    decls![
        crate::error::ErrorCode,
        crate::error::Error,
        crate::error::WarningCode,
        crate::error::Warning,
        crate::plan::SpecForm,
        crate::plan::Options,
        crate::plan::CanaryFilter,
        crate::api::PlanRequest,
        crate::plan::CanaryId,
        crate::plan::TargetId,
        crate::verdict::Change,
        crate::verdict::ConfigChange,
        crate::track::UntrackedReason,
        crate::track::Untracked,
        crate::rows::RowState,
        crate::rows::ConfigRow,
        crate::primary::Rewrite,
        crate::plan::Services,
        crate::analysis::Decision,
        crate::analysis::ReasonCode,
        crate::analysis::Reason,
        crate::analysis::Form,
        crate::analysis::SpecHash,
        crate::analysis::Analysis,
        crate::analysis::Upgrade,
        crate::plan::Plan,
        crate::plan::PlanResponse,
        crate::api::ConfigRef,
        crate::api::FlaggerVersions,
    ]
}

const HEADER: &str = "// Generated from the Rust types (src/ts.rs, ts-rs): do not edit.\n\
// `UPDATE_TYPES=1 cargo test --lib ts_types` rewrites it; `cargo test` fails while it differs.\n\
import type { KubeObject } from './kube.js';\n";

pub fn generate() -> String {
    let cfg = Config::default();
    let mut out = String::from(HEADER);
    for (_, decl) in declarations(&cfg) {
        out.push('\n');
        out.push_str("export ");
        out.push_str(&layout(&decl));
        out.push('\n');
    }
    out
}

/// ts-rs writes an object type on one line with its doc comments wedged in;
/// this puts each field on its own line, its doc comment above it.
fn layout(decl: &str) -> String {
    let Some((head, body)) = decl.split_once("= {") else { return decl.to_owned() };
    let Some(fields) = body.trim_end().strip_suffix("};") else { return decl.to_owned() };
    let mut out = format!("{head}= {{\n");
    for field in split_top_level(fields) {
        let (doc, code) = match field.rfind("*/") {
            Some(i) => (field[..i + 2].trim(), field[i + 2..].trim()),
            None => ("", field.trim()),
        };
        for line in doc.lines() {
            let line = line.trim();
            out.push_str(if line.starts_with('*') { "   " } else { "  " });
            out.push_str(line);
            out.push('\n');
        }
        out.push_str(&format!("  {code};\n"));
    }
    out.push_str("};");
    out
}

/// The fields of an object type: split at commas outside brackets, comments and strings.
fn split_top_level(fields: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start, mut in_comment, mut quote) = (Vec::new(), 0i32, 0, false, None);
    let bytes = fields.as_bytes();
    for (i, &c) in bytes.iter().enumerate() {
        match (in_comment, quote, c) {
            (true, _, b'/') if i > 0 && bytes.get(i - 1) == Some(&b'*') => in_comment = false,
            (true, ..) => {}
            (false, Some(q), _) if c == q => quote = None,
            (false, Some(_), _) => {}
            (false, None, b'/') if bytes.get(i + 1) == Some(&b'*') => in_comment = true,
            (false, None, b'"' | b'\'') => quote = Some(c),
            (false, None, b'{' | b'<' | b'(' | b'[') => depth += 1,
            (false, None, b'}' | b'>' | b')' | b']') => depth -= 1,
            (false, None, b',') if depth == 0 => {
                parts.push(&fields[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&fields[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

#[cfg(test)]
mod ts_types {
    use super::*;
    use std::collections::HashSet;

    const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/js/types/core.d.ts");

    #[test]
    fn committed_file_is_generated() {
        let want = generate();
        if std::env::var_os("UPDATE_TYPES").is_some() {
            std::fs::write(PATH, &want).unwrap();
        }
        let have = std::fs::read_to_string(PATH).unwrap_or_default();
        assert!(
            have == want,
            "js/types/core.d.ts is not what the Rust types generate: run UPDATE_TYPES=1 cargo test --lib ts_types"
        );
    }

    /// The `ALL` lists the Rust code keeps name every variant serde writes.
    #[test]
    fn code_lists_are_complete() {
        let cfg = Config::default();
        let strings = |decl: String| -> Vec<String> { decl.split('"').skip(1).step_by(2).map(str::to_owned).collect() };
        let all = |v: Vec<&str>| -> Vec<String> { v.into_iter().map(str::to_owned).collect() };
        use crate::error::{ErrorCode, WarningCode};
        use crate::track::UntrackedReason;
        assert_eq!(strings(ErrorCode::decl(&cfg)), all(ErrorCode::ALL.iter().map(|c| c.as_str()).collect()));
        assert_eq!(strings(WarningCode::decl(&cfg)), all(WarningCode::ALL.iter().map(|c| c.as_str()).collect()));
        assert_eq!(
            strings(UntrackedReason::decl(&cfg)),
            all(UntrackedReason::ALL.iter().map(|c| c.as_str()).collect())
        );
    }

    /// A declaration without its doc comments and string literals (words in them are not type names).
    fn code_only(decl: &str) -> String {
        let mut out = String::new();
        let mut rest = decl;
        while let Some(i) = rest.find(['/', '"', '\'']) {
            out.push_str(&rest[..i]);
            let tail = &rest[i..];
            let end = if tail.starts_with("/*") {
                tail.find("*/").map_or(tail.len(), |e| e + 2)
            } else if tail.starts_with('/') {
                1
            } else {
                tail[1..].find(&tail[..1]).map_or(tail.len(), |e| e + 2)
            };
            rest = &tail[end..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn every_referenced_type_is_declared() {
        let cfg = Config::default();
        let decls = declarations(&cfg);
        let declared: HashSet<&str> =
            decls.iter().map(|(n, _)| n.as_str()).chain(["KubeObject", "JsonValue"]).collect();
        for (name, decl) in &decls {
            let body = code_only(decl.split_once('=').map_or("", |(_, b)| b));
            for word in body.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| w.starts_with(char::is_uppercase)) {
                if !["Array", "Record", "Partial"].contains(&word) {
                    assert!(declared.contains(word), "{name} mentions {word}, which is not generated");
                }
            }
        }
    }
}
