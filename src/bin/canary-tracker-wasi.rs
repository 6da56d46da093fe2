//! WASI command (target wasm32-wasip1; also builds natively): the plan
//! request JSON on stdin, the response JSON on stdout followed by one
//! newline. Exit status 0 for `{"plans": …}`, 1 for an `{"error": …}`
//! response, 2 when stdin/stdout themselves fail (message on stderr).
//!
//! The response bytes are exactly those of the library's `plan_bytes`, the
//! import-free ABI's `plan` and the JS `planJson`.

use std::io::{Read, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut input = Vec::new();
    if let Err(e) = std::io::stdin().lock().read_to_end(&mut input) {
        eprintln!("canary-tracker: cannot read stdin: {e}");
        return ExitCode::from(2);
    }
    let response = canary_tracker::plan_bytes(&input);
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
