//! A [`Snapshot`] as JSON, written by hand (the crate does not depend on
//! serde): objects with fixed keys, strings escaped per RFC 8259.

use std::fmt::Write as _;

use super::export::ExportOptions;
use super::histogram::Histogram;
use super::snapshot::Snapshot;

impl Snapshot {
    /// The snapshot as one JSON object, for tools:
    ///
    /// ```text
    /// {"messages": 3,
    ///  "dropped": {"messages": 0, "actors": 0, "edges": 0},
    ///  "actors": [{"key": "a0", "id": "<0.1>", "name": "db", "type": "app::Db",
    ///              "parent": "a1" | null, "stopped": "normal" | null}],
    ///  "edges": [{"from": "ext", "to": "a0", "kind": "get", "count": 3,
    ///             "queue_wait_us": {"p50":…, "p90":…, "p99":…, "max":…, "mean":…},
    ///             "handling_us": {…}}],
    ///  "sequence": [{"from": "ext", "to": "a0", "kind": "get",
    ///                "queue_wait_us": 4 | null, "handling_us": 12 | null}]}
    /// ```
    ///
    /// Without timings the `*_us` keys are left out; without ids, `id`.
    /// `parent` is the parent's key when recorded, else its id (with ids),
    /// else null.
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::recorder::{ExportOptions, Snapshot};
    ///
    /// let json = Snapshot::default().to_json(&ExportOptions::default());
    /// assert!(json.starts_with("{\"messages\":0,"));
    /// ```
    pub fn to_json(&self, options: &ExportOptions) -> String {
        let mut out = String::new();
        let d = &self.dropped;
        let _ = write!(
            out,
            "{{\"messages\":{},\"dropped\":{{\"messages\":{},\"actors\":{},\"edges\":{}}},\"actors\":[",
            self.messages, d.messages, d.actors, d.edges
        );
        for (i, actor) in self.actors.iter().enumerate() {
            out.push_str(if i == 0 { "\n" } else { ",\n" });
            out.push_str("{\"key\":");
            string(&mut out, &actor.key);
            if options.includes_ids() {
                out.push_str(",\"id\":");
                string(&mut out, &actor.id);
            }
            out.push_str(",\"name\":");
            string(&mut out, &actor.name);
            out.push_str(",\"type\":");
            string(&mut out, &actor.type_name);
            out.push_str(",\"parent\":");
            match (&actor.parent_key, &actor.parent) {
                (Some(key), _) => string(&mut out, key),
                (None, Some(id)) if options.includes_ids() => string(&mut out, id),
                _ => out.push_str("null"),
            }
            out.push_str(",\"stopped\":");
            match &actor.stopped {
                Some(reason) => string(&mut out, reason),
                None => out.push_str("null"),
            }
            out.push('}');
        }
        out.push_str("],\"edges\":[");
        for (i, edge) in self.edges.iter().enumerate() {
            out.push_str(if i == 0 { "\n" } else { ",\n" });
            out.push_str("{\"from\":");
            string(&mut out, &edge.from);
            out.push_str(",\"to\":");
            string(&mut out, &edge.to);
            out.push_str(",\"kind\":");
            string(&mut out, &edge.kind);
            let _ = write!(out, ",\"count\":{}", edge.count);
            if options.includes_timings() {
                out.push_str(",\"queue_wait_us\":");
                histogram(&mut out, &edge.queue_wait);
                out.push_str(",\"handling_us\":");
                histogram(&mut out, &edge.handling);
            }
            out.push('}');
        }
        out.push_str("],\"sequence\":[");
        for (i, message) in self.sequence.iter().enumerate() {
            out.push_str(if i == 0 { "\n" } else { ",\n" });
            out.push_str("{\"from\":");
            string(&mut out, &message.from);
            out.push_str(",\"to\":");
            string(&mut out, &message.to);
            out.push_str(",\"kind\":");
            string(&mut out, &message.kind);
            if options.includes_timings() {
                out.push_str(",\"queue_wait_us\":");
                number(&mut out, message.queue_wait_us);
                out.push_str(",\"handling_us\":");
                number(&mut out, message.handling_us);
            }
            out.push('}');
        }
        out.push_str("]}\n");
        out
    }
}

fn histogram(out: &mut String, h: &Histogram) {
    let p = h.percentiles();
    let _ = write!(
        out,
        "{{\"p50\":{},\"p90\":{},\"p99\":{},\"max\":{},\"mean\":{}}}",
        p.p50,
        p.p90,
        p.p99,
        p.max,
        h.mean()
    );
}

fn number(out: &mut String, value: Option<u64>) {
    match value {
        Some(v) => {
            let _ = write!(out, "{v}");
        }
        None => out.push_str("null"),
    }
}

/// A JSON string literal: quotes, backslashes and control characters
/// escaped; everything else (UTF-8) as is.
pub(crate) fn string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    #[test]
    fn strings_are_escaped() {
        let mut out = String::new();
        super::string(&mut out, "a\"b\\c\nd\u{1}é");
        assert_eq!(out, r#""a\"b\\c\nd\u0001é""#);
    }
}
