//! WASI command (target wasm32-wasip1; also builds natively): the plan
//! request JSON on stdin, the response JSON on stdout followed by one
//! newline. Exit status 0 for `{"plans": …}`, 1 for an `{"error": …}`
//! response, 2 when stdin/stdout themselves fail (message on stderr).
//!
//! The response bytes are exactly those of the library's `plan_bytes`, the
//! import-free ABI's `plan` and the JS `planJson`. Stdin is read only up to
//! `MAX_INPUT_BYTES`: past it the answer is `input-too-large` at once (an
//! endless stdin is never read to its end, nor buffered past the limit).

use canary_tracker::{api::error_value, Error, ErrorCode, MAX_INPUT_BYTES};
use std::io::{ErrorKind, Read, Write};
use std::process::ExitCode;

/// All of `r` if it holds at most `limit` bytes, else `None`. The buffer
/// never grows past `limit` bytes (doubling would reach twice that).
fn read_bounded(r: &mut impl Read, limit: usize) -> std::io::Result<Option<Vec<u8>>> {
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match r.read(&mut chunk) {
            Ok(0) => return Ok(Some(buf)),
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n > limit - buf.len() {
            return Ok(None);
        }
        if buf.len() + n > buf.capacity() {
            let want = (buf.capacity() * 2).max(buf.len() + n).min(limit);
            buf.reserve_exact(want - buf.len());
        }
        buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
    }
}

fn main() -> ExitCode {
    let response = match read_bounded(&mut std::io::stdin().lock(), MAX_INPUT_BYTES) {
        Ok(Some(input)) => canary_tracker::plan_bytes(&input),
        Ok(None) => error_value(&Error::new(
            ErrorCode::InputTooLarge,
            format!("request is over {MAX_INPUT_BYTES} bytes, the limit (stdin was not read further)"),
        ))
        .to_string(),
        Err(e) => {
            eprintln!("canary-tracker: cannot read stdin: {e}");
            return ExitCode::from(2);
        }
    };
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(response.as_bytes()).and_then(|()| out.write_all(b"\n")).and_then(|()| out.flush()) {
        eprintln!("canary-tracker: cannot write stdout: {e}");
        return ExitCode::from(2);
    }
    if response.starts_with(r#"{"error":"#) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::read_bounded;

    #[test]
    fn reads_up_to_the_limit_and_refuses_one_byte_more() {
        let data = vec![b'x'; 200_000];
        assert_eq!(read_bounded(&mut &data[..], 200_000).unwrap().map(|v| v.len()), Some(200_000));
        assert_eq!(read_bounded(&mut &data[..], 199_999).unwrap(), None);
        // An endless reader stops at the limit, with a buffer no bigger than it.
        assert_eq!(read_bounded(&mut std::io::repeat(0), 1_000_000).unwrap(), None);
    }
}
