//! Go's `encoding/json` string encoding (HTML-safe), fast: the kernels the
//! checksum streams into SHA-256. Two inputs:
//! * a decoded string (a `serde_json::Value` string, or one the JS host
//!   wrote into memory): [`write_str`], and [`HashSink`]'s `put_str`, which
//!   escapes straight into the hash's buffer;
//! * a string still in JSON source form, re-encoded Go-style in the same
//!   pass that validates it, so a checksum can run straight from the
//!   request bytes (`crate::rawsum`): [`HashSink::put_json_str`] into the
//!   hash's buffer, or [`scan_json_string`] into pieces.
//!
//! Both look for the bytes that need attention a block at a time — 8 bytes
//! with SWAR arithmetic, or 16 with `simd128` when the build enables it — and
//! hand everything between them on as one run, so long clean runs are hashed
//! straight from their source.

use crate::checksum::Escaping;

/// Runs up to this long are copied as one `SLOP`-byte block.
const SLOP: usize = 16;

/// A growable byte buffer written by fixed-size copies: the bytes past `len`
/// are always allocated (zeroed), so a short run is written as one
/// `SLOP`-byte block and an escape as one 6-byte block, where a `Vec`
/// extend would call `memcpy` for every few bytes.
pub(crate) struct Buf {
    bytes: Vec<u8>,
    len: usize,
}

impl Buf {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Buf { bytes: vec![0; n.max(SLOP)], len: 0 }
    }
    pub(crate) fn len(&self) -> usize {
        self.len
    }
    pub(crate) fn truncate(&mut self, len: usize) {
        self.len = self.len.min(len);
    }
    pub(crate) fn get(&self, r: std::ops::Range<usize>) -> Option<&[u8]> {
        self.as_slice().get(r)
    }
    pub(crate) fn as_slice(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }
    fn clear(&mut self) {
        self.len = 0;
    }
    #[inline(always)]
    fn room(&mut self, n: usize) {
        if self.len + n > self.bytes.len() {
            self.bytes.resize((2 * self.bytes.len()).max(self.len + n), 0);
        }
    }
    #[inline(always)]
    fn push(&mut self, s: &[u8]) {
        self.room(s.len());
        if let Some(d) = self.bytes.get_mut(self.len..self.len + s.len()) {
            d.copy_from_slice(s);
        }
        self.len += s.len();
    }
    /// The first `n` bytes of `block`, copied whole.
    #[inline(always)]
    fn push_block<const N: usize>(&mut self, block: &[u8; N], n: usize) {
        self.room(N);
        if let Some(d) = self.bytes.get_mut(self.len..self.len + N).and_then(|d| <&mut [u8; N]>::try_from(d).ok()) {
            *d = *block;
        }
        self.len += n.min(N);
    }
    /// `src[from..to]`, short runs as one block (read past `to` while `src` lasts).
    #[inline(always)]
    fn push_run(&mut self, src: &[u8], from: usize, to: usize) {
        match src.get(from..from + SLOP).and_then(|b| <&[u8; SLOP]>::try_from(b).ok()) {
            Some(block) if to - from <= SLOP => self.push_block(block, to - from),
            _ => self.push(src.get(from..to).unwrap_or_default()),
        }
    }
}

/// Where Go-encoded bytes go: a hash (see [`HashSink`]) or a `Vec`.
pub(crate) trait Out {
    fn put(&mut self, bytes: &[u8]);
    /// `src[from..to]`; `src` may be read past `to`.
    #[inline(always)]
    fn put_run(&mut self, src: &[u8], from: usize, to: usize) {
        self.put(src.get(from..to).unwrap_or_default());
    }
    /// The first `n` bytes of an escape.
    #[inline(always)]
    fn put_escape(&mut self, e: &[u8; 6], n: usize) {
        self.put(e.get(..n).unwrap_or_default());
    }
    /// The decoded string `s` as Go's `json.Marshal` writes it, quotes included.
    fn put_str(&mut self, s: &str, escaping: Escaping)
    where
        Self: Sized,
    {
        write_str(s, escaping, self);
    }
}

impl Out for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

/// SHA-256 fed in large blocks: small pieces (escapes, short runs, keys) are
/// gathered in a buffer, long runs go to the hash directly. Per-call overhead
/// in the hasher cost more than the hashing itself on escape-dense data.
pub(crate) struct HashSink {
    hasher: sha2::Sha256,
    buf: Buf,
}

const SINK_BUF: usize = 8 * 1024;
/// Pieces at least this long skip the buffer.
const SINK_DIRECT: usize = 256;

impl HashSink {
    pub(crate) fn new() -> Self {
        let n = if cfg!(feature = "fast-paths") { SINK_BUF + SINK_DIRECT } else { 0 };
        HashSink { hasher: sha2::Digest::new(), buf: Buf::with_capacity(n) }
    }
    pub(crate) fn finish(mut self) -> [u8; 32] {
        sha2::Digest::update(&mut self.hasher, self.buf.as_slice());
        sha2::Digest::finalize(self.hasher).into()
    }
    /// Scans the JSON string whose body starts at `src[start]` (after the
    /// opening quote), validating it as [`scan_json_string`] does, and hashes
    /// its Go encoding, quotes included ([`Buf::json_into`]). `None` when it
    /// is not a valid JSON string.
    pub(crate) fn put_json_str(&mut self, src: &[u8], start: usize, escaping: Escaping) -> Option<Scanned> {
        self.buf.push_block(b"\"", 1);
        let (mut at, mut escaped) = (start, false);
        loop {
            let (next, done) = self.buf.json_into(src, at, escaping, SINK_BUF, &mut escaped)?;
            self.flush_if_full();
            if done {
                self.buf.push_block(b"\"", 1);
                self.flush_if_full();
                if !cfg!(feature = "fast-paths") {
                    // The other pieces go straight to the hash in this build: this one too, in order.
                    sha2::Digest::update(&mut self.hasher, self.buf.as_slice());
                    self.buf.clear();
                }
                return Some(Scanned { end: next, escaped });
            }
            at = next;
        }
    }
    #[inline(always)]
    fn flush_if_full(&mut self) {
        if self.buf.len() >= SINK_BUF {
            sha2::Digest::update(&mut self.hasher, self.buf.as_slice());
            self.buf.clear();
        }
    }
}

impl Out for HashSink {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        // Without `fast-paths` every piece goes to the hash as it comes (no buffer code).
        if !cfg!(feature = "fast-paths") {
            return sha2::Digest::update(&mut self.hasher, bytes);
        }
        if bytes.len() >= SINK_DIRECT {
            sha2::Digest::update(&mut self.hasher, self.buf.as_slice());
            self.buf.clear();
            sha2::Digest::update(&mut self.hasher, bytes);
        } else {
            self.buf.push(bytes);
            self.flush_if_full();
        }
    }
    #[inline(always)]
    fn put_run(&mut self, src: &[u8], from: usize, to: usize) {
        if cfg!(feature = "fast-paths") && to - from < SINK_DIRECT {
            self.buf.push_run(src, from, to);
            self.flush_if_full();
        } else {
            self.put(src.get(from..to).unwrap_or_default());
        }
    }
    #[inline(always)]
    fn put_escape(&mut self, e: &[u8; 6], n: usize) {
        if !cfg!(feature = "fast-paths") {
            return self.put(e.get(..n).unwrap_or_default());
        }
        self.buf.push_block(e, n);
        self.flush_if_full();
    }
    /// Escapes straight into the buffer ([`Buf::escape_into`]), a buffer at a time; without
    /// `fast-paths`, [`write_str`] (the same bytes, one kernel fewer).
    fn put_str(&mut self, s: &str, escaping: Escaping) {
        if !cfg!(feature = "fast-paths") {
            return write_str(s, escaping, self);
        }
        let table = byte_table_for(escaping);
        let b = s.as_bytes();
        self.buf.push_block(b"\"", 1);
        let mut at = 0;
        while at < b.len() {
            at = self.buf.escape_into(b, at, table, SINK_BUF);
            self.flush_if_full();
        }
        self.buf.push_block(b"\"", 1);
        self.flush_if_full();
    }
}

/// One block of the scan: `LEN` bytes, and a mask whose set bits mark the
/// bytes that stop a scan — control characters, `"`, `\`, `<`, `>`, `&`, and
/// 0xE2 (the lead byte of U+2028/U+2029, which Go escapes) — byte `k` of the
/// block at bit `k << SHIFT`.
#[cfg(not(target_feature = "simd128"))]
mod block {
    pub const LEN: usize = 8;
    pub const SHIFT: u32 = 3;
    /// The mask bit of byte `k` is `k << SHIFT | BIT`.
    pub const BIT: u32 = 7;

    #[inline(always)]
    pub fn stops(block: &[u8; LEN]) -> u64 {
        super::swar_stops(u64::from_le_bytes(*block))
    }
}

/// The index of the first stop byte (see [`swar_stops`]) of `block`, if any.
/// Without `simd128`, the second half is tested only when the first is
/// clean (on escape-dense text it seldom is).
#[inline(always)]
fn first_stop16(block: &[u8; 16]) -> Option<usize> {
    #[cfg(target_feature = "simd128")]
    {
        let m = block::stops(block);
        (m != 0).then(|| m.trailing_zeros() as usize)
    }
    #[cfg(not(target_feature = "simd128"))]
    {
        let x = u128::from_le_bytes(*block);
        match swar_stops(x as u64) {
            0 => match swar_stops((x >> 64) as u64) {
                0 => None,
                stops => Some(8 + (stops.trailing_zeros() >> 3) as usize),
            },
            stops => Some((stops.trailing_zeros() >> 3) as usize),
        }
    }
}

/// The stop bytes of the 8 bytes `x` (little-endian): bit 7 of each byte
/// that is a control character, `"`, `\`, `<`, `>`, `&` or 0xE2.
#[cfg_attr(target_feature = "simd128", allow(dead_code))]
#[inline(always)]
fn swar_stops(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // High bit of each byte of `y` that is zero. Exact (no borrow between
    // bytes), so every set bit is a real match.
    let zero_bytes = |y: u64| !(((y & LOW7) + LOW7) | y) & HIGH;
    // Bytes below 0x20: no high bit, and adding 0x60 to the low 7 bits does not reach 0x80.
    let ctrl = !(((x & LOW7) + ONES * 0x60) | x) & HIGH;
    // `"` (0x22) and `&` (0x26) differ in bit 2 only; `<` (0x3c) and `>` (0x3e) in bit 1.
    let quote_amp = zero_bytes((x ^ (ONES * 0x22)) & (ONES * 0xfb));
    let angle = zero_bytes((x ^ (ONES * 0x3c)) & (ONES * 0xfd));
    let backslash = zero_bytes(x ^ (ONES * 0x5c));
    let e2 = zero_bytes(x ^ (ONES * 0xe2));
    ctrl | quote_amp | angle | backslash | e2
}

#[cfg(target_feature = "simd128")]
mod block {
    use core::arch::wasm32::*;
    pub const LEN: usize = 16;
    pub const SHIFT: u32 = 0;
    pub const BIT: u32 = 0;

    #[inline(always)]
    pub fn stops(block: &[u8; LEN]) -> u64 {
        // SAFETY: `block` is 16 readable bytes; v128.load has no alignment requirement.
        let x = unsafe { v128_load(block.as_ptr().cast()) };
        let eq = |c: u8| u8x16_eq(x, u8x16_splat(c));
        let m = v128_or(
            v128_or(u8x16_lt(x, u8x16_splat(0x20)), v128_or(eq(b'"'), eq(b'\\'))),
            v128_or(v128_or(eq(b'<'), eq(b'>')), v128_or(eq(b'&'), eq(0xe2))),
        );
        u64::from(u8x16_bitmask(m))
    }
}

/// The stop bytes of `bytes` from a position on, in order: a block's mask is
/// computed once and its set bits handed out one by one.
struct Stops<'a> {
    bytes: &'a [u8],
    base: usize,
    mask: u64,
}

impl<'a> Stops<'a> {
    #[inline(always)]
    fn new(bytes: &'a [u8], from: usize) -> Self {
        Stops { bytes, base: from, mask: Self::load(bytes, from) }
    }

    #[inline(always)]
    fn load(bytes: &[u8], at: usize) -> u64 {
        match bytes.get(at..at + block::LEN).and_then(|b| <&[u8; block::LEN]>::try_from(b).ok()) {
            Some(b) => block::stops(b),
            None => {
                // The tail, padded with a byte that is no stop.
                let mut b = [b' '; block::LEN];
                let tail = bytes.get(at..).unwrap_or_default();
                b.iter_mut().zip(tail).for_each(|(d, s)| *d = *s);
                block::stops(&b)
            }
        }
    }

    /// The next stop byte's position, `None` past the end.
    #[inline(always)]
    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            self.base += block::LEN;
            if self.base >= self.bytes.len() {
                return None;
            }
            self.mask = Self::load(self.bytes, self.base);
        }
        let p = self.base + (self.mask.trailing_zeros() >> block::SHIFT) as usize;
        self.mask &= self.mask - 1;
        Some(p)
    }

    /// Forgets the stop at `p` (the `"` or `\\` of an escape just read) when
    /// it is in the current block, saving a turn of the loop.
    #[inline(always)]
    fn drop(&mut self, p: usize) {
        if let Some(k) = p.checked_sub(self.base).filter(|k| *k < block::LEN) {
            self.mask &= !(1u64 << ((k as u32) << block::SHIFT | block::BIT));
        }
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn hex_digit(n: u32) -> u8 {
    HEX.get((n & 0xf) as usize).copied().unwrap_or(b'0')
}

/// Go's encoding of one character that is not written raw (`c` < 0x20,
/// `"`, `\`, `<`, `>`, `&`, U+2028, U+2029); `None` for every other.
#[inline]
fn escape_of(c: u32, escaping: Escaping) -> Option<([u8; 6], usize)> {
    let short = |e: u8| Some(([b'\\', e, 0, 0, 0, 0], 2));
    let long =
        |c: u32| Some(([b'\\', b'u', hex_digit(c >> 12), hex_digit(c >> 8), hex_digit(c >> 4), hex_digit(c)], 6));
    match c {
        0x22 => short(b'"'),
        0x5c => short(b'\\'),
        0x0a => short(b'n'),
        0x0d => short(b'r'),
        0x09 => short(b't'),
        0x08 if escaping == Escaping::Go122 => short(b'b'),
        0x0c if escaping == Escaping::Go122 => short(b'f'),
        0..=0x1f | 0x3c | 0x3e | 0x26 | 0x2028 | 0x2029 => long(c),
        _ => None,
    }
}

/// Go's `\u2028` / `\u2029` (padded to 8 bytes) when `b[p..]` is that
/// character (E2 80 A8 / A9; the caller has seen the E2).
#[inline]
fn line_separator(b: &[u8], p: usize) -> Option<&'static [u8; 8]> {
    match (b.get(p + 1), b.get(p + 2)) {
        (Some(0x80), Some(0xa8)) => Some(b"\\u2028\0\0"),
        (Some(0x80), Some(0xa9)) => Some(b"\\u2029\0\0"),
        _ => None,
    }
}

const fn short(e: u8) -> ([u8; 6], u8) {
    ([b'\\', e, 0, 0, 0, 0], 2)
}

/// Go's encoding of each byte it does not write raw, for one escaping: the
/// bytes and how many (0: written raw; 0xE2 is looked at apart).
type EscapeTable = [([u8; 6], u8); 256];

// Const-evaluated: an out-of-range index here fails the build, never a run.
#[allow(clippy::indexing_slicing)]
const fn escape_table(go122: bool) -> EscapeTable {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut t = [([0u8; 6], 0u8); 256];
    let mut c = 0;
    while c < 0x20 {
        t[c] = ([b'\\', b'u', b'0', b'0', HEX[c >> 4], HEX[c & 0xf]], 6);
        c += 1;
    }
    t[b'\n' as usize] = short(b'n');
    t[b'\r' as usize] = short(b'r');
    t[b'\t' as usize] = short(b't');
    if go122 {
        t[0x08] = short(b'b');
        t[0x0c] = short(b'f');
    }
    t[b'"' as usize] = short(b'"');
    t[b'\\' as usize] = short(b'\\');
    t[b'<' as usize] = (*b"\\u003c", 6);
    t[b'>' as usize] = (*b"\\u003e", 6);
    t[b'&' as usize] = (*b"\\u0026", 6);
    t
}
static ESCAPES_GO122: EscapeTable = escape_table(true);
static ESCAPES_GO119: EscapeTable = escape_table(false);

/// Go's encoding of every byte, padded to 8 bytes so that each is written by
/// one store, and its length: a byte Go writes raw is itself, length 1
/// (0xE2 too: U+2028/U+2029 are looked at apart).
type ByteTable = [([u8; 8], u8); 256];

// Const-evaluated: an out-of-range index here fails the build, never a run.
#[allow(clippy::indexing_slicing)]
const fn byte_table(t: &EscapeTable) -> ByteTable {
    let mut out = [([0u8; 8], 1u8); 256];
    let mut c = 0;
    while c < 256 {
        if t[c].1 == 0 {
            out[c].0[0] = c as u8;
        } else {
            let mut k = 0;
            while k < 6 {
                out[c].0[k] = t[c].0[k];
                k += 1;
            }
            out[c].1 = t[c].1;
        }
        c += 1;
    }
    out
}
static BYTES_GO122: ByteTable = byte_table(&ESCAPES_GO122);
static BYTES_GO119: ByteTable = byte_table(&ESCAPES_GO119);

fn byte_table_for(escaping: Escaping) -> &'static ByteTable {
    match escaping {
        Escaping::Go122 => &BYTES_GO122,
        Escaping::Go119 => &BYTES_GO119,
    }
}

impl Buf {
    /// Appends Go's encoding of `s[from..]` (quotes excluded) until `s` ends
    /// or the buffer holds `limit` bytes; returns where it stopped in `s`.
    /// Each 8-byte block from `i` is stored whole, and the output moves on
    /// past the bytes before its first stop; the stop's encoding is stored
    /// next and the block after it read from there. No run is measured and
    /// copied apart, so a clean block is one load, the stop test and one store.
    #[inline(always)]
    fn escape_into(&mut self, s: &[u8], from: usize, table: &ByteTable, limit: usize) -> usize {
        // Room for the widest step (16 bytes, or an escape stored as 8) and the short tail.
        self.room((limit + 64).saturating_sub(self.len));
        let mut i = from;
        while self.len < limit {
            // 16 bytes a turn while they last, then 8, then one by one.
            let k = if let Some(block) = s.get(i..i + 16).and_then(|b| <[u8; 16]>::try_from(b).ok()) {
                self.store16(block);
                let Some(k) = first_stop16(&block) else {
                    i += 16;
                    self.len += 16;
                    continue;
                };
                k
            } else if let Some(block) = s.get(i..i + 8).and_then(|b| <[u8; 8]>::try_from(b).ok()) {
                self.store8(block);
                match swar_stops(u64::from_le_bytes(block)) {
                    0 => {
                        i += 8;
                        self.len += 8;
                        continue;
                    }
                    stops => (stops.trailing_zeros() >> 3) as usize,
                }
            } else {
                return self.escape_tail(s, i, table);
            };
            // The bytes up to the first stop are stored already; then that stop.
            self.len += k;
            i += k;
            i += self.escape_one(s, i, table);
        }
        i
    }

    /// [`Buf::escape_into`] for a string still in JSON source form: appends
    /// Go's encoding of the JSON string body at `src[from..]` until its
    /// closing quote or until the buffer holds `limit` bytes. Escapes Go
    /// writes the same way (`\n`, `\"`, …) are copied; others, and `<`, `>`,
    /// `&`, U+2028/U+2029, are rewritten. `(where it stopped, whether at the
    /// closing quote)`, or `None` when the text is not a valid JSON string
    /// body; `escaped` is set when the body had a `\` escape.
    #[inline(always)]
    fn json_into(
        &mut self,
        src: &[u8],
        from: usize,
        escaping: Escaping,
        limit: usize,
        escaped: &mut bool,
    ) -> Option<(usize, bool)> {
        self.room((limit + 64).saturating_sub(self.len));
        let table = byte_table_for(escaping);
        let mut i = from;
        while self.len < limit {
            // 16 bytes a turn; past the end they read as NUL, a stop: an unterminated string ends below.
            let block = match src.get(i..i + 16).and_then(|b| <[u8; 16]>::try_from(b).ok()) {
                Some(b) => b,
                None => {
                    let mut b = [0u8; 16];
                    b.iter_mut().zip(src.get(i..).unwrap_or_default()).for_each(|(d, s)| *d = *s);
                    b
                }
            };
            self.store16(block);
            let Some(k) = first_stop16(&block) else {
                i += 16;
                self.len += 16;
                continue;
            };
            self.len += k;
            i += k;
            match *src.get(i)? {
                b'"' => return Some((i, true)),
                b'\\' => {
                    *escaped = true;
                    let e = *src.get(i + 1)?;
                    if matches!(e, b'"' | b'\\' | b'n' | b'r' | b't')
                        || (escaping == Escaping::Go122 && matches!(e, b'b' | b'f'))
                    {
                        // Go writes it the same way.
                        self.store8([b'\\', e, 0, 0, 0, 0, 0, 0]);
                        self.len += 2;
                        i += 2;
                    } else if let Some(c) = ascii_escape(src, i) {
                        // `\u00XX` below 0x80 (`\u003c` as the API server writes `<`): Go's bytes from the table.
                        let (e, n) = table.get(usize::from(c)).copied().unwrap_or_default();
                        self.store8(e);
                        self.len += usize::from(n);
                        i += 6;
                    } else {
                        let (bytes, n, len) = reencode_escape(src, i, escaping)?;
                        let mut e = [0u8; 8];
                        e.iter_mut().zip(bytes).for_each(|(d, s)| *d = s);
                        self.store8(e);
                        self.len += n;
                        i += len;
                    }
                }
                c @ (b'<' | b'>' | b'&') => {
                    let (e, n) = table.get(usize::from(c)).copied().unwrap_or_default();
                    self.store8(e);
                    self.len += usize::from(n);
                    i += 1;
                }
                0xe2 => i += self.escape_one(src, i, table),
                // A raw control character: not JSON.
                _ => return None,
            }
        }
        Some((i, false))
    }

    /// Writes the encoding of the character at `s[i]`; how many bytes of `s` it took.
    #[inline(always)]
    fn escape_one(&mut self, s: &[u8], i: usize, table: &ByteTable) -> usize {
        let c = s.get(i).copied().unwrap_or(0);
        if c == 0xe2 {
            if let Some(e) = line_separator(s, i) {
                self.store8(*e);
                self.len += 6;
                return 3;
            }
        }
        let (e, n) = table.get(usize::from(c)).copied().unwrap_or_default();
        self.store8(e);
        self.len += usize::from(n);
        1
    }

    /// The last bytes of `s` (fewer than 8) from `i`, one at a time.
    #[cold]
    fn escape_tail(&mut self, s: &[u8], mut i: usize, table: &ByteTable) -> usize {
        while i < s.len() {
            i += self.escape_one(s, i, table);
        }
        i
    }

    /// Stores 16 bytes at `len` (room is the caller's to ensure); `len` is unchanged.
    #[inline(always)]
    fn store16(&mut self, b: [u8; 16]) {
        if let Some(d) = self.bytes.get_mut(self.len..self.len + 16).and_then(|d| <&mut [u8; 16]>::try_from(d).ok()) {
            *d = b;
        }
    }

    /// Stores 8 bytes at `len` (room is the caller's to ensure); `len` is unchanged.
    #[inline(always)]
    fn store8(&mut self, b: [u8; 8]) {
        if let Some(d) = self.bytes.get_mut(self.len..self.len + 8).and_then(|d| <&mut [u8; 8]>::try_from(d).ok()) {
            *d = b;
        }
    }
}

/// Writes the decoded string `s` as Go's `json.Marshal` does, quotes included.
pub(crate) fn write_str(s: &str, escaping: Escaping, out: &mut impl Out) {
    let table = match escaping {
        Escaping::Go122 => &ESCAPES_GO122,
        Escaping::Go119 => &ESCAPES_GO119,
    };
    let b = s.as_bytes();
    out.put(b"\"");
    let mut run = 0;
    let mut stops = Stops::new(b, 0);
    while let Some(p) = stops.next() {
        if p < run {
            continue; // inside a U+2028/9 already written
        }
        let c = b.get(p).copied().unwrap_or(0);
        let (e, n) = table.get(usize::from(c)).copied().unwrap_or_default();
        if n > 0 {
            out.put_run(b, run, p);
            out.put_escape(&e, usize::from(n));
            run = p + 1;
        } else if let Some(e) = line_separator(b, p).and_then(|e| e.first_chunk::<6>()) {
            // Other E2 sequences stay raw.
            out.put_run(b, run, p);
            out.put_escape(e, 6);
            run = p + 3;
        }
    }
    out.put_run(b, run, b.len());
    out.put(b"\"");
}

/// A piece of Go-encoded output: source bytes to reuse, or bytes written to
/// the scan's side buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seg {
    Src(usize, usize),
    Side(usize, usize),
}

/// A scanned JSON string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scanned {
    /// Index of the closing quote.
    pub end: usize,
    /// Whether the body had any `\` escape (its decoded text is not the source).
    pub escaped: bool,
}

/// Source runs shorter than this are copied to the side buffer rather than
/// kept as a segment of their own: on escape-dense text, segments every few
/// bytes cost more to keep and to hash piece by piece than the copy.
const KEEP_RUN: usize = 256;

/// Builds one string's segments: long source runs stay in place, the rest
/// (short runs and re-encodings) is copied to `side`, one segment per stretch.
struct Segments<'v> {
    segs: &'v mut Vec<Seg>,
    side: &'v mut Buf,
    /// Start in `side` of the stretch not yet closed into a segment.
    open: usize,
    first: usize,
}

impl Segments<'_> {
    /// The source run `from..to`, then `bytes` (a re-encoding) after it.
    #[inline(always)]
    fn replace(&mut self, src: &[u8], from: usize, to: usize, bytes: &[u8]) {
        self.run(src, from, to);
        self.side.push(bytes);
    }

    #[inline(always)]
    fn replace6(&mut self, src: &[u8], from: usize, to: usize, bytes: &[u8; 6]) {
        self.run(src, from, to);
        self.side.push_block(bytes, 6);
    }

    #[inline(always)]
    fn run(&mut self, src: &[u8], from: usize, to: usize) {
        if to >= from + KEEP_RUN {
            self.close();
            self.segs.push(Seg::Src(from, to));
        } else {
            self.side.push_run(src, from, to);
        }
    }

    fn close(&mut self) {
        if self.side.len() > self.open {
            self.segs.push(Seg::Side(self.open, self.side.len()));
        }
        self.open = self.side.len();
    }

    /// Whether nothing was written: the string is its own Go encoding.
    fn untouched(&self) -> bool {
        self.segs.len() == self.first && self.side.len() == self.open
    }
}

/// Scans the JSON string whose body starts at `src[start]` (after the opening
/// quote), validating it, and appends its Go encoding (without quotes) to
/// `segs`: source runs that Go writes unchanged (including escapes Go writes
/// the same way, like `\n` or `\"`), and re-encoded pieces written to `side`.
/// `None` when the string is not valid JSON (raw control character, bad
/// escape, no closing quote); `src` must be valid UTF-8. Lone UTF-16
/// surrogate escapes read as U+FFFD, as Go reads them.
pub(crate) fn scan_json_string(
    src: &[u8],
    start: usize,
    escaping: Escaping,
    segs: &mut Vec<Seg>,
    side: &mut Buf,
) -> Option<Scanned> {
    let (first, open) = (segs.len(), side.len());
    let mut out = Segments { segs, side, open, first };
    let (mut run, mut skip, mut escaped) = (start, start, false);
    let mut stops = Stops::new(src, start);
    let end = loop {
        let p = stops.next()?;
        if p < skip {
            continue; // part of an escape already read
        }
        match src.get(p).copied().unwrap_or(0) {
            b'"' => break p,
            b'\\' => {
                escaped = true;
                match src.get(p + 1).copied().unwrap_or(0) {
                    // Go writes these escapes the same way: the run goes on.
                    b'"' | b'\\' => {
                        stops.drop(p + 1);
                        skip = p + 2;
                    }
                    b'n' | b'r' | b't' => skip = p + 2,
                    b'b' | b'f' if escaping == Escaping::Go122 => skip = p + 2,
                    _ => {
                        let (bytes, n, len) = reencode_escape(src, p, escaping)?;
                        let go = bytes.get(..n).unwrap_or_default();
                        // `\u003c` as Go writes it (what the API server sends) stays in the run.
                        if src.get(p..p + len) != Some(go) {
                            out.replace(src, run, p, go);
                            run = p + len;
                        }
                        skip = p + len;
                    }
                }
            }
            c @ (b'<' | b'>' | b'&') => {
                let e: &[u8; 6] = match c {
                    b'<' => b"\\u003c",
                    b'>' => b"\\u003e",
                    _ => b"\\u0026",
                };
                out.replace6(src, run, p, e);
                run = p + 1;
                skip = run;
            }
            0xe2 => {
                if let Some(e) = line_separator(src, p).and_then(|e| e.first_chunk::<6>()) {
                    out.replace6(src, run, p, e);
                    run = p + 3;
                    skip = run;
                }
            }
            // A raw control character: not JSON.
            _ => return None,
        }
    };
    if out.untouched() {
        out.segs.push(Seg::Src(start, end));
    } else {
        out.run(src, run, end);
        out.close();
    }
    Some(Scanned { end, escaped })
}

/// The character of a `\u00XX` escape at `src[p]` when it is below 0x80.
#[inline(always)]
fn ascii_escape(src: &[u8], p: usize) -> Option<u8> {
    let hex = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    };
    match src.get(p + 1..p + 6)? {
        [b'u', b'0', b'0', hi @ b'0'..=b'7', lo] => Some(hex(*hi)? << 4 | hex(*lo)?),
        _ => None,
    }
}

/// Go's encoding of the escape at `src[p]` that Go writes differently: the
/// bytes, how many, and the escape's length in the source.
#[cold]
fn reencode_escape(src: &[u8], p: usize, escaping: Escaping) -> Option<([u8; 6], usize, usize)> {
    match src.get(p + 1)? {
        b'/' => Some(([b'/', 0, 0, 0, 0, 0], 1, 2)),
        b'b' => Some((escape_of(0x08, escaping)?.0, 6, 2)),
        b'f' => Some((escape_of(0x0c, escaping)?.0, 6, 2)),
        b'u' => {
            let (c, len) = unicode_escape(src, p)?;
            if let Some((e, n)) = escape_of(c, escaping) {
                return Some((e, n, len));
            }
            let mut out = [0u8; 6];
            let n = char::from_u32(c).unwrap_or('\u{fffd}').encode_utf8(&mut out).len();
            Some((out, n, len))
        }
        _ => None,
    }
}

/// The character of the `\uXXXX` escape at `src[p]` and the escape's length:
/// a surrogate pair is one character (12 bytes); a lone surrogate is U+FFFD.
fn unicode_escape(src: &[u8], p: usize) -> Option<(u32, usize)> {
    let hex4 = |at: usize| -> Option<u32> {
        src.get(at..at + 4)?.iter().try_fold(0u32, |acc, &h| Some(acc << 4 | char::from(h).to_digit(16)?))
    };
    let c = hex4(p + 2)?;
    Some(match c {
        0xd800..=0xdbff => {
            let low = (src.get(p + 6) == Some(&b'\\') && src.get(p + 7) == Some(&b'u')).then(|| hex4(p + 8)).flatten();
            match low {
                Some(lo @ 0xdc00..=0xdfff) => (0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00), 12),
                _ => (0xfffd, 6),
            }
        }
        0xdc00..=0xdfff => (0xfffd, 6),
        c => (c, 6),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn go(s: &str, e: Escaping) -> String {
        let mut v = Vec::new();
        write_str(s, e, &mut v);
        String::from_utf8(v).unwrap()
    }

    /// The JSON source `json` (a string literal) re-encoded Go-style.
    fn rescan(json: &str, e: Escaping) -> Option<(String, bool)> {
        let src = json.as_bytes();
        let (mut segs, mut side) = (Vec::new(), Buf::with_capacity(0));
        let s = scan_json_string(src, 1, e, &mut segs, &mut side)?;
        assert_eq!(s.end, src.len() - 1, "{json}");
        let mut out = Vec::new();
        for seg in segs {
            match seg {
                Seg::Src(a, b) => out.extend_from_slice(&src[a..b]),
                Seg::Side(a, b) => out.extend_from_slice(side.get(a..b).unwrap()),
            }
        }
        Some((format!("\"{}\"", String::from_utf8(out).unwrap()), s.escaped))
    }

    #[test]
    fn decoded_strings_escape_like_go() {
        let s = "<a>&\u{2028}\u{2029}\u{7f}\u{1}\u{8}\u{c}\n\"\\é😀— long enough to cross blocks <x>";
        let want = "\"\\u003ca\\u003e\\u0026\\u2028\\u2029\u{7f}\\u0001\\b\\f\\n\\\"\\\\é😀— long enough to cross blocks \\u003cx\\u003e\"";
        assert_eq!(go(s, Escaping::Go122), want);
        assert_eq!(go("\u{8}\u{c}", Escaping::Go119), "\"\\u0008\\u000c\"");
        // An E2 sequence that is not U+2028/9 split across the block boundary.
        assert_eq!(go("1234567\u{2014}\u{2028}", Escaping::Go122), "\"1234567\u{2014}\\u2028\"");
    }

    /// `s` through [`Buf::escape_into`] with the buffer drained every `limit` bytes, as the hash sink does.
    fn fused(s: &str, e: Escaping, limit: usize) -> String {
        let (b, table) = (s.as_bytes(), byte_table_for(e));
        let (mut buf, mut out, mut at) = (Buf::with_capacity(0), b"\"".to_vec(), 0);
        while at < b.len() {
            at = buf.escape_into(b, at, table, limit);
            out.extend_from_slice(buf.as_slice());
            buf.clear();
        }
        out.push(b'"');
        String::from_utf8(out).unwrap()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 3000, ..Default::default() })]
        /// The fused kernel the hash sink uses writes what the run-by-run [`write_str`] writes.
        #[test]
        fn fused_escaping_writes_what_write_str_writes(
            chars in proptest::collection::vec(proptest::sample::select(vec![
                'a', 'b', ' ', '<', '>', '&', '"', '\\', '\n', '\r', '\t', '\u{0}', '\u{8}', '\u{c}', '\u{1f}',
                '\u{7f}', 'é', '\u{2028}', '\u{2029}', '\u{2014}', '\u{20ac}', '\u{e2}', '\u{fffd}', '😀', '日',
            ]), 0..80),
            go119: bool,
            limit in 1usize..40,
        ) {
            let s: String = chars.into_iter().collect();
            let e = if go119 { Escaping::Go119 } else { Escaping::Go122 };
            proptest::prop_assert_eq!(fused(&s, e, limit), go(&s, e));
            let mut sink = HashSink::new();
            sink.put_str(&s, e);
            let mut reference = HashSink::new();
            reference.put(go(&s, e).as_bytes());
            proptest::prop_assert_eq!(sink.finish(), reference.finish());
        }
    }

    #[test]
    fn fused_escaping_of_long_strings() {
        let long = "<a href=\"x\">caf\u{e9} \u{2014} \u{2028}\t</a>\n".repeat(3000);
        for e in [Escaping::Go122, Escaping::Go119] {
            for limit in [1, 7, 8, 9, 4096, SINK_BUF] {
                assert_eq!(fused(&long, e, limit), go(&long, e), "{limit}");
            }
            let mut sink = HashSink::new();
            sink.put_str(&long, e);
            let mut reference = HashSink::new();
            reference.put(go(&long, e).as_bytes());
            assert_eq!(sink.finish(), reference.finish());
        }
    }

    #[test]
    fn source_strings_reencode_like_go() {
        let e = Escaping::Go122;
        assert_eq!(
            rescan(r#""plain text, no escapes at all""#, e),
            Some((r#""plain text, no escapes at all""#.into(), false))
        );
        assert_eq!(rescan(r#""a\nb\"c\\d\te\rf""#, e), Some((r#""a\nb\"c\\d\te\rf""#.into(), true)));
        assert_eq!(
            rescan(r#""\/ \u0041\u003C\u00e9 <&> \b\f""#, e).unwrap().0,
            r#""/ A\u003cé \u003c\u0026\u003e \b\f""#
        );
        assert_eq!(rescan(r#""\b\f""#, Escaping::Go119).unwrap().0, r#""\u0008\u000c""#);
        assert_eq!(
            rescan(r#""\ud83d\ude00 \ud800x \udc00 \ud800\ud83d\ude00""#, e).unwrap().0,
            "\"😀 \u{fffd}x \u{fffd} \u{fffd}😀\""
        );
        assert_eq!(rescan("\"\u{2028}\u{2029}\u{2014}\"", e).unwrap().0, r#""\u2028\u2029—""#);
        assert_eq!(rescan(r#""\u2028\u001F\u0000""#, e).unwrap().0, r#""\u2028\u001f\u0000""#);
        for bad in ["\"a\u{1}\"", r#""\x""#, r#""\u12g4""#, r#""abc"#, r#""\"#] {
            let src = bad.as_bytes();
            assert_eq!(scan_json_string(src, 1, e, &mut Vec::new(), &mut Buf::with_capacity(0)), None, "{bad}");
        }
    }
}
