//! A fixed-size latency histogram: one bucket per power of two of
//! microseconds, so an edge's timings take the same memory after ten
//! messages as after ten million.

/// Number of buckets: bucket `i` holds values `v` with `v.ilog2() + 1 == i`
/// (bucket 0 holds only zero), which covers the whole `u64` range.
const BUCKETS: usize = 65;

/// Latencies in microseconds, bucketed by powers of two.
///
/// Percentiles are approximate: they report the upper bound of the bucket
/// the percentile falls in (never more than the exact maximum, which is
/// kept apart), so they are at most twice the true value.
///
/// # Examples
///
/// ```
/// use actor_core::recorder::Histogram;
///
/// let mut h = Histogram::new();
/// for us in [1, 2, 3, 100] {
///     h.record(us);
/// }
/// assert_eq!(h.count(), 4);
/// assert_eq!(h.max(), 100);
/// assert_eq!(h.percentile(0.5), 3);
/// assert_eq!(h.percentile(1.0), 100);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Histogram {
    buckets: [u64; BUCKETS],
    count: u64,
    max: u64,
    sum: u128,
}

impl Default for Histogram {
    fn default() -> Self {
        Self::new()
    }
}

impl Histogram {
    /// An empty histogram.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(actor_core::recorder::Histogram::new().count(), 0);
    /// ```
    pub const fn new() -> Self {
        Self {
            buckets: [0; BUCKETS],
            count: 0,
            max: 0,
            sum: 0,
        }
    }

    /// Adds one value (in microseconds).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut h = actor_core::recorder::Histogram::new();
    /// h.record(7);
    /// assert_eq!(h.max(), 7);
    /// ```
    pub fn record(&mut self, us: u64) {
        self.buckets[bucket_of(us)] += 1;
        self.count += 1;
        self.max = self.max.max(us);
        self.sum += u128::from(us);
    }

    /// How many values were recorded.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut h = actor_core::recorder::Histogram::new();
    /// h.record(1);
    /// h.record(1);
    /// assert_eq!(h.count(), 2);
    /// ```
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The largest value recorded (exact), zero if none.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut h = actor_core::recorder::Histogram::new();
    /// h.record(1000);
    /// assert_eq!(h.max(), 1000);
    /// ```
    pub fn max(&self) -> u64 {
        self.max
    }

    /// The mean of the values recorded (exact, rounded down), zero if none.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut h = actor_core::recorder::Histogram::new();
    /// h.record(1);
    /// h.record(4);
    /// assert_eq!(h.mean(), 2);
    /// ```
    pub fn mean(&self) -> u64 {
        match self.count {
            0 => 0,
            n => u64::try_from(self.sum / u128::from(n)).unwrap_or(u64::MAX),
        }
    }

    /// The `q`-quantile (`0.0..=1.0`, clamped), as the upper bound of its
    /// bucket capped at the exact maximum; zero if nothing was recorded.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut h = actor_core::recorder::Histogram::new();
    /// for us in 0..100 {
    ///     h.record(us);
    /// }
    /// assert_eq!(h.percentile(0.5), 63); // 49 falls in the 32..=63 bucket
    /// assert_eq!(h.percentile(0.99), 99);
    /// ```
    pub fn percentile(&self, q: f64) -> u64 {
        if self.count == 0 {
            return 0;
        }
        let q = if q.is_nan() { 1.0 } else { q.clamp(0.0, 1.0) };
        // The rank of the value we want, 1-based: ceil(q * count), at least 1.
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let rank = ((q * self.count as f64).ceil() as u64).clamp(1, self.count);
        let mut seen = 0;
        for (i, &n) in self.buckets.iter().enumerate() {
            seen += n;
            if seen >= rank {
                return upper_bound(i).min(self.max);
            }
        }
        self.max
    }

    /// The usual summary: p50, p90, p99 and the maximum.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut h = actor_core::recorder::Histogram::new();
    /// h.record(5);
    /// let p = h.percentiles();
    /// assert_eq!((p.p50, p.p99, p.max), (5, 5, 5));
    /// ```
    pub fn percentiles(&self) -> Percentiles {
        Percentiles {
            p50: self.percentile(0.50),
            p90: self.percentile(0.90),
            p99: self.percentile(0.99),
            max: self.max,
        }
    }
}

/// A latency summary in microseconds (see [`Histogram::percentiles`]).
///
/// # Examples
///
/// ```
/// use actor_core::recorder::Percentiles;
///
/// let p = Percentiles { p50: 1, p90: 3, p99: 7, max: 9 };
/// assert!(p.p50 <= p.p90 && p.p90 <= p.p99 && p.p99 <= p.max);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Percentiles {
    /// Median.
    pub p50: u64,
    /// 90th percentile.
    pub p90: u64,
    /// 99th percentile.
    pub p99: u64,
    /// Exact maximum.
    pub max: u64,
}

fn bucket_of(us: u64) -> usize {
    // 0 -> 0, 1 -> 1, 2..=3 -> 2, 4..=7 -> 3, ...
    (u64::BITS - us.leading_zeros()) as usize
}

fn upper_bound(bucket: usize) -> u64 {
    match bucket {
        0 => 0,
        64.. => u64::MAX,
        b => (1u64 << b) - 1,
    }
}
