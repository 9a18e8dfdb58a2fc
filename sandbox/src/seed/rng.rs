//! A tiny deterministic pseudo-random generator (SplitMix64), so that demo data looks varied
//! yet is identical on every run and every machine.

/// SplitMix64: fast, tiny, and good enough for demo data.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator whose sequence is fixed by `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// A generator for one part of the data, independent of the order parts are generated in.
    pub fn for_part(seed: u64, part: u64) -> Rng {
        let mut mixer = Rng(seed ^ part.wrapping_mul(0xA24B_AED4_963E_E407));
        Rng(mixer.next_u64())
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        let span = high.abs_diff(low).saturating_add(1);
        low.saturating_add_unsigned(self.next_u64() % span)
    }

    /// True with probability `1 / n`.
    pub fn one_in(&mut self, n: u64) -> bool {
        self.next_u64().is_multiple_of(n.max(1))
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let index = usize::try_from(self.next_u64() % items.len().max(1) as u64).unwrap_or(0);
        &items[index]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_sequence() {
        let a: Vec<u64> = (0..5).scan(Rng::new(7), |r, _| Some(r.next_u64())).collect();
        let b: Vec<u64> = (0..5).scan(Rng::new(7), |r, _| Some(r.next_u64())).collect();
        assert_eq!(a, b);
        assert_ne!(Rng::for_part(7, 1).next_u64(), Rng::for_part(7, 2).next_u64());
    }

    #[test]
    fn ranges_are_inclusive_and_respected() {
        let mut rng = Rng::new(1);
        let values: Vec<i64> = (0..1000).map(|_| rng.between(-2, 2)).collect();
        assert!(values.iter().all(|v| (-2..=2).contains(v)));
        assert!(values.contains(&-2) && values.contains(&2));
    }
}
