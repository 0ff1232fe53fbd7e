//! `#[actor]` on a generic impl: the message enum and the handle trait take
//! the impl's generics and bounds, including parameters that no handler
//! mentions.

use std::collections::HashMap;
use std::fmt::Debug;
use std::hash::Hash;
use std::marker::PhantomData;

use actor_core::prelude::*;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A key-value cache, generic over both.
#[derive(Debug)]
pub struct Cache<K, V> {
    map: HashMap<K, V>,
}

#[actor]
impl<K, V> Cache<K, V>
where
    K: Eq + Hash + Send + 'static,
    V: Clone + Send + 'static,
{
    /// Stores `value` under `key`.
    #[handler]
    pub fn put(&mut self, key: K, value: V) {
        self.map.insert(key, value);
    }

    /// The value under `key`.
    #[handler]
    pub fn get(&self, key: K) -> Option<V> {
        self.map.get(&key).cloned()
    }

    /// Merges another cache's entries in (`Self` in a parameter).
    #[handler]
    pub fn merge(&mut self, other: Self) {
        self.map.extend(other.map);
    }
}

/// Counts values of a type it never receives or returns.
#[derive(Debug)]
pub struct Tally<T> {
    count: u32,
    _type: PhantomData<fn() -> T>,
}

#[actor]
impl<T: Debug + 'static> Tally<T> {
    /// Counts one more.
    #[handler]
    pub fn bump(&mut self) -> u32 {
        self.count += 1;
        self.count
    }

    /// Starts again (a unit handler: its ask is wrapped in the enum's
    /// acknowledgement variant, which mentions the enum's own generics).
    #[handler]
    pub fn reset(&mut self) {
        self.count = 0;
    }
}

#[tokio::test]
async fn a_generic_actor_keeps_its_types() -> TestResult {
    let system = System::new();
    let cache: ActorRef<Cache<String, u32>> = system.spawn(Cache { map: HashMap::new() }).await?;
    cache.put("a".to_string(), 1).await?;
    assert_eq!(cache.get("a".to_string()).await?, Some(1));
    assert_eq!(cache.get("b".to_string()).await?, None);
    let other = Cache {
        map: HashMap::from([("b".to_string(), 2)]),
    };
    cache.merge(other).ask().await?;
    assert_eq!(cache.get("b".to_string()).await?, Some(2));
    Ok(())
}

#[tokio::test]
async fn two_instantiations_are_two_actors() -> TestResult {
    let system = System::new();
    let numbers: ActorRef<Cache<u8, &'static str>> = system.spawn(Cache { map: HashMap::new() }).await?;
    let words: ActorRef<Cache<&'static str, u8>> = system.spawn(Cache { map: HashMap::new() }).await?;
    numbers.put(1, "one").await?;
    words.put("one", 1).await?;
    assert_eq!(numbers.get(1).await?, Some("one"));
    assert_eq!(words.get("one").await?, Some(1));
    let msg: CacheMsg<u8, &str> = CacheMsg::Get { key: 1, reply: None };
    assert_eq!(msg.name(), "get");
    Ok(())
}

#[tokio::test]
async fn an_unused_type_parameter_is_allowed() -> TestResult {
    let system = System::new();
    let tally = system
        .spawn(Tally::<String> {
            count: 0,
            _type: PhantomData,
        })
        .await?;
    tally.bump().await?;
    assert_eq!(tally.bump().await?, 2);
    tally.reset().ask().await?;
    assert_eq!(tally.bump().await?, 1);
    Ok(())
}
