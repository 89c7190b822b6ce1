//! The fake Google's own tests: real HTTP against a server started in-process, one module
//! per area.

mod batch;
mod calendar;
mod corpus;
mod gmail;
mod limits;
mod oauth;
mod program;
mod support;
