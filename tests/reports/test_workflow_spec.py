"""The workflow actions are declared once; everything that names an action reads it."""

from disclosure.reports.models import Transition
from disclosure.reports.workflow_spec import ACTIONS, IMPORT, Role, Status, target_status
from disclosure.review import urls as review_urls
from disclosure.review.workflow import TRANSITION_FUNCTIONS


def test_every_declared_action_has_one_domain_function_and_one_url():
    codes = [a.code for a in ACTIONS]
    assert list(TRANSITION_FUNCTIONS) == codes
    url_names = {p.name for p in review_urls.urlpatterns}
    assert set(codes) <= url_names


def test_transition_choices_are_the_declared_actions_and_import():
    field = Transition._meta.get_field("action")
    assert [code for code, _ in field.choices] == [a.code for a in ACTIONS] + [IMPORT]


def test_declared_transitions():
    table = {(source, a.code): a.target for a in ACTIONS for source in a.sources}
    assert table == {
        (Status.DRAFT, "submit"): Status.SUBMITTED,
        (Status.RETURNED, "submit"): Status.SUBMITTED,
        (Status.SUBMITTED, "withdraw"): Status.DRAFT,
        (Status.SUBMITTED, "approve"): Status.APPROVED,
        (Status.SUBMITTED, "return"): Status.RETURNED,
        (Status.APPROVED, "reopen"): Status.DRAFT,
    }
    assert target_status(Status.DRAFT, "approve") is None


def test_required_comments_have_a_refusal_message_and_roles_are_agency_roles():
    for declared in ACTIONS:
        assert bool(declared.missing_comment) == declared.comment_required
        assert declared.role in (Role.CLERK, Role.REVIEWER)
        assert declared.success and declared.prompt and declared.button.startswith("btn-")
