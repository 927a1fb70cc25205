//! Getting a campaign's message out of Kefu: the webhook (an HTTP POST to the shop's SMS
//! gateway) and email (through the shop's SMTP relay). Each returns the reason when it fails,
//! for the send's record; retrying is the caller's business.

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::Serialize;
use uuid::Uuid;

use crate::domain::settings::{Smtp, SmtpSecurity};
use crate::store::campaigns::Claimed;

/// An HTTP(S) client: hyper's pooled client over rustls with the Mozilla roots compiled in
/// (nothing is fetched at run time).
type HttpClient = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    http_body_util::Full<hyper::body::Bytes>,
>;

/// How long one delivery may take, connection included.
const DELIVERY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Delivers a message outside Kefu: the webhook channel's HTTP client.
#[derive(Clone)]
pub struct Transport {
    http: HttpClient,
    /// Where buyers reach Kefu (`KEFU_PUBLIC_URL`), for survey links sent outside it; empty:
    /// links are relative, which only the buyer's chat can open.
    public_url: String,
}

impl Transport {
    pub fn new(public_url: Option<&str>) -> Transport {
        let https =
            hyper_rustls::HttpsConnectorBuilder::new().with_webpki_roots().https_or_http().enable_http1().build();
        let http = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build(https);
        Transport { http, public_url: public_url.unwrap_or("").trim_end_matches('/').to_string() }
    }
}

impl Default for Transport {
    fn default() -> Transport {
        Transport::new(None)
    }
}

/// What the gateway receives for one message.
#[derive(Serialize)]
struct WebhookBody<'a> {
    campaign_id: Uuid,
    campaign: &'a str,
    run: &'a str,
    buyer_nick: &'a str,
    phone: &'a str,
    email: &'a str,
    text: &'a str,
}

impl Transport {
    /// The public address survey links are made absolute with.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// POSTs the message as JSON; Ok only on a 2xx answer. The key lets the gateway drop a
    /// repeat (a delivery repeated after a crash between its call and its settlement).
    pub async fn webhook(&self, url: &str, s: &Claimed, text: &str) -> Result<(), String> {
        let body = WebhookBody {
            campaign_id: s.campaign_id,
            campaign: &s.campaign_name,
            run: &s.run_key,
            buyer_nick: &s.nick,
            phone: &s.phone,
            email: &s.email,
            text,
        };
        let key = format!("{}:{}:{}", s.campaign_id, s.run_key, s.buyer_id);
        let request = hyper::Request::post(url)
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .header("idempotency-key", key)
            .header(hyper::header::USER_AGENT, "Kefu")
            .body(http_body_util::Full::new(hyper::body::Bytes::from(serde_json::to_vec(&body).expect("serialisable"))))
            .map_err(|e| format!("bad request: {e}"))?;
        let res = tokio::time::timeout(DELIVERY_TIMEOUT, self.http.request(request))
            .await
            .map_err(|_| "timed out".to_string())?
            .map_err(|e| format!("{e}"))?;
        let status = res.status();
        if status.is_success() { Ok(()) } else { Err(format!("HTTP {}", status.as_u16())) }
    }
}

/// A connection to the shop's SMTP relay, made from the settings of the round.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// None when mail is not set up (or the sender does not read as an address).
    pub fn new(smtp: &Smtp) -> Result<Mailer, String> {
        if !smtp.is_set() {
            return Err("email is not set up".into());
        }
        let from: Mailbox = smtp.from.parse().map_err(|e| format!("sender {}: {e}", smtp.from))?;
        let builder = match smtp.security {
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host),
            SmtpSecurity::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host),
            SmtpSecurity::None => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)),
        }
        .map_err(|e| format!("{e}"))?;
        let mut builder = builder.port(smtp.port).timeout(Some(DELIVERY_TIMEOUT));
        if !smtp.user.is_empty() {
            builder = builder.credentials(Credentials::new(smtp.user.clone(), smtp.password.clone()));
        }
        Ok(Mailer { transport: builder.build(), from })
    }

    /// Mails `text` to the buyer; a buyer without a usable address fails at once.
    pub async fn send(&self, s: &Claimed, subject: &str, text: &str) -> Result<(), String> {
        if s.email.is_empty() {
            return Err("the buyer has no email address".into());
        }
        let to: Mailbox = s.email.parse().map_err(|e| format!("address {}: {e}", s.email))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(text.to_string())
            .map_err(|e| format!("{e}"))?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| format!("{e}"))
    }
}
