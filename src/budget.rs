//! The response budget: plans are refused with `response-too-large` as they
//! are built, before one past the limit is kept, and the answer is written
//! into a buffer that refuses to grow past it. A small request can otherwise
//! ask for a huge answer (a thousand Canaries sharing a 2 MB ConfigMap: a
//! 2 MB copy in each plan) and exhaust a wasm instance's memory.
//!
//! A plan is weighed by [`plan_weight`]: its `-primary` objects (the
//! copies, where amplification comes from) by walking their `Value`s, the
//! lists that grow with a target's references (rewrites, changes, warnings…)
//! by their strings' lengths, the rest as a constant; string escapes are
//! not counted, so the answer's own writer, [`Bounded`], holds the exact
//! limit. Serialising each plan to weigh it cost 15–30% more planning time;
//! a size-estimating serde serializer was 13 KB of wasm.

use crate::error::{Error, ErrorCode, Result, Warning};
use crate::plan::Plan;
use serde_json::Value;

/// Counts the bytes plans take, against a limit.
pub struct Budget {
    limit: usize,
    used: usize,
}

impl Budget {
    pub fn new(limit: usize) -> Self {
        Budget { limit, used: 0 }
    }

    /// Adds the top-level warnings' length (before any plan).
    pub fn charge_warnings(&mut self, warnings: &[Warning]) -> Result<()> {
        let n: usize = warnings.iter().map(|w| w.message.len() + w.path.as_ref().map_or(0, String::len) + 48).sum();
        self.used = self.used.saturating_add(n);
        if self.used >= self.limit {
            return Err(too_large(self.limit, None));
        }
        Ok(())
    }

    /// Adds a plan's [`plan_weight`].
    pub fn charge_plan(&mut self, plan: &Plan, done: usize, total: usize) -> Result<()> {
        self.used = self.used.saturating_add(plan_weight(plan));
        if self.used >= self.limit {
            return Err(too_large(self.limit, Some((done, total))));
        }
        Ok(())
    }
}

/// A plan's JSON length, nearly: see the module docs.
pub fn plan_weight(p: &Plan) -> usize {
    let s = |x: &str| x.len() + 8; // quotes, a key's share, separators
    let o = |x: &Option<String>| x.as_deref().map_or(4, s);
    let strings = |v: &[String]| v.iter().map(|x| s(x)).sum::<usize>();
    // The fixed fields: ids, version, target, verdict, spec hashes, decision.
    let mut n = 1024;
    n += p.primary_configs.iter().map(value_size).sum::<usize>();
    n += p.primary_workload.as_ref().map_or(0, value_size);
    n += p.services.as_ref().map_or(0, |sv| value_size(&sv.primary) + value_size(&sv.canary));
    n += p.tracked_configs.iter().flatten().map(|(k, v)| s(k) + s(v)).sum::<usize>();
    n += p.config_changes.iter().map(|c| s(&c.reference) + o(&c.tracked) + o(&c.current) + 40).sum::<usize>();
    n += p.untracked_configs.iter().map(|u| s(&u.reference) + s(&u.message) + 40).sum::<usize>();
    n += p
        .configs
        .iter()
        .map(|c| s(&c.reference) + s(&c.name) + o(&c.current) + o(&c.tracked) + s(&c.message) + 64)
        .sum::<usize>();
    n += p.rewrites.iter().map(|r| s(&r.path) + s(&r.from) + s(&r.to) + 12).sum::<usize>();
    n += p.warnings.iter().map(|w| s(&w.message) + o(&w.reference) + o(&w.path) + 40).sum::<usize>();
    n += p.error.as_ref().map_or(0, |e| s(&e.message) + o(&e.path) + o(&e.reference));
    if let Some(a) = &p.analysis {
        n += s(&a.message) + a.reasons.iter().map(|r| s(&r.message) + strings(&r.refs) + 32).sum::<usize>();
    }
    if let Some(u) = &p.upgrade {
        n += s(&u.message) + strings(&u.fields_added) + strings(&u.fields_removed);
    }
    n
}

/// `v`'s compact JSON length, but for string escapes (one byte each) and
/// non-integer numbers (24).
pub fn value_size(v: &Value) -> usize {
    let digits = |n: u64| n.checked_ilog10().map_or(1, |d| d as usize + 1);
    match v {
        Value::Null | Value::Bool(true) => 4,
        Value::Bool(false) => 5,
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => digits(u),
            (None, Some(i)) => digits(i.unsigned_abs()) + 1,
            _ => 24,
        },
        Value::String(s) => s.len() + 2,
        Value::Array(a) => 2 + a.iter().map(|e| value_size(e) + 1).sum::<usize>(),
        Value::Object(m) => 2 + m.iter().map(|(k, e)| k.len() + 4 + value_size(e)).sum::<usize>(),
    }
}

/// The error for a response past `limit` bytes.
pub fn too_large(limit: usize, progress: Option<(usize, usize)>) -> Error {
    let at = progress.map_or_else(String::new, |(done, total)| format!(" (at Canary {done} of {total})"));
    Error::new(
        ErrorCode::ResponseTooLarge,
        format!(
            "the plans would be larger than {limit} bytes{at}; ask for less: options.primaryBodies false \
             (the -primary objects without data or spec), a canary filter, or fewer Canaries per request"
        ),
    )
    .at("/options")
}

/// A JSON writer that refuses to grow past `limit` bytes.
pub struct Bounded {
    pub out: Vec<u8>,
    limit: usize,
}

impl Bounded {
    pub fn new(limit: usize, capacity: usize) -> Self {
        Bounded { out: Vec::with_capacity(capacity.min(limit)), limit }
    }
}

impl std::io::Write for Bounded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.write_all(buf).map(|()| buf.len())
    }
    // serde_json writes through `write_all`: one check, no retry loop.
    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if self.out.len().saturating_add(buf.len()) > self.limit {
            return Err(std::io::Error::other("response-too-large"));
        }
        self.out.extend_from_slice(buf);
        Ok(())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_sizes_are_the_json_but_for_escapes() {
        let v =
            serde_json::json!({"a": [1, -20, true, false, null, "xy"], "bb": {"c": 18446744073709551615u64, "d": ""}});
        // One separator too many per array and object.
        assert_eq!(value_size(&v), v.to_string().len() + 3);
        assert_eq!(value_size(&serde_json::json!("a\"b")), 5);
    }

    #[test]
    fn plan_weights_follow_the_json_and_the_budget_refuses_past_its_limit() {
        // A plan whose copies, rewrites and warnings all grow with its configs.
        let mut objects = vec![
            serde_json::json!({"kind": "Canary", "metadata": {"name": "c", "namespace": "n"},
                "spec": {"targetRef": {"kind": "Deployment", "name": "d"}}}),
            serde_json::json!({"kind": "Canary", "metadata": {"name": "c2", "namespace": "n"},
                "spec": {"targetRef": {"kind": "Deployment", "name": "d"}}}),
        ];
        let volumes: Vec<Value> = (0..200)
            .map(|i| serde_json::json!({"name": format!("v{i}"), "configMap": {"name": format!("config-{i}")}}))
            .collect();
        objects.push(serde_json::json!({"kind": "Deployment", "metadata": {"name": "d", "namespace": "n"},
            "spec": {"selector": {"matchLabels": {"app": "d"}}, "template": {"metadata": {"labels": {"app": "d"}},
                "spec": {"containers": [{"name": "c"}], "volumes": volumes}}}}));
        for i in 0..200 {
            objects.push(
                serde_json::json!({"kind": "ConfigMap", "metadata": {"name": format!("config-{i}"), "namespace": "n"},
                "data": {"k": "z".repeat(i * 10)}}),
            );
        }
        let response = crate::plan::plan_objects(&objects, None, &crate::Options::default()).unwrap();
        for plan in &response.plans {
            let json = serde_json::to_string(plan).unwrap().len();
            let weight = plan_weight(plan);
            // Every part counts: a field plans gain must be weighed here too.
            assert!(json > 200_000 && weight >= json && weight <= json + json / 4, "weight {weight} for {json} bytes");
        }
        let mut b = Budget::new(110);
        b.used = 100;
        let e = b.charge_warnings(&[Warning::new(crate::WarningCode::InvalidObject, "m")]).unwrap_err();
        assert_eq!(e.code, ErrorCode::ResponseTooLarge);
        let mut w = Bounded::new(4, 100);
        assert!(std::io::Write::write_all(&mut w, b"abcd").is_ok());
        assert!(std::io::Write::write_all(&mut w, b"e").is_err());
        assert_eq!(w.out, b"abcd");
    }
}
