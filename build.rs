//! Tells the test binary which outside services this machine has, so a test that cannot run
//! here is reported as ignored (with the reason) instead of passing without having run.
//! Under CI (`CI` set) nothing is ignored: a missing Postgres or browser fails the test.

use std::path::Path;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

fn main() {
    println!("cargo::rustc-check-cfg=cfg(kefu_no_postgres)");
    println!("cargo::rustc-check-cfg=cfg(kefu_no_browser)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=KEFU_TEST_POSTGRES_URL");
    println!("cargo::rerun-if-env-changed=CI");
    let ci = std::env::var_os("CI").is_some();
    if !ci && std::env::var_os("KEFU_TEST_POSTGRES_URL").is_none() {
        println!("cargo::rustc-cfg=kefu_no_postgres");
    }
    let browser = Path::new(CHROMEDRIVER).exists() && Path::new("/usr/bin/chromium").exists();
    // Installing the browser later changes /usr/bin, which makes Cargo look again.
    println!("cargo::rerun-if-changed={}", if browser { CHROMEDRIVER } else { "/usr/bin" });
    if !ci && !browser {
        println!("cargo::rustc-cfg=kefu_no_browser");
    }
}
