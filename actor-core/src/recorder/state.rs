//! The recorder's bounded storage: actors, aggregated edges and the first
//! messages, all behind one lock held only for a few lookups at a time.
//!
//! Actors are numbered in the order the recorder first hears of them; that
//! number is their key in every export (`a0`, `a1`, ...). Nothing here grows
//! with the number of messages: an edge is a pair of fixed-size histograms,
//! and the sequence stops at its capacity.

use std::collections::HashMap;
use std::mem::size_of;

use super::histogram::Histogram;
use super::snapshot::{ActorNode, Dropped, Edge, Message, Snapshot};

/// How much the recorder keeps.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    pub(crate) sequence_capacity: usize,
    pub(crate) max_actors: usize,
    pub(crate) max_edges: usize,
}

/// What the recorder knows of one actor.
#[derive(Debug, Default)]
pub(crate) struct ActorEntry {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) type_name: String,
    pub(crate) parent: Option<String>,
    pub(crate) stopped: Option<String>,
}

#[derive(Debug)]
struct EdgeEntry {
    from: Option<usize>,
    to: usize,
    kind: String,
    queue_wait: Histogram,
    handling: Histogram,
}

#[derive(Debug)]
struct SequenceEntry {
    edge: usize,
    queue_wait_us: Option<u64>,
    handling_us: Option<u64>,
}

/// Where one handled message sits in the state (see [`State::begin`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Slot {
    edge: usize,
    sequence: Option<usize>,
}

#[derive(Debug)]
pub(crate) struct State {
    limits: Limits,
    actors: Vec<ActorEntry>,
    by_id: HashMap<String, usize>,
    edges: Vec<EdgeEntry>,
    /// Edges by (sender, receiver); the few kinds of a pair are searched.
    by_pair: HashMap<(Option<usize>, usize), Vec<usize>>,
    sequence: Vec<SequenceEntry>,
    messages: u64,
    dropped: Dropped,
}

impl State {
    pub(crate) fn new(limits: Limits) -> Self {
        Self {
            limits,
            actors: Vec::new(),
            by_id: HashMap::new(),
            edges: Vec::new(),
            by_pair: HashMap::new(),
            sequence: Vec::with_capacity(limits.sequence_capacity.min(4096)),
            messages: 0,
            dropped: Dropped::default(),
        }
    }

    /// The actor's number, adding it with `make` if new and there is room.
    pub(crate) fn actor(&mut self, id: &str, make: impl FnOnce() -> ActorEntry) -> Option<usize> {
        if let Some(&index) = self.by_id.get(id) {
            return Some(index);
        }
        if self.actors.len() >= self.limits.max_actors {
            self.dropped.actors += 1;
            return None;
        }
        let index = self.actors.len();
        self.by_id.insert(id.to_owned(), index);
        self.actors.push(make());
        Some(index)
    }

    /// Records (or completes) an actor from its "actor spawned" event.
    pub(crate) fn spawned(&mut self, entry: ActorEntry) {
        if let Some(&index) = self.by_id.get(&entry.id) {
            let known = &mut self.actors[index];
            known.name = entry.name;
            known.type_name = entry.type_name;
            known.parent = entry.parent;
        } else {
            let id = entry.id.clone();
            let _ = self.actor(&id, || entry);
        }
    }

    pub(crate) fn stopped(&mut self, id: &str, reason: String) {
        if let Some(&index) = self.by_id.get(id) {
            self.actors[index].stopped = Some(reason);
        }
    }

    /// A message from `from` (`None`: outside the system) to `to` starts
    /// being handled: finds or adds its edge and, while there is room, its
    /// place in the sequence.
    pub(crate) fn begin(&mut self, from: Option<usize>, to: usize, kind: &str) -> Option<Slot> {
        let edge = self.edge(from, to, kind)?;
        let sequence = if self.sequence.len() < self.limits.sequence_capacity {
            self.sequence.push(SequenceEntry {
                edge,
                queue_wait_us: None,
                handling_us: None,
            });
            Some(self.sequence.len() - 1)
        } else {
            None
        };
        Some(Slot { edge, sequence })
    }

    /// The message in `slot` was handled.
    pub(crate) fn finish(&mut self, slot: Slot, queue_wait_us: Option<u64>, handling_us: u64) {
        self.messages += 1;
        let edge = &mut self.edges[slot.edge];
        if let Some(waited) = queue_wait_us {
            edge.queue_wait.record(waited);
        }
        edge.handling.record(handling_us);
        match slot.sequence.and_then(|i| self.sequence.get_mut(i)) {
            Some(entry) => {
                entry.queue_wait_us = queue_wait_us;
                entry.handling_us = Some(handling_us);
            }
            None => self.dropped.messages += 1,
        }
    }

    /// A message whose actor or edge did not fit was handled.
    pub(crate) fn finish_untracked(&mut self) {
        self.messages += 1;
        self.dropped.messages += 1;
    }

    fn edge(&mut self, from: Option<usize>, to: usize, kind: &str) -> Option<usize> {
        let candidates = self.by_pair.entry((from, to)).or_default();
        if let Some(&index) = candidates.iter().find(|&&i| self.edges[i].kind == kind) {
            return Some(index);
        }
        if self.edges.len() >= self.limits.max_edges {
            self.dropped.edges += 1;
            return None;
        }
        let index = self.edges.len();
        candidates.push(index);
        self.edges.push(EdgeEntry {
            from,
            to,
            kind: kind.to_owned(),
            queue_wait: Histogram::new(),
            handling: Histogram::new(),
        });
        Some(index)
    }

    /// An estimate of the heap and inline bytes this state holds.
    pub(crate) fn approx_bytes(&self) -> usize {
        let strings: usize = self
            .actors
            .iter()
            .map(|a| {
                a.id.capacity()
                    + a.name.capacity()
                    + a.type_name.capacity()
                    + a.parent.as_ref().map_or(0, String::capacity)
                    + a.stopped.as_ref().map_or(0, String::capacity)
            })
            .sum();
        let id_keys: usize = self.by_id.keys().map(String::capacity).sum();
        let kinds: usize = self.edges.iter().map(|e| e.kind.capacity()).sum();
        let pairs: usize = self
            .by_pair
            .values()
            .map(|v| v.capacity() * size_of::<usize>())
            .sum();
        size_of::<Self>()
            + self.actors.capacity() * size_of::<ActorEntry>()
            + strings
            + self.by_id.capacity() * (size_of::<String>() + size_of::<usize>())
            + id_keys
            + self.edges.capacity() * size_of::<EdgeEntry>()
            + kinds
            + self.by_pair.capacity() * (size_of::<(Option<usize>, usize)>() + size_of::<Vec<usize>>())
            + pairs
            + self.sequence.capacity() * size_of::<SequenceEntry>()
    }

    pub(crate) fn snapshot(&self) -> Snapshot {
        let key = |index: Option<usize>| index.map_or_else(|| super::EXTERNAL.to_owned(), actor_key);
        let actors = self
            .actors
            .iter()
            .enumerate()
            .map(|(i, a)| ActorNode {
                key: actor_key(i),
                id: a.id.clone(),
                name: a.name.clone(),
                type_name: a.type_name.clone(),
                parent: a.parent.clone(),
                parent_key: a
                    .parent
                    .as_ref()
                    .and_then(|p| self.by_id.get(p))
                    .map(|&p| actor_key(p)),
                stopped: a.stopped.clone(),
            })
            .collect();
        let edges = self
            .edges
            .iter()
            .filter(|e| e.handling.count() > 0)
            .map(|e| Edge {
                from: key(e.from),
                to: actor_key(e.to),
                kind: e.kind.clone(),
                count: e.handling.count(),
                queue_wait: e.queue_wait.clone(),
                handling: e.handling.clone(),
            })
            .collect();
        let sequence = self
            .sequence
            .iter()
            .map(|m| {
                let edge = &self.edges[m.edge];
                Message {
                    from: key(edge.from),
                    to: actor_key(edge.to),
                    kind: edge.kind.clone(),
                    queue_wait_us: m.queue_wait_us,
                    handling_us: m.handling_us,
                }
            })
            .collect();
        Snapshot {
            actors,
            edges,
            sequence,
            messages: self.messages,
            dropped: self.dropped,
        }
    }
}

fn actor_key(index: usize) -> String {
    format!("a{index}")
}
