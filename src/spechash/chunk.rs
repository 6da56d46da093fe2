//! FNV-32a over constant text without reading it again. Most of spew's text
//! for a pod template is constant: every field's name and type, and the
//! zero value of each field the object leaves out. The printer cuts that
//! text into chunks (the run between two fields the object sets, named by
//! the struct, the run's ends and the layout) and keeps each chunk here.
//!
//! FNV-1a's step `h = (h ^ b) * P` changes only the low byte of `h` by the
//! xor, by an amount that depends on that byte alone, so the low byte
//! evolves on its own and for a constant string `s` of `n` bytes
//! `fnv(h, s) = h * P^n + D_s[h & 0xff]` (mod 2^32), with a 256-entry table
//! `D_s`. A chunk's table is built once the chunk has been hashed
//! [`TABLE_AFTER`] times (one pass over its text for all 256 low bytes at
//! once); then hashing it costs a multiply, a load and an add. Memory is bounded: past [`MAX_TEXT`] bytes
//! of chunk text no chunk is added (the printer prints as before) and past
//! [`MAX_TABLES`] tables the text is hashed byte by byte.

const P: u32 = 0x0100_0193;

/// Chunk text kept per thread (module instance), at most.
const MAX_TEXT: usize = 4 << 20;
/// Tables (1 KiB each) kept per thread, at most.
const MAX_TABLES: usize = 4096;
/// A table costs 256 steps per byte of the chunk (steps that run side by
/// side, ~0.5 ns each in wasm), hashing the bytes one chained step per byte
/// (~1.3 ns): it pays after about a hundred uses. Built after this many, so
/// a one-off plan (the CLI) builds none and a long run builds them early.
const TABLE_AFTER: u32 = 64;

/// FNV-1a of `bytes` from state `h`.
#[inline(always)]
pub fn fnv(mut h: u32, bytes: &[u8]) -> u32 {
    for &b in bytes {
        h = (h ^ u32::from(b)).wrapping_mul(P);
    }
    h
}

pub struct Chunk {
    pub text: Box<str>,
    /// How deep the printer went below the run's struct printing it.
    pub deepest: usize,
    /// `P^len`.
    mul: u32,
    table: Option<Box<[u32; 256]>>,
    /// Times hashed byte by byte.
    uses: u32,
}

impl Chunk {
    pub fn new(text: String, deepest: usize) -> Self {
        let mul = text.bytes().fold(1u32, |m, _| m.wrapping_mul(P));
        Chunk { text: text.into_boxed_str(), deepest, mul, table: None, uses: 0 }
    }

    /// `fnv(h, text)`; the table is built on the [`TABLE_AFTER`]th call
    /// (`tables` counts them against [`MAX_TABLES`]).
    fn hash(&mut self, h: u32, tables: &mut usize) -> u32 {
        if let Some(t) = &self.table {
            let d = t.get(usize::from(h as u8)).copied().unwrap_or_default();
            return h.wrapping_mul(self.mul).wrapping_add(d);
        }
        if self.uses >= TABLE_AFTER && *tables < MAX_TABLES {
            *tables += 1;
            self.table = Some(table(self.text.as_bytes(), self.mul));
            return self.hash(h, tables);
        }
        self.uses += 1;
        fnv(h, self.text.as_bytes())
    }
}

/// `D_s`: from each start state `l` < 256 (high bits zero), `fnv(l, s) - l * P^n`.
/// All 256 states step through the text together (independent chains).
fn table(s: &[u8], mul: u32) -> Box<[u32; 256]> {
    let mut t = Box::new([0u32; 256]);
    for (l, h) in (0u32..).zip(t.iter_mut()) {
        *h = l;
    }
    for &b in s {
        for h in t.iter_mut() {
            *h = (*h ^ u32::from(b)).wrapping_mul(P);
        }
    }
    for (l, h) in (0u32..).zip(t.iter_mut()) {
        *h = h.wrapping_sub(l.wrapping_mul(mul));
    }
    t
}

/// A run's name: the layout, where its struct's fields start among all
/// fields (see `Catalog::field_offset`), and the run's first and end field.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct RunId {
    pub layout: usize,
    pub offset: usize,
    pub from: u16,
    pub to: u16,
}

/// The chunks of one thread, by run.
#[derive(Default)]
pub struct Chunks {
    /// By `offset + from` (an end run, `from == n`, under `offset + n - 1`):
    /// a struct's runs sit in slots only that struct uses.
    slots: Vec<Vec<(RunId, Chunk)>>,
    text: usize,
    tables: usize,
}

impl Chunks {
    fn slot(id: RunId, n: usize) -> usize {
        id.offset + usize::from(id.from).min(n.saturating_sub(1))
    }

    /// The chunk of run `id` of a struct with `n` fields (n > 0), made by
    /// `make` when missing; `None` when it cannot be kept. `all`: how many
    /// fields all structs have.
    pub fn get(&mut self, id: RunId, n: usize, all: usize, make: impl FnOnce() -> Option<Chunk>) -> Option<Held<'_>> {
        let Chunks { slots, text, tables } = self;
        if slots.len() < all {
            slots.resize_with(all, Vec::new);
        }
        let slot = slots.get_mut(Self::slot(id, n))?;
        let at = match slot.iter().position(|(r, _)| *r == id) {
            Some(at) => at,
            None => {
                if *text >= MAX_TEXT {
                    return None;
                }
                let c = make()?;
                *text += c.text.len() + 64;
                slot.push((id, c));
                slot.len() - 1
            }
        };
        Some(Held { chunk: slot.get_mut(at).map(|(_, c)| c)?, tables })
    }
}

/// A chunk from [`Chunks::get`].
pub struct Held<'c> {
    pub chunk: &'c mut Chunk,
    tables: &'c mut usize,
}

impl Held<'_> {
    /// `fnv(h, text)`.
    pub fn hash(self, h: u32) -> u32 {
        self.chunk.hash(h, self.tables)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_hashes_as_the_bytes_do() {
        // Every start state's low byte, several high bits, several texts.
        let texts = ["", "x", "{Name:(string) GenerateName:(string)", "\u{e9}\u{0}\u{ff}<nil>} "];
        let mut tables = 0;
        for s in texts {
            let mut c = Chunk::new(s.to_owned(), 0);
            assert_eq!(c.hash(0x811c_9dc5, &mut tables), fnv(0x811c_9dc5, s.as_bytes()));
            for l in 0u32..256 {
                for high in [0u32, 0x811c_9d00, 0xffff_ff00, 0x1234_5600] {
                    let h = high | l;
                    assert_eq!(c.hash(h, &mut tables), fnv(h, s.as_bytes()), "{s:?} from {h:#x}");
                }
            }
            assert!(c.table.is_some());
        }
    }
}
