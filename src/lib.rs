//! ducha (督查): checks a git repository of inspection score sheets and publishes the ranking.
//!
//! Stages run in one direction: load → model → check → score → history → audit → render → write.

pub mod app;
pub mod audit;
pub mod check;
pub mod cli;
pub mod compare;
pub mod diag;
pub mod diff;
pub mod example;
pub mod explain;
pub mod forms;
pub mod history;
pub mod init;
pub mod lang;
pub mod ledger;
pub mod load;
pub mod markdown;
pub mod model;
pub mod outcome;
pub mod parallel;
pub mod personal;
pub mod pipeline;
pub mod problem;
pub mod progress;
pub mod publish;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod score;
pub mod serve;
pub mod source;
pub mod trail;
pub mod write;
