//! A fake of Google's OAuth 2.0, Gmail v1 and Calendar v3 endpoints, served over real HTTP
//! on 127.0.0.1 from mbox and .ics files, for Kindred's tests and demos.
