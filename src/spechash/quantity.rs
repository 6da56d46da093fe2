//! `resource.Quantity` as apimachinery's JSON decoder leaves it: go-spew
//! prints the private fields, so the hash depends on which internal form
//! `ParseQuantity` picks (`int64Amount` or `inf.Dec`), on whether it keeps
//! the original spelling in `s`, and on the `Format`. This reproduces
//! `UnmarshalJSON` → `ParseQuantity` (k8s.io/apimachinery pkg/api/resource,
//! unchanged in this respect from v0.17 to v0.36) as behaviour, not code.

/// A parsed quantity, field for field as spew prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    /// `i int64Amount{value, scale}`.
    pub value: i64,
    pub scale: i32,
    /// `d infDecAmount{*inf.Dec}`: `None` is a nil pointer.
    pub dec: Option<Dec>,
    /// `s string`: the cached canonical spelling, often empty.
    pub s: String,
    /// `Format`: "DecimalSI", "BinarySI", "DecimalExponent", or "" (null).
    pub format: &'static str,
}

/// `inf.Dec{unscaled big.Int{neg, abs nat}, scale}`; `words` are the
/// little-endian 64-bit limbs of `abs` (never empty: zero is refused).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dec {
    pub neg: bool,
    pub words: Vec<u64>,
    pub scale: i32,
}

/// Why a quantity cannot be decoded (Go fails) or reproduced (we refuse).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuantityError {
    /// Go's decoder rejects it: the object could not be read by Flagger either.
    Invalid(&'static str),
    /// Go accepts it, but this reproduction does not model the result exactly.
    Unsupported(&'static str),
}

const DECIMAL_SI: &str = "DecimalSI";
const BINARY_SI: &str = "BinarySI";
const DECIMAL_EXPONENT: &str = "DecimalExponent";
/// `maxInt64Factors`: decimal digits an int64 always holds.
const MAX_INT64_FACTORS: i32 = 18;
/// `Nano`: the smallest scale the int64 form keeps.
const NANO: i32 = -9;
/// Digits beyond which the `inf.Dec` arithmetic is refused rather than run
/// (quadratic big-number work on hostile input).
const MAX_DIGITS: usize = 400;

impl Quantity {
    /// The zero value: what JSON `null` decodes to.
    pub fn zero() -> Self {
        Quantity { value: 0, scale: 0, dec: None, s: String::new(), format: "" }
    }

    fn int(value: i64, scale: i32, format: &'static str, s: String) -> Self {
        Quantity { value, scale, dec: None, s, format }
    }
}

/// `Quantity.UnmarshalJSON`: `raw` is the JSON token's text. A string is
/// parsed from between its quotes without unescaping (Go does the same), a
/// number from its literal.
pub fn from_json_token(raw: &str) -> Result<Quantity, QuantityError> {
    if raw == "null" {
        return Ok(Quantity::zero());
    }
    let inner = match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(i) if raw.len() >= 2 => i,
        _ => raw,
    };
    parse(inner.trim_matches(go_space))
}

/// `strings.TrimSpace`'s notion of white space.
fn go_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}')
        || (c > '\u{ff}' && c.is_whitespace())
}

struct Parts<'a> {
    positive: bool,
    value: &'a str,
    num: &'a str,
    denom: &'a str,
    suffix: &'a str,
}

/// `parseQuantityString`: sign, numerator (leading zeros dropped),
/// denominator, suffix.
fn split(s: &str) -> Result<Parts<'_>, QuantityError> {
    let b = s.as_bytes();
    let end = b.len();
    let mut pos = 0;
    let mut positive = true;
    match b.first() {
        Some(b'-') => {
            positive = false;
            pos = 1;
        }
        Some(b'+') => pos = 1,
        _ => {}
    }
    while b.get(pos) == Some(&b'0') {
        pos += 1;
    }
    if pos >= end {
        return Ok(Parts { positive, value: "0", num: "0", denom: "", suffix: "" });
    }
    let num_start = pos;
    while b.get(pos).is_some_and(u8::is_ascii_digit) {
        pos += 1;
    }
    let mut num = &s[num_start..pos];
    if pos >= end {
        return Ok(Parts { positive, value: s, num, denom: "", suffix: "" });
    }
    if num.is_empty() {
        num = "0";
    }
    let mut denom = "";
    if b.get(pos) == Some(&b'.') {
        pos += 1;
        let d_start = pos;
        while b.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
        denom = &s[d_start..pos];
        if pos >= end {
            return Ok(Parts { positive, value: s, num, denom, suffix: "" });
        }
    }
    let value = &s[..pos];
    let suffix_start = pos;
    while b.get(pos).is_some_and(|c| b"eEinumkKMGTP".contains(c)) {
        pos += 1;
    }
    if matches!(b.get(pos), Some(b'-' | b'+')) {
        pos += 1;
    }
    while b.get(pos).is_some_and(u8::is_ascii_digit) {
        pos += 1;
    }
    if pos < end {
        return Err(QuantityError::Invalid(
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        ));
    }
    Ok(Parts { positive, value, num, denom, suffix: &s[suffix_start..] })
}

/// The suffixer: `(base, exponent, format)`.
fn interpret(suffix: &str) -> Option<(u32, i32, &'static str)> {
    let dec = |e| Some((10, e, DECIMAL_SI));
    let bin = |e| Some((2, e, BINARY_SI));
    match suffix {
        "" => dec(0),
        "n" => dec(-9),
        "u" => dec(-6),
        "m" => dec(-3),
        "k" => dec(3),
        "M" => dec(6),
        "G" => dec(9),
        "T" => dec(12),
        "P" => dec(15),
        "E" => dec(18),
        "Ki" => bin(10),
        "Mi" => bin(20),
        "Gi" => bin(30),
        "Ti" => bin(40),
        "Pi" => bin(50),
        "Ei" => bin(60),
        _ => {
            let rest = suffix.strip_prefix(['e', 'E']).filter(|r| !r.is_empty())?;
            // strconv.ParseInt(rest, 10, 64), then a wrapping int32 conversion.
            let parsed = go_parse_int64(rest)?;
            Some((10, parsed as i32, DECIMAL_EXPONENT))
        }
    }
}

fn go_parse_int64(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok()
}

/// `ParseQuantity`.
pub fn parse(s: &str) -> Result<Quantity, QuantityError> {
    if s.is_empty() {
        return Err(QuantityError::Invalid("quantities must match the regular expression"));
    }
    if s == "0" {
        return Ok(Quantity::int(0, 0, DECIMAL_SI, s.to_owned()));
    }
    let p = split(s)?;
    let (base, exponent, format) =
        interpret(p.suffix).ok_or(QuantityError::Invalid("unable to parse quantity's suffix"))?;

    let (mut scale, precision, mantissa): (i32, i32, i64) = match format {
        BINARY_SI if exponent >= 0 && p.denom.is_empty() => {
            // 2^exponent; exponent*3/10 is exact for the binary suffixes.
            (0, 15 - p.num.len() as i32 - exponent * 3 / 10 - 1, 1i64 << exponent)
        }
        BINARY_SI => (0, -1, 1),
        _ => (exponent, MAX_INT64_FACTORS - (p.num.len() + p.denom.len()) as i32, 1),
    };

    if precision >= 0 {
        scale -= p.denom.len() as i32;
        if scale >= NANO {
            let shifted = format!("{}{}", p.num, p.denom);
            let value: i64 =
                shifted.parse().map_err(|_| QuantityError::Invalid("unable to parse quantity's numeric part"))?;
            if let Some(mut result) = go_int64_multiply(value, mantissa) {
                if !p.positive {
                    result = -result;
                }
                // Go keeps the spelling when it is already canonical.
                let canonical = if format == BINARY_SI {
                    exponent % 10 == 0 && value & 0x07 != 0
                } else {
                    scale % 3 == 0 && !shifted.ends_with("000") && !shifted.starts_with('0')
                };
                let cached = if canonical { s.to_owned() } else { String::new() };
                return Ok(Quantity::int(result, scale, format, cached));
            }
        }
    }
    slow_path(&p, base, exponent, format)
}

fn go_int64_multiply(a: i64, b: i64) -> Option<i64> {
    if a == 0 || b == 0 || a == 1 || b == 1 {
        return Some(a.wrapping_mul(b));
    }
    if a == i64::MIN || b == i64::MIN {
        return None;
    }
    let c = a.wrapping_mul(b);
    (c / b == a).then_some(c)
}

/// The `inf.Dec` form: value scaled by the suffix, rounded up to nano
/// precision, capped for BinarySI.
fn slow_path(p: &Parts<'_>, base: u32, exponent: i32, mut format: &'static str) -> Result<Quantity, QuantityError> {
    // inf.Dec.SetString(value): digits with at most one '.', an optional sign.
    let body = p.value.strip_prefix(['+', '-']).unwrap_or(p.value);
    let (int_part, frac_part) = body.split_once('.').unwrap_or((body, ""));
    if !int_part.bytes().chain(frac_part.bytes()).all(|c| c.is_ascii_digit()) || int_part.len() + frac_part.len() == 0 {
        return Err(QuantityError::Invalid("unable to parse quantity's numeric part"));
    }
    if int_part.len() + frac_part.len() > MAX_DIGITS {
        return Err(QuantityError::Unsupported("a quantity with more than 400 digits"));
    }
    let mut n = Big::from_decimal(int_part.bytes().chain(frac_part.bytes()));
    let mut dec_scale = frac_part.len() as i64;
    if base == 10 {
        dec_scale -= exponent as i64;
    } else {
        n.shl(exponent as u32);
    }
    if n.is_zero() {
        return Err(QuantityError::Unsupported(
            "a zero quantity in inf.Dec form (its big.Int representation is not modelled)",
        ));
    }
    // Round(amount, 9, RoundUp) on the magnitude: exact when widening,
    // towards +inf of the magnitude when narrowing.
    let target: i64 = 9;
    if dec_scale < target {
        let k = target - dec_scale;
        if k as usize + n.decimal_digits_upper() > MAX_DIGITS {
            return Err(QuantityError::Unsupported("a quantity too large to reproduce"));
        }
        for _ in 0..k {
            n.mul_small(10);
        }
    } else if dec_scale > target {
        let mut k = dec_scale - target;
        let mut inexact = false;
        while k > 0 && !n.is_zero() {
            inexact |= n.div_small(10) != 0;
            k -= 1;
        }
        if inexact {
            n.add_small(1);
        }
    }
    let mut scale = target as i32;
    if format == BINARY_SI {
        // maxAllowed is int64 max at scale 0; compare n/10^9 with it.
        let max = Big { words: vec![i64::MAX as u64] };
        let mut max_nano = max.clone();
        for _ in 0..9 {
            max_nano.mul_small(10);
        }
        if n.cmp(&max_nano) == std::cmp::Ordering::Greater {
            n = max;
            scale = 0;
        }
        let mut one_nano = Big { words: vec![1] };
        for _ in 0..9 {
            one_nano.mul_small(10);
        }
        if scale == 9 && n.cmp(&one_nano) == std::cmp::Ordering::Less {
            format = DECIMAL_SI;
        }
    }
    Ok(Quantity {
        value: 0,
        scale: 0,
        dec: Some(Dec { neg: !p.positive, words: n.words, scale }),
        s: String::new(),
        format,
    })
}

/// Just enough unsigned big-number arithmetic for the rounding above.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Big {
    /// Little-endian limbs, no trailing zero limb.
    words: Vec<u64>,
}

impl Big {
    fn from_decimal(digits: impl Iterator<Item = u8>) -> Self {
        let mut b = Big { words: Vec::new() };
        for d in digits {
            b.mul_small(10);
            b.add_small(u64::from(d - b'0'));
        }
        b
    }
    fn is_zero(&self) -> bool {
        self.words.is_empty()
    }
    fn decimal_digits_upper(&self) -> usize {
        self.words.len() * 20
    }
    /// In 32-bit halves, so no 128-bit arithmetic (and no compiler-builtins
    /// division routine) is linked.
    fn mul_small(&mut self, m: u32) {
        let m = u64::from(m);
        let mut carry = 0u64;
        for w in &mut self.words {
            let lo = (*w & 0xffff_ffff) * m + carry;
            let hi = (*w >> 32) * m + (lo >> 32);
            *w = (hi << 32) | (lo & 0xffff_ffff);
            carry = hi >> 32;
        }
        if carry > 0 {
            self.words.push(carry);
        }
    }
    fn add_small(&mut self, a: u64) {
        let mut carry = a;
        for w in &mut self.words {
            let (s, o) = w.overflowing_add(carry);
            *w = s;
            carry = u64::from(o);
            if carry == 0 {
                return;
            }
        }
        if carry > 0 {
            self.words.push(carry);
        }
    }
    /// Divides in place (by 32-bit halves, as `mul_small`), returns the remainder.
    fn div_small(&mut self, d: u32) -> u32 {
        let d = u64::from(d.max(1));
        let mut rem = 0u64;
        for w in self.words.iter_mut().rev() {
            let hi = (rem << 32) | (*w >> 32);
            let lo = ((hi % d) << 32) | (*w & 0xffff_ffff);
            *w = ((hi / d) << 32) | (lo / d);
            rem = lo % d;
        }
        while self.words.last() == Some(&0) {
            self.words.pop();
        }
        rem as u32
    }
    fn shl(&mut self, bits: u32) {
        if self.is_zero() {
            return;
        }
        let (limbs, bits) = ((bits / 64) as usize, bits % 64);
        if bits > 0 {
            let mut carry = 0u64;
            for w in &mut self.words {
                let nw = (*w << bits) | carry;
                carry = *w >> (64 - bits);
                *w = nw;
            }
            if carry > 0 {
                self.words.push(carry);
            }
        }
        if limbs > 0 {
            let mut v = vec![0u64; limbs];
            v.append(&mut self.words);
            self.words = v;
        }
    }
    fn cmp(&self, o: &Big) -> std::cmp::Ordering {
        self.words.len().cmp(&o.words.len()).then_with(|| self.words.iter().rev().cmp(o.words.iter().rev()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quantity {
        parse(s).unwrap()
    }

    #[test]
    fn canonical_spellings_keep_the_string() {
        assert_eq!(q("100m"), Quantity::int(100, -3, DECIMAL_SI, "100m".into()));
        assert_eq!(q("1"), Quantity::int(1, 0, DECIMAL_SI, "1".into()));
        assert_eq!(q("1Gi"), Quantity::int(1 << 30, 0, BINARY_SI, "1Gi".into()));
        assert_eq!(q("1e3"), Quantity::int(1, 3, DECIMAL_EXPONENT, "1e3".into()));
        assert_eq!(q("0"), Quantity::int(0, 0, DECIMAL_SI, "0".into()));
    }

    #[test]
    fn other_spellings_do_not() {
        assert_eq!(q("0.1"), Quantity::int(1, -1, DECIMAL_SI, String::new()));
        assert_eq!(q("1000m"), Quantity::int(1000, -3, DECIMAL_SI, String::new()));
        assert_eq!(q("64Mi"), Quantity::int(64 << 20, 0, BINARY_SI, String::new()));
        assert_eq!(q("1.5"), Quantity::int(15, -1, DECIMAL_SI, String::new()));
    }

    #[test]
    fn inf_dec_form() {
        let big = q("123456789012345678901234567890");
        assert_eq!(big.dec, Some(Dec { neg: false, words: vec![12312739301247792128, 6692605942763486917], scale: 9 }));
        let half = q("0.5Gi");
        assert_eq!(half.dec, Some(Dec { neg: false, words: vec![536870912000000000], scale: 9 }));
        assert_eq!(half.format, BINARY_SI);
        // Rounded up to nano precision.
        assert_eq!(q("1.0000000001").dec, Some(Dec { neg: false, words: vec![1000000001], scale: 9 }));
    }

    #[test]
    fn big_arithmetic_by_halves_matches_u128() {
        let big = |v: u128| {
            let mut words = vec![v as u64, (v >> 64) as u64];
            while words.last() == Some(&0) {
                words.pop();
            }
            Big { words }
        };
        let value = |b: &Big| b.words.iter().rev().fold(0u128, |acc, w| (acc << 64) | u128::from(*w));
        for v in [1u128, 9, u128::from(u64::MAX), (1 << 64) + 123, (u128::MAX >> 4) - 12345, 0xffff_ffff_0000_0001] {
            let mut b = big(v);
            b.mul_small(10);
            assert_eq!(value(&b), v * 10, "{v} * 10");
            let mut b = big(v);
            let r = b.div_small(10);
            assert_eq!((value(&b), u128::from(r)), (v / 10, v % 10), "{v} / 10");
            assert_ne!(b.words.last(), Some(&0), "no trailing zero limb");
        }
        // A carry into a new limb.
        let mut b = Big { words: vec![u64::MAX] };
        b.mul_small(10);
        assert_eq!(b.words, vec![u64::MAX - 9, 9]);
    }

    #[test]
    fn errors() {
        assert!(matches!(parse("1.2.3"), Err(QuantityError::Invalid(_))));
        assert!(matches!(parse(""), Err(QuantityError::Invalid(_))));
        assert!(matches!(parse("1x"), Err(QuantityError::Invalid(_))));
        assert!(matches!(from_json_token("true"), Err(QuantityError::Invalid(_))));
        assert_eq!(from_json_token("null").unwrap(), Quantity::zero());
        assert_eq!(from_json_token("\" 2 \"").unwrap(), q("2"));
        assert!(matches!(parse(&"9".repeat(1000)), Err(QuantityError::Unsupported(_))));
    }
}
