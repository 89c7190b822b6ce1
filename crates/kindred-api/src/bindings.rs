//! The TypeScript bindings of the DTOs, generated from the Rust types so the UI and the
//! engine cannot drift. `ui/src/lib/backend/bindings.ts` is this text; a test fails when
//! it is out of date (`KINDRED_UPDATE_BINDINGS=1 cargo test --workspace bindings` rewrites it).

use ts_rs::TS;

use crate::activity::{ActivityEntry, ActivityFilter};
use crate::assistant::{AnswerCitation, AskAnswer, ProposedActionDto};
use crate::background::{BackgroundEvent, SyncSettings, SyncState, SyncStatus};
use crate::conversations::{AskStreamEvent, ConversationMessage, ConversationSummary};
use crate::doctor::{CheckStatus, DoctorCheck, DoctorReport};
use crate::dto::{
    GraphEdge, GraphNode, ImportError, ImportProgress, ImportSummary, ImportedCounts,
    MeetingFigures, MergeProposal, OrganizationSummary, PeopleFilter, PersonAddressDto,
    PersonDetail, PersonSummary, RankedOrganizationDto, RankedPerson, RecomputeSummary,
    RelationshipGraph, ReplyMinutes, ScoreTermDto, SearchHit, Stats, TimelineMonth,
    UnansweredMessage, WrappedReport,
};
use crate::dto::{PeopleCounts, PeoplePage, PeopleQuery};
use crate::erase::ErasureSummary;
use crate::error::{ApiError, ErrorCode};
use crate::events::{EventDto, EventPersonDto, ExtractionDto};
use crate::export::{ExportPart, ExportProgress, ExportSummary};
use crate::google::{
    AccountDto, AccountSyncSummary, SourceCounts, SyncProgressEvent, SyncRunDto, SyncStageDto,
    SyncSummary,
};
use crate::instructions::InstructionDto;
use crate::links::{LinkKind, MessageLink};
use crate::llm::{LlmConnection, LlmSetting, LlmSettings, LlmUsage, SettingSource};
use crate::messages::{MessageRecipient, MessageView};
use crate::retention::RetentionSummary;
use crate::retrieval::IndexProgress;
use crate::rules::{DryRunExample, DryRunReport, MessageRules, RuleDto, RulesPass};
use crate::story::{RelationshipStory, StoryClaim};
use crate::tasks::{NewTaskRequest, TaskDto};
use crate::update::{UpdateInfo, UpdateProgress};

/// The whole bindings file.
#[must_use]
pub fn typescript() -> String {
    let declarations = [
        ApiError::decl(),
        ErrorCode::decl(),
        ImportError::decl(),
        ImportedCounts::decl(),
        ImportSummary::decl(),
        ImportProgress::decl(),
        Stats::decl(),
        SearchHit::decl(),
        ScoreTermDto::decl(),
        PersonSummary::decl(),
        OrganizationSummary::decl(),
        PeopleFilter::decl(),
        PeopleQuery::decl(),
        PeopleCounts::decl(),
        PeoplePage::decl(),
        PersonAddressDto::decl(),
        TimelineMonth::decl(),
        MergeProposal::decl(),
        UnansweredMessage::decl(),
        PersonDetail::decl(),
        GraphNode::decl(),
        GraphEdge::decl(),
        RelationshipGraph::decl(),
        RankedPerson::decl(),
        RankedOrganizationDto::decl(),
        ReplyMinutes::decl(),
        MeetingFigures::decl(),
        WrappedReport::decl(),
        SourceCounts::decl(),
        SyncRunDto::decl(),
        AccountDto::decl(),
        AccountSyncSummary::decl(),
        SyncSummary::decl(),
        SyncStageDto::decl(),
        SyncProgressEvent::decl(),
        RecomputeSummary::decl(),
        SyncSettings::decl(),
        SyncState::decl(),
        SyncStatus::decl(),
        IndexProgress::decl(),
        BackgroundEvent::decl(),
        ExportPart::decl(),
        ExportSummary::decl(),
        ExportProgress::decl(),
        ErasureSummary::decl(),
        CheckStatus::decl(),
        DoctorCheck::decl(),
        DoctorReport::decl(),
        RetentionSummary::decl(),
        ActivityEntry::decl(),
        ActivityFilter::decl(),
        AnswerCitation::decl(),
        ProposedActionDto::decl(),
        AskAnswer::decl(),
        AskStreamEvent::decl(),
        ConversationSummary::decl(),
        ConversationMessage::decl(),
        StoryClaim::decl(),
        RelationshipStory::decl(),
        SettingSource::decl(),
        LlmSetting::decl(),
        LlmUsage::decl(),
        LlmSettings::decl(),
        LlmConnection::decl(),
        MessageRecipient::decl(),
        EventPersonDto::decl(),
        EventDto::decl(),
        ExtractionDto::decl(),
        LinkKind::decl(),
        MessageLink::decl(),
        MessageView::decl(),
        RuleDto::decl(),
        DryRunExample::decl(),
        DryRunReport::decl(),
        RulesPass::decl(),
        MessageRules::decl(),
        TaskDto::decl(),
        NewTaskRequest::decl(),
        InstructionDto::decl(),
        UpdateInfo::decl(),
        UpdateProgress::decl(),
    ];
    let mut text = String::from(
        "// Generated from the Rust DTOs in crates/kindred-api by `KINDRED_UPDATE_BINDINGS=1 \
         cargo test --workspace bindings`. Do not edit.\n\n",
    );
    for declaration in declarations {
        text.push_str("export ");
        text.push_str(&declaration);
        text.push('\n');
    }
    text
}
