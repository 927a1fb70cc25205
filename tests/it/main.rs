//! Kefu's HTTP-level tests: one binary, every scenario on SQLite and on Postgres.

mod helpers;

mod admin_staff;
mod architecture;
mod audit;
mod auth;
mod automations;
mod board_shifts;
mod browser;
mod campaigns;
mod cards;
mod cli;
mod confirm;
mod faq;
mod metrics;
mod order_card;
mod orders_api;
mod pages;
mod photos;
mod private_chat;
mod ratings;
mod reply_check;
mod reports;
mod routing;
mod scale;
mod search;
mod security;
mod shop_admin;
mod shutdown;
mod store;
mod suggestions;
mod tasks;
mod webdriver;
mod workspace;
