"""The words of a notice (notices.messages): in the person's language, a link to log in, the stop link,
and nothing else."""
import pytest

from notices.messages import compose, stop_token_user, stop_url
from notices.models import CHOOSABLE_KINDS, NoticeKind
from tests.helpers import translated

LOGIN = "http://127.0.0.1:5000/login"


@pytest.mark.parametrize("locale", ["nn", "nb"])
def test_a_meeting_reminder_in_the_persons_language_asks_to_prepare_until_they_have(app, locale):
    with app.app_context():
        unprepared = compose(NoticeKind.MEETING_SOON, 7, locale, days=3, prepared=False)
        prepared = compose(NoticeKind.MEETING_SOON, 7, locale, days=1, prepared=True)
    in_three_days = translated(app, "You have a meeting in Stemme in %(num)d day.", locale,
                               plural="You have a meeting in Stemme in %(num)d days.", num=3)
    prepare = translated(app, "Log in to prepare for it: %(link)s", locale, link=LOGIN)
    assert unprepared.sms.startswith(f"{in_three_days} {prepare}\n")
    assert unprepared.body.startswith(f"{in_three_days} {prepare}\n")
    assert unprepared.subject == translated(app, "Reminder from Stemme", locale)
    tomorrow = translated(app, "You have a meeting in Stemme tomorrow.", locale)
    assert prepared.sms.startswith(f"{tomorrow} {translated(app, 'Log in to see it: %(link)s', locale, link=LOGIN)}")


def test_without_a_chosen_language_the_message_is_in_bokmal(app):
    with app.app_context():
        message = compose(NoticeKind.RATING_WAITING, 7, None)
    assert message.sms.startswith(translated(app, "You have questions waiting in Stemme. Log in to answer them: %(link)s",
                                             "nb", link=LOGIN))


@pytest.mark.parametrize("kind", CHOOSABLE_KINDS)
def test_every_message_ends_with_the_stop_link_and_names_nobody(app, kind):
    with app.app_context():
        message = compose(kind, 42, "nn", days=2, prepared=False)
        link = stop_url(42)
    stop_line = translated(app, "To stop all notices from Stemme: %(link)s", "nn", link=link)
    assert message.stop_url == link
    assert message.sms.endswith(stop_line) and message.body.rstrip().endswith(stop_line)
    assert LOGIN in message.sms
    # The text is the same for everybody: nothing about the person, the pathway or a service in it.
    with app.app_context():
        other = compose(kind, 43, "nn", days=2, prepared=False)
    assert message.sms.replace(link, "") == other.sms.replace(other.stop_url, "")
    for word in ("BUP", "PPT", "Ola", "42"):
        assert word not in message.sms.replace(link, "") and word not in message.subject


def test_the_stop_link_names_its_person_and_cannot_be_forged(app):
    with app.app_context():
        link = stop_url(42)
        token = link.rsplit("/", 1)[1]
        assert link == f"http://127.0.0.1:5000/notices/stop/{token}"
        assert stop_token_user(token) == 42
        assert stop_token_user(token[:-2] + "xx") is None
        assert stop_token_user("NDI") is None


def test_codes_and_reset_links_are_not_reminders(app):
    with app.app_context(), pytest.raises(ValueError):
        compose(NoticeKind.CONTACT_CODE, 42, "nb")
