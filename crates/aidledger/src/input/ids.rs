//! Document ids seen in one run, by 64-bit hash: the reader's duplicate check and the
//! ingest's truthful counts both keep one entry per document read, so a run over a
//! million documents keeps a million entries.
//!
//! One hash table that size doubles in one step (2^20 to 2^21 buckets), and the old and
//! new tables then live side by side: a third more memory at the peak than the table
//! itself. [`IdTable`] splits the entries over [`SHARDS`] tables by the hash's top bits,
//! so each doubling moves only one small table, and the peak stays that of the entries.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// How many tables the entries are spread over.
pub const SHARDS: usize = 64;

/// The hash a document id is remembered by.
pub fn id_hash(id: &str) -> u64 {
    let mut h = DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

/// A map from id hash to `V`, in [`SHARDS`] tables.
pub struct IdTable<V> {
    shards: Vec<HashMap<u64, V>>,
}

impl<V> Default for IdTable<V> {
    fn default() -> Self {
        IdTable {
            shards: (0..SHARDS).map(|_| HashMap::new()).collect(),
        }
    }
}

impl<V> IdTable<V> {
    fn shard(key: u64) -> usize {
        (key >> (64 - SHARDS.trailing_zeros())) as usize
    }

    /// The value for `key` before, if any, and `value` stored for it now.
    pub fn insert(&mut self, key: u64, value: V) -> Option<V> {
        self.shards[Self::shard(key)].insert(key, value)
    }

    pub fn get(&self, key: u64) -> Option<&V> {
        self.shards[Self::shard(key)].get(&key)
    }

    pub fn len(&self) -> usize {
        self.shards.iter().map(HashMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_in_every_shard_are_found_again() {
        let mut t = IdTable::default();
        let keys: Vec<u64> = (1..1000u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .chain([0, u64::MAX, 1 << 63])
            .collect();
        for (i, &k) in keys.iter().enumerate() {
            assert_eq!(t.insert(k, i), None);
        }
        assert_eq!(t.len(), keys.len());
        for (i, &k) in keys.iter().enumerate() {
            assert_eq!(t.get(k), Some(&i));
        }
        assert_eq!(t.insert(keys[5], 7), Some(5));
        assert_eq!(t.get(keys[5]), Some(&7));
        assert_eq!(t.len(), keys.len());
        // the keys above reach every shard
        let used: std::collections::HashSet<usize> =
            keys.iter().map(|&k| IdTable::<()>::shard(k)).collect();
        assert_eq!(used.len(), SHARDS);
        assert_eq!(id_hash("a"), id_hash("a"));
        assert_ne!(id_hash("a"), id_hash("b"));
    }
}
