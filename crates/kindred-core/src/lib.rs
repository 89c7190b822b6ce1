//! Kindred's domain: the normalised evidence model every source produces and every
//! pipeline reads, and the pure rules for addresses. No IO lives here; time is always
//! passed in.

pub mod address;
pub mod evidence;
pub mod graph;
pub mod identity;
pub mod invites;
pub mod ranking;
pub mod rules;
pub mod words;
pub mod wrapped;

pub use address::{Address, AddressRejection};
pub use evidence::{
    Attendee, AttendeeRole, Event, EventStatus, Message, Participant, ParticipantRole,
    ResponseStatus,
};
