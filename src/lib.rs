//! Kefu (客服): a customer-service desk for shops on Taobao/Tmall-style marketplaces.
//!
//! Layers, and the direction calls go: [`web`] (HTTP) → [`service`] (use cases) → [`store`]
//! (SQL on SQLite or Postgres), with [`domain`] (pure types and rules) used by all of them.

pub mod app;
pub mod cli;
pub mod config;
pub mod domain;
pub mod i18n;
pub mod jobs;
pub mod live;
pub mod metrics;
pub mod seed;
pub mod service;
pub mod state;
pub mod store;
pub mod web;
