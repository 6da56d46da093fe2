//! The module's allocator: talc, with linear memory grown geometrically.
//!
//! Why: in V8 every `memory.grow` adjusts the memory's external size, which
//! can start a garbage collection of the host's whole JS heap. Rust's default
//! wasm allocator (dlmalloc), like talc's own source, grows by what one
//! allocation needs: thousands of grows in a large first call. A first
//! `planJson` of 3,000 Canaries took 23 s in Node (the second: 1 s). Growing
//! by at least a quarter of the memory so far needs a few dozen grows.

use core::alloc::Layout;
use core::arch::wasm32::{memory_grow, memory_size};
use core::ptr::NonNull;
use talc::base::binning::Binning;
use talc::base::Talc;
use talc::cell::TalcSyncCell;
use talc::source::Source;
use talc::wasm::WasmBinning;

const PAGE: usize = 64 * 1024;

/// A talc source that grows linear memory by max(need, a quarter of the
/// memory, 1 MiB), or by exactly the need when that much is refused (near
/// the 4 GiB limit), and extends the heap when the growth is contiguous.
#[derive(Debug)]
pub struct GeometricGrow {
    end: Option<NonNull<u8>>,
}

// SAFETY: uses no Rust allocator; touches the heap only through `talc`.
unsafe impl Source for GeometricGrow {
    fn acquire<B: Binning>(talc: &mut Talc<Self, B>, layout: Layout) -> Result<(), ()> {
        // The chunk, its header and alignment padding, generously.
        let need = layout.size().saturating_add(layout.align()).saturating_add(256).div_ceil(PAGE);
        let wanted = need.max(memory_size(0) / 4).max(16);
        let (mut pages, mut prev) = (wanted, memory_grow(0, wanted));
        if prev == usize::MAX && wanted > need {
            (pages, prev) = (need, memory_grow(0, need));
        }
        if prev == usize::MAX {
            return Err(());
        }
        let base = (prev * PAGE) as *mut u8;
        let bytes = pages * PAGE;
        // The 4 GiB end does not fit a wasm32 pointer: saturate, as talc does.
        let end = (base as usize).saturating_add(bytes) as *mut u8;
        if let Some(old_end) = talc.source.end.take() {
            if old_end.as_ptr() == base {
                // SAFETY: [old_end, end) is fresh memory just past this heap.
                talc.source.end = Some(unsafe { talc.extend(old_end, end) });
                return Ok(());
            }
        }
        // SAFETY: [base, base + bytes) is fresh memory no one else uses.
        talc.source.end = unsafe { talc.claim(base, bytes) };
        Ok(())
    }
}

#[global_allocator]
static HEAP: TalcSyncCell<GeometricGrow, WasmBinning> = TalcSyncCell::new_wasm(GeometricGrow { end: None });
