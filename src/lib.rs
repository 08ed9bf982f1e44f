//! ducha (督查): checks a git repository of inspection score sheets and publishes the ranking.
//!
//! Stages run in one direction: load → model → check → report.

pub mod app;
pub mod check;
pub mod cli;
pub mod diag;
pub mod load;
pub mod message;
pub mod model;
