//! A page of my people searched, filtered and paged by the engine; one person in full, and
//! the person's own decisions about who is who: merge two people the engine proposed as
//! maybe the same, or split an address off into a person of its own. Each of those returns
//! the person as it now stands, for the Person page to show.

use kindred_api::{ApiError, PeoplePage, PeopleQuery, PersonDetail};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn query_people(
    state: State<'_, AppState>,
    query: PeopleQuery,
) -> Result<PeoplePage, ApiError> {
    state.engine()?.people_page(&query).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn get_person(
    state: State<'_, AppState>,
    query: String,
) -> Result<PersonDetail, ApiError> {
    state.engine()?.person(&query).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn merge_people(
    state: State<'_, AppState>,
    a: String,
    b: String,
) -> Result<PersonDetail, ApiError> {
    state.engine()?.merge_people(&a, &b).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn split_person(
    state: State<'_, AppState>,
    person: String,
    email: String,
) -> Result<PersonDetail, ApiError> {
    state.engine()?.split_person(&person, &email).await
}
