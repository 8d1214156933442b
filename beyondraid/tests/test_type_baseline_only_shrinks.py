"""The type-checking baseline in mypy.ini only shrinks.

mypy.ini lists, one ``[mypy-<module>]`` section each with ``ignore_errors = True``, the modules
that had type errors when mypy came in. This test holds that list to ``BASELINE``, frozen below:
a module may come off mypy.ini once its errors are fixed (then delete it here too), but none may
be added, so every new module is type-checked. A listed module that no longer exists fails the
test as well, so the list does not keep names of deleted modules.
"""

import configparser
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[2]

# The modules with type errors when mypy came in. Only ever delete from this set.
BASELINE = frozenset(
    {
        "beyondraid.accountability.forms_oversight",
        "beyondraid.accountability.services",
        "beyondraid.accountability.tests.test_browser_a_spanish_report_reaches_an_investigator_who_asks_and_the_reporter_answers",
        "beyondraid.accountability.tests.test_oversight_key_command_creates_the_key_and_adds_holders",
        "beyondraid.accountability.tests.test_report_pages_speak_spanish_and_the_reporter_reads_answers_in_their_language",
        "beyondraid.accountability.tests.test_report_pages_take_a_report_without_an_account_and_its_receipt_opens_only_it",
        "beyondraid.accountability.tests.test_report_security_holds_on_every_reporting_page",
        "beyondraid.accountability.tests.test_report_server_logs_keep_no_trace_of_the_reporter",
        "beyondraid.accountability.tests.test_unlocking_the_key_is_audited_and_throttled",
        "beyondraid.accounts.apps",
        "beyondraid.accounts.forms_people",
        "beyondraid.accounts.selectors",
        "beyondraid.accounts.tests.test_first_sign_in_enrols_two_factor",
        "beyondraid.api.authentication",
        "beyondraid.api.htcds",
        "beyondraid.api.idempotency",
        "beyondraid.api.nibrs",
        "beyondraid.api.parsers",
        "beyondraid.api.serializers",
        "beyondraid.api.services",
        "beyondraid.api.shapes",
        "beyondraid.api.tests.test_agency_systems_record_and_correct_records_through_the_api",
        "beyondraid.api.tests.test_agency_tokens_read_their_own_agency_only_and_every_use_is_audited",
        "beyondraid.api.tests.test_api_honours_its_published_schema",
        "beyondraid.api.tests.test_htcds_export_fills_only_what_the_consent_shares",
        "beyondraid.api.tests.test_htcds_export_holds_only_cases_the_provider_accepted",
        "beyondraid.api.tests.test_public_api_serves_published_releases_and_nothing_else",
        "beyondraid.api.tests.test_writes_are_safe_to_retry_and_submissions_go_through_the_importer",
        "beyondraid.api.views",
        "beyondraid.api.views_records",
        "beyondraid.care.alerts",
        "beyondraid.care.forms",
        "beyondraid.care.forms_relief",
        "beyondraid.care.forms_support",
        "beyondraid.care.management.commands.demo_network",
        "beyondraid.care.models",
        "beyondraid.care.selectors",
        "beyondraid.care.services",
        "beyondraid.care.signals",
        "beyondraid.care.tests.builders",
        "beyondraid.care.tests.support_builders",
        "beyondraid.care.tests.test_care_pages_provider_keeps_its_own_entry",
        "beyondraid.care.tests.test_consent_override_needs_permission_and_reason_and_is_audited",
        "beyondraid.care.tests.test_cooperation_parity_report_compares_service_rates",
        "beyondraid.care.tests.test_directory_is_kept_by_the_providers_own_caseworkers",
        "beyondraid.care.tests.test_referral_with_consent_lets_the_provider_see_the_person",
        "beyondraid.care.views",
        "beyondraid.care.views_alerts",
        "beyondraid.care.views_support",
        "beyondraid.core.clocks",
        "beyondraid.core.disclosure",
        "beyondraid.core.tests.test_clock_extension_is_never_lateness",
        "beyondraid.core.tests.test_clock_foia_counts_federal_business_days",
        "beyondraid.core.tests.test_clock_pauses_stop_the_count",
        "beyondraid.core.tests.test_clock_rules_are_complete_and_cited",
        "beyondraid.intake.aggregates",
        "beyondraid.intake.audit",
        "beyondraid.intake.forms",
        "beyondraid.intake.forms_import",
        "beyondraid.intake.importing",
        "beyondraid.intake.management.commands.audit",
        "beyondraid.intake.manifest",
        "beyondraid.intake.mapping",
        "beyondraid.intake.ndjson",
        "beyondraid.intake.sheets",
        "beyondraid.intake.tests.test_audit_reads_cells_as_printed",
        "beyondraid.intake.tests.test_audit_record_keeps_published_figures",
        "beyondraid.intake.tests.test_import_follows_the_steward_boundary",
        "beyondraid.intake.tests.test_import_is_atomic",
        "beyondraid.intake.tests.test_import_is_idempotent_and_undoable",
        "beyondraid.intake.tests.test_import_reads_workbooks_and_tracking_sheets",
        "beyondraid.planning.document",
        "beyondraid.planning.forms",
        "beyondraid.planning.management.commands.demo_plans",
        "beyondraid.planning.models",
        "beyondraid.planning.selectors",
        "beyondraid.planning.services",
        "beyondraid.planning.tests.test_plan_forms_write_the_whole_document",
        "beyondraid.planning.tests.test_post_operation_review_compares_plan_and_outcome",
        "beyondraid.planning.tests.test_workflow_amendments_are_new_versions",
        "beyondraid.planning.views",
        "beyondraid.records.forms",
        "beyondraid.records.management.commands.records",
        "beyondraid.records.selectors",
        "beyondraid.records.services",
        "beyondraid.records.tests.test_deadlines_follow_each_law_with_real_holidays_pauses_and_extensions",
        "beyondraid.records.tests.test_each_step_is_recorded_through_the_request_page",
        "beyondraid.records.tests.test_files_are_stored_with_their_hash_and_downloaded_only_by_readers",
        "beyondraid.records.tests.test_follow_up_reminders_come_before_each_laws_due_date",
        "beyondraid.records.tests.test_request_and_step_forms_read_channel_tracking_number_and_note_alike",
        "beyondraid.records.tests.test_scorecard_and_command_reproduce_the_2021_study",
        "beyondraid.records.tests.test_scorecard_counts_what_the_audits_of_released_documents_found",
        "beyondraid.records.views",
        "beyondraid.settings",
        "beyondraid.standard.admin",
        "beyondraid.standard.dictionary",
        "beyondraid.standard.exchange",
        "beyondraid.standard.loading",
        "beyondraid.standard.management.commands.deadline",
        "beyondraid.standard.management.commands.serve",
        "beyondraid.standard.management.commands.translations",
        "beyondraid.standard.models",
        "beyondraid.standard.published",
        "beyondraid.standard.services",
        "beyondraid.standard.table_schemas",
        "beyondraid.standard.tests.test_dates_are_ordered",
        "beyondraid.standard.tests.test_funding_and_published_figures_are_consistent",
        "beyondraid.standard.tests.test_published_figures_load",
        "beyondraid.standard.tests.test_synth_is_deterministic_and_realistic",
        "beyondraid.standard.tests.test_synthetic_dataset_loads",
        "beyondraid.standard.tests.test_table_schemas_validate_exchange_files",
        "beyondraid.standard.writing",
        "beyondraid.tests.test_access_matrix",
        "beyondraid.tests.test_api_token_matrix",
        "beyondraid.tests.test_browser_admin_operation",
        "beyondraid.transparency.charts",
        "beyondraid.transparency.facts",
        "beyondraid.transparency.forms_releases",
        "beyondraid.transparency.indicators",
        "beyondraid.transparency.management.commands.release",
        "beyondraid.transparency.public_records",
        "beyondraid.transparency.release_tables",
        "beyondraid.transparency.releases",
        "beyondraid.transparency.selectors",
        "beyondraid.transparency.tests.test_indicators_count_reports_of_abuse_by_officers_per_operation",
        "beyondraid.transparency.tests.test_indicators_count_what_was_offered_accepted_declined_and_followed_up",
        "beyondraid.transparency.tests.test_indicators_funding",
        "beyondraid.transparency.tests.test_indicators_levels_and_scope",
        "beyondraid.transparency.tests.test_indicators_pages",
        "beyondraid.transparency.tests.test_indicators_published_figures",
        "beyondraid.transparency.tests.test_public_charts_draw_only_shown_figures",
        "beyondraid.transparency.tests.test_public_downloads",
        "beyondraid.transparency.tests.test_public_records_pages_are_accessible_in_a_browser",
        "beyondraid.transparency.tests.test_public_records_request_page_shows_its_record",
        "beyondraid.transparency.tests.test_public_records_scorecard_counts_what_the_audits_found",
        "beyondraid.transparency.tests.test_public_records_scorecard_reproduces_the_2021_study",
        "beyondraid.transparency.tests.test_public_sample_release",
        "beyondraid.transparency.tests.test_release_command",
        "beyondraid.transparency.tests.test_release_counts_operations_by_plan_review",
        "beyondraid.transparency.tests.test_release_counts_reports_of_abuse_by_agency_and_suppresses_small_counts",
        "beyondraid.transparency.tests.test_release_csvs_never_carry_a_formula",
        "beyondraid.transparency.tests.test_release_pipeline",
    }
)


def ignored_modules() -> list[str]:
    config = configparser.ConfigParser()
    config.read(REPO_DIR / "mypy.ini", encoding="utf-8")
    modules = []
    for section in config.sections():
        if config.getboolean(section, "ignore_errors", fallback=False):
            # "[mypy-a.b,c.d]" names several modules; "[mypy]" itself would ignore every one.
            modules += [name.strip() for name in section.removeprefix("mypy-").split(",")]
    return modules


def exists(module: str) -> bool:
    path = REPO_DIR.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def test_no_module_is_added_to_the_baseline() -> None:
    added = sorted(set(ignored_modules()) - BASELINE)
    assert not added, (
        f"mypy.ini ignores the type errors of {added}, which are not in the baseline. Fix the "
        "errors instead (`.venv/bin/mypy beyondraid`); the baseline only shrinks."
    )


def test_every_module_on_the_baseline_exists() -> None:
    gone = sorted(module for module in ignored_modules() if not exists(module))
    assert not gone, (
        f"mypy.ini lists {gone}, which no longer exist: delete their sections, and the names "
        "from BASELINE in this test."
    )
