//! Pictures and tables of a [`Snapshot`]: Mermaid flowchart and sequence
//! diagram, Graphviz DOT, and a plain-text edge table.
//!
//! Every export lists actors and edges in the snapshot's order and writes
//! keys (`a0`, `ext`) as node ids, labels as quoted strings, so any name is
//! safe to print.

use std::fmt::Write as _;

use super::EXTERNAL;
use super::histogram::Histogram;
use super::snapshot::Snapshot;

/// What the exports include beyond the graph itself.
///
/// The default includes everything. [`without_timings`](Self::without_timings)
/// leaves out timings and actor ids (and the JSON's drop counters stay), so
/// that the same deterministic run gives byte-identical output: use it for
/// golden files and documentation.
///
/// # Examples
///
/// ```
/// use actor_core::recorder::ExportOptions;
///
/// let options = ExportOptions::default().timings(false);
/// assert!(!options.includes_timings());
/// assert!(options.includes_ids());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExportOptions {
    timings: bool,
    ids: bool,
}

impl Default for ExportOptions {
    fn default() -> Self {
        Self {
            timings: true,
            ids: true,
        }
    }
}

impl ExportOptions {
    /// Timings and ids left out: output that does not change between runs.
    ///
    /// # Examples
    ///
    /// ```
    /// let options = actor_core::recorder::ExportOptions::without_timings();
    /// assert!(!options.includes_timings() && !options.includes_ids());
    /// ```
    pub fn without_timings() -> Self {
        Self {
            timings: false,
            ids: false,
        }
    }

    /// Whether to include queue-wait and handling-time figures.
    ///
    /// # Examples
    ///
    /// ```
    /// let options = actor_core::recorder::ExportOptions::default().timings(false);
    /// assert!(!options.includes_timings());
    /// ```
    #[must_use]
    pub fn timings(mut self, include: bool) -> Self {
        self.timings = include;
        self
    }

    /// Whether to include actor ids (`<0.7>`), which depend on how many
    /// actors the process spawned before.
    ///
    /// # Examples
    ///
    /// ```
    /// let options = actor_core::recorder::ExportOptions::default().ids(false);
    /// assert!(!options.includes_ids());
    /// ```
    #[must_use]
    pub fn ids(mut self, include: bool) -> Self {
        self.ids = include;
        self
    }

    /// See [`timings`](Self::timings).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(actor_core::recorder::ExportOptions::default().includes_timings());
    /// ```
    pub fn includes_timings(&self) -> bool {
        self.timings
    }

    /// See [`ids`](Self::ids).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(actor_core::recorder::ExportOptions::default().includes_ids());
    /// ```
    pub fn includes_ids(&self) -> bool {
        self.ids
    }
}

impl Snapshot {
    /// A Mermaid flowchart: one node per actor (plus `ext` for senders
    /// outside the system, if any), one arrow per edge labelled with the
    /// kind and count (and p50/p99 queue wait and handling time), and a
    /// dotted arrow from each parent to its children.
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::recorder::{ExportOptions, Snapshot};
    ///
    /// let text = Snapshot::default().to_mermaid_flowchart(&ExportOptions::default());
    /// assert_eq!(text, "flowchart LR\n");
    /// ```
    pub fn to_mermaid_flowchart(&self, options: &ExportOptions) -> String {
        let mut out = String::from("flowchart LR\n");
        if self.uses_external() {
            let _ = writeln!(out, "    {EXTERNAL}([\"external\"])");
        }
        for actor in &self.actors {
            let mut label = format!(
                "{}<br/>{}",
                mermaid_text(actor.label()),
                mermaid_text(actor.short_type())
            );
            if options.ids {
                let _ = write!(label, "<br/>{}", mermaid_text(&actor.id));
            }
            let _ = writeln!(out, "    {}[\"{label}\"]", actor.key);
        }
        for actor in &self.actors {
            if let Some(parent) = &actor.parent_key {
                let _ = writeln!(out, "    {parent} -.-> {}", actor.key);
            }
        }
        for edge in &self.edges {
            let mut label = format!("{} x{}", mermaid_text(&edge.kind), edge.count);
            if options.timings {
                let _ = write!(
                    label,
                    "<br/>wait {}<br/>handle {}",
                    p50_p99(&edge.queue_wait),
                    p50_p99(&edge.handling)
                );
            }
            let _ = writeln!(out, "    {} -->|\"{label}\"| {}", edge.from, edge.to);
        }
        out
    }

    /// A Mermaid sequence diagram of the recorded first messages, in the
    /// order their handlers started (with each message's queue wait and
    /// handling time); participants in the order they first appear.
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::recorder::{ExportOptions, Snapshot};
    ///
    /// let text = Snapshot::default().to_mermaid_sequence(&ExportOptions::default());
    /// assert_eq!(text, "sequenceDiagram\n");
    /// ```
    pub fn to_mermaid_sequence(&self, options: &ExportOptions) -> String {
        let mut out = String::from("sequenceDiagram\n");
        // Participants in the order they first appear, so the diagram reads
        // left to right along the first request.
        let mut participants: Vec<&str> = Vec::new();
        for message in &self.sequence {
            for key in [message.from.as_str(), message.to.as_str()] {
                if !participants.contains(&key) {
                    participants.push(key);
                }
            }
        }
        for key in participants {
            let label = match self.actors.iter().find(|a| a.key == key) {
                Some(actor) => mermaid_text(actor.label()),
                None => "external".to_owned(),
            };
            let _ = writeln!(out, "    participant {key} as {label}");
        }
        for message in &self.sequence {
            let mut text = mermaid_text(&message.kind);
            if options.timings {
                let us = |v: Option<u64>| v.map_or_else(|| "?".to_owned(), |v| format!("{v}µs"));
                let _ = write!(
                    text,
                    " (wait {}, handle {})",
                    us(message.queue_wait_us),
                    us(message.handling_us)
                );
            }
            let _ = writeln!(out, "    {}->>{}: {text}", message.from, message.to);
        }
        out
    }

    /// A Graphviz `digraph` of the same graph as
    /// [`to_mermaid_flowchart`](Self::to_mermaid_flowchart): render it with
    /// `dot -Tsvg`.
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::recorder::{ExportOptions, Snapshot};
    ///
    /// let text = Snapshot::default().to_dot(&ExportOptions::default());
    /// assert!(text.starts_with("digraph actors {"));
    /// ```
    pub fn to_dot(&self, options: &ExportOptions) -> String {
        let mut out = String::from("digraph actors {\n    rankdir=LR;\n    node [shape=box];\n");
        if self.uses_external() {
            let _ = writeln!(out, "    {EXTERNAL} [label=\"external\", shape=ellipse];");
        }
        for actor in &self.actors {
            let mut label = format!("{}\\n{}", dot_text(actor.label()), dot_text(actor.short_type()));
            if options.ids {
                let _ = write!(label, "\\n{}", dot_text(&actor.id));
            }
            let _ = writeln!(out, "    {} [label=\"{label}\"];", actor.key);
        }
        for actor in &self.actors {
            if let Some(parent) = &actor.parent_key {
                let _ = writeln!(
                    out,
                    "    {parent} -> {} [style=dotted, arrowhead=none, color=gray];",
                    actor.key
                );
            }
        }
        for edge in &self.edges {
            let mut label = format!("{} x{}", dot_text(&edge.kind), edge.count);
            if options.timings {
                let _ = write!(
                    label,
                    "\\nwait {}\\nhandle {}",
                    p50_p99(&edge.queue_wait),
                    p50_p99(&edge.handling)
                );
            }
            let _ = writeln!(out, "    {} -> {} [label=\"{label}\"];", edge.from, edge.to);
        }
        out.push_str("}\n");
        out
    }

    /// A plain-text table of the edges, one line each, with actor labels
    /// instead of keys (and, with timings, p50/p90/p99/max in µs).
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::recorder::{ExportOptions, Snapshot};
    ///
    /// let table = Snapshot::default().edge_table(&ExportOptions::without_timings());
    /// assert!(table.starts_with("from"));
    /// ```
    pub fn edge_table(&self, options: &ExportOptions) -> String {
        let label = |key: &str| {
            self.actors
                .iter()
                .find(|a| a.key == key)
                .map_or_else(|| "external".to_owned(), |a| a.label().to_owned())
        };
        let rows: Vec<[String; 4]> = self
            .edges
            .iter()
            .map(|e| [label(&e.from), label(&e.to), e.kind.clone(), e.count.to_string()])
            .collect();
        let header = ["from", "to", "kind", "count"];
        let mut widths = header.map(str::len);
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let mut out = String::new();
        let line = |out: &mut String, cells: [&str; 4], extra: &str| {
            let _ = writeln!(
                out,
                "{:<w0$}  {:<w1$}  {:<w2$}  {:>w3$}{extra}",
                cells[0],
                cells[1],
                cells[2],
                cells[3],
                w0 = widths[0],
                w1 = widths[1],
                w2 = widths[2],
                w3 = widths[3],
            );
        };
        let timing_header = if options.timings {
            "  wait p50/p90/p99/max µs  handle p50/p90/p99/max µs"
        } else {
            ""
        };
        line(&mut out, header, timing_header);
        for (row, edge) in rows.iter().zip(&self.edges) {
            let extra = if options.timings {
                format!("  {:<24}  {}", summary(&edge.queue_wait), summary(&edge.handling))
            } else {
                String::new()
            };
            line(&mut out, [&row[0], &row[1], &row[2], &row[3]], &extra);
        }
        out
    }

    fn uses_external(&self) -> bool {
        self.edges.iter().any(|e| e.from == EXTERNAL)
    }
}

fn p50_p99(h: &Histogram) -> String {
    let p = h.percentiles();
    format!("p50 {}µs p99 {}µs", p.p50, p.p99)
}

fn summary(h: &Histogram) -> String {
    let p = h.percentiles();
    format!("{}/{}/{}/{}", p.p50, p.p90, p.p99, p.max)
}

/// Text inside a quoted Mermaid label: quotes and markup as entities.
fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text inside a quoted DOT string.
fn dot_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}
