//! Sorting through one routine. Every `sort_by`/`collect::<BTreeMap>` on a
//! new element type instantiates the standard library's sort again (~4 KB
//! of wasm each); the core only ever orders by a string key, so it sorts
//! indices by `&str` once and permutes. Likewise every hash map is an
//! [`Index`] (string key → position in a `Vec`): each new key or value type
//! of a `HashMap`/`HashSet` instantiated hashbrown again (~1 KB gzip each).

/// The core's one hash map type.
pub type Index = std::collections::HashMap<String, usize>;

/// Stable order of `keys`: the indices, sorted by key.
pub fn stable_order(keys: &[&str]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..keys.len()).collect();
    idx.sort_by(|&a, &b| keys.get(a).cmp(&keys.get(b)));
    idx
}

/// Sorts `v` stably by a string key.
pub fn by_key<T>(v: &mut Vec<T>, key: impl Fn(&T) -> &str) {
    let order = stable_order(&v.iter().map(key).collect::<Vec<_>>());
    let mut items: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(order.into_iter().filter_map(|i| items.get_mut(i).and_then(Option::take)));
}

#[cfg(test)]
mod tests {
    #[test]
    fn sorts_stably_by_key() {
        let mut v = vec![("b", 1), ("a", 2), ("b", 0), ("a", 1)];
        super::by_key(&mut v, |x| x.0);
        assert_eq!(v, [("a", 2), ("a", 1), ("b", 1), ("b", 0)]);
    }
}
