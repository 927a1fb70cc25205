//! A minimal W3C WebDriver client for the browser tests, over the HTTP client stack the
//! project already builds (hyper). fantoccini would be the usual choice, but it pulls in
//! second major versions of http, cookie, icu and thiserror; the handful of commands these
//! tests need (session, navigate, find, type, click, script) are a few lines each.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request};
use hyper_util::client::legacy::Client as HttpClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
pub const ENTER: &str = "\u{E007}";
pub const CONTROL: &str = "\u{E009}";

/// A running chromedriver, stopped when dropped.
pub struct Driver {
    child: Child,
    pub url: String,
    http: HttpClient<HttpConnector, Full<Bytes>>,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where Debian puts the browser and its driver.
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

impl Driver {
    /// Starts chromedriver on a free port; `None` when it is not installed.
    pub async fn start() -> Option<Driver> {
        if !std::path::Path::new(CHROMEDRIVER).exists() || !std::path::Path::new(CHROMIUM).exists() {
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok()?.port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let http = HttpClient::builder(TokioExecutor::new()).build_http();
        let driver = Driver { child, url: format!("http://127.0.0.1:{port}"), http };
        for _ in 0..100 {
            if let Ok(v) = driver.call(Method::GET, "/status", None).await
                && v["ready"] == true
            {
                return Some(driver);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not become ready");
    }

    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Result<Value, String> {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let req = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.url))
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| e.to_string())?;
        let res = self.http.request(req).await.map_err(|e| e.to_string())?;
        let status = res.status();
        let bytes = res.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes();
        let v: Value = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!("{path}: {status} {}", v["value"]["message"]));
        }
        Ok(v["value"].clone())
    }

    /// A new headless browser session (its own profile, like a separate person).
    pub async fn session(&self) -> Session<'_> {
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1440,900",
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args}
        }}});
        let v = self.call(Method::POST, "/session", Some(caps)).await.expect("new browser session");
        Session { driver: self, id: v["sessionId"].as_str().expect("session id").to_string() }
    }
}

pub struct Session<'a> {
    driver: &'a Driver,
    id: String,
}

impl Session<'_> {
    async fn cmd(&self, method: Method, path: &str, body: Option<Value>) -> Result<Value, String> {
        self.driver.call(method, &format!("/session/{}{path}", self.id), body).await
    }

    /// Sets the window's size, e.g. 390 × 844 for a phone. Headless Chromium keeps a window at
    /// least 500 px wide, so the page's viewport is set through the DevTools protocol too:
    /// a 390 px phone is then 390 px wide, not 500.
    pub async fn resize(&self, width: u32, height: u32) {
        self.cmd(Method::POST, "/window/rect", Some(json!({"width": width, "height": height}))).await.expect("resize");
        let metrics = json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600});
        self.cmd(
            Method::POST,
            "/goog/cdp/execute",
            Some(json!({"cmd": "Emulation.setDeviceMetricsOverride", "params": metrics})),
        )
        .await
        .expect("viewport");
    }

    pub async fn goto(&self, url: &str) {
        self.cmd(Method::POST, "/url", Some(json!({"url": url}))).await.expect("navigate");
    }

    /// The first element matching `css`, waiting up to 10 s for it to appear.
    pub async fn find(&self, css: &str) -> String {
        for _ in 0..100 {
            if let Ok(v) =
                self.cmd(Method::POST, "/element", Some(json!({"using": "css selector", "value": css}))).await
            {
                return v[ELEMENT_KEY].as_str().unwrap_or_else(|| panic!("element id in {v}")).to_string();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no element matches {css}");
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        self.cmd(Method::POST, &format!("/element/{el}/value"), Some(json!({"text": text}))).await.expect("type");
    }

    /// Clicks the first element matching `css`. A live update may replace the element between
    /// finding and clicking it (a stale element): it is found again, a few times, as a person
    /// would simply click again.
    pub async fn click(&self, css: &str) {
        let mut last = None;
        for _ in 0..5 {
            let el = self.find(css).await;
            match self.cmd(Method::POST, &format!("/element/{el}/click"), Some(json!({}))).await {
                Ok(_) => return,
                Err(e) => last = Some(e),
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("click on {css}: {last:?}");
    }

    pub async fn script(&self, js: &str) -> Value {
        self.cmd(Method::POST, "/execute/sync", Some(json!({"script": js, "args": []}))).await.expect("script")
    }

    /// Waits up to `secs` for `js` (an expression) to be true.
    pub async fn wait_for(&self, js: &str, secs: u64) -> bool {
        let script = format!("return !!({js});");
        for _ in 0..secs * 10 {
            if self.script(&script).await == true {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        false
    }

    pub async fn screenshot(&self, path: &str) {
        if let Ok(v) = self.cmd(Method::GET, "/screenshot", None).await
            && let Some(b64) = v.as_str()
        {
            let _ = std::fs::write(path, decode_base64(b64));
        }
    }

    pub async fn close(self) {
        let _ = self.cmd(Method::DELETE, "", None).await;
    }
}

fn decode_base64(s: &str) -> Vec<u8> {
    let table = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> = s.bytes().filter(|c| *c != b'=' && !c.is_ascii_whitespace()).collect();
    clean
        .chunks(4)
        .flat_map(|chunk| {
            let n = chunk.iter().enumerate().fold(0u32, |acc, (i, c)| acc | (u32::from(table(*c)) << (18 - 6 * i)));
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            bytes.into_iter().take(chunk.len().saturating_sub(1))
        })
        .collect()
}
