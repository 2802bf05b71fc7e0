"""The one sharing question a young person or a parent answers for a statement or a preparation.

The answers mean what they say for the person's age when they choose (access.policy.parents_see is
the rule the pages follow):
- under 12: "my team (and my parents)" (FAMILY) or "only me for now" (PRIVATE); a child's parents
  read what the team reads, unless a professional withheld it;
- 12–15: "my team and my parents" (FAMILY), "my team, not my parents" (TEAM), "only me for now";
- 16 and over: "my team" (TEAM), "my team and my parents" (FAMILY), "only me for now";
- a parent: "my team" (TEAM), "my team and my child" (FAMILY), "only me for now".
A new entry starts the way its author last chose (`User.last_sharing`), or, the first time, with the
team (under 12 that includes the parents; from 12 the parents only when chosen)."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from access.policy import AgeBand, age_band
from accounts.models import Role, User
from youth.models import Sharing

_ONLY_ME = _l("Only me for now")


def choices(role: Role, age: int) -> list[SelectChoice]:
    """The answers offered to `role` when the young person is `age`, in the order shown."""
    if role == Role.PARENT:
        return [SelectChoice(Sharing.TEAM.value, _l("My team")),
                SelectChoice(Sharing.FAMILY.value, _l("My team and my child")),
                SelectChoice(Sharing.PRIVATE.value, _ONLY_ME)]
    band = age_band(age)
    if band == AgeBand.CHILD:
        return [SelectChoice(Sharing.FAMILY.value, _l("My team (and my parents)")),
                SelectChoice(Sharing.PRIVATE.value, _ONLY_ME)]
    if band == AgeBand.TEEN:
        return [SelectChoice(Sharing.FAMILY.value, _l("My team and my parents")),
                SelectChoice(Sharing.TEAM.value, _l("My team, not my parents")),
                SelectChoice(Sharing.PRIVATE.value, _ONLY_ME)]
    return [SelectChoice(Sharing.TEAM.value, _l("My team")),
            SelectChoice(Sharing.FAMILY.value, _l("My team and my parents")),
            SelectChoice(Sharing.PRIVATE.value, _ONLY_ME)]


def default(user: User, age: int) -> Sharing:
    """How a new entry of `user` starts: as they last chose, if that answer is offered at this age;
    else with the team (under 12 the team's answer is FAMILY: the parents read it too)."""
    offered = {choice.value for choice in choices(user.role, age)}
    if user.last_sharing in offered:
        return Sharing(user.last_sharing)
    return Sharing.FAMILY if Sharing.TEAM.value not in offered else Sharing.TEAM


def remember(user: User, sharing: Sharing) -> None:
    """Keep `user`'s choice for their next entry (stored with the entry's save)."""
    user.last_sharing = sharing.value


def send_label(sharing: Sharing, role: Role) -> str:
    """The save button's words: where the text goes."""
    if sharing == Sharing.PRIVATE:
        return _("Keep it for me only")
    if sharing == Sharing.TEAM:
        return _("Send to my team")
    if role == Role.PARENT:
        return _("Send to my team and my child")
    return _("Send to my team and my parents")


def send_labels(role: Role, age: int) -> dict[str, str]:
    """The save button's words for each answer offered (the page shows the one chosen)."""
    return {choice.value: send_label(Sharing(choice.value), role) for choice in choices(role, age)}


def told(sharing: Sharing, role: Role, age: int) -> str:
    """Who may read an entry shared this way, told to its author (the young person aged `age`, or a parent)."""
    if sharing == Sharing.PRIVATE:
        return _("Only you can see it.")
    if role == Role.PARENT:
        return _("Your team and your child can read it.") if sharing == Sharing.FAMILY else _("Your team can read it.")
    if sharing == Sharing.FAMILY or age_band(age) == AgeBand.CHILD:
        return _("Your team and your parents can read it.")
    return _("Your team can read it, your parents cannot.")
