"""Fixtures of the family's side."""
import pytest

from accounts.models import ParentLink, Role, User, YoungPerson
from core.extensions import db


@pytest.fixture()
def father_a(app, cast, password_hash):
    """Ola's father, also with parental responsibility."""
    with app.app_context():
        father = User(role=Role.PARENT, name="Tor Nordvik", username="far.ola", password_hash=password_hash)
        db.session.add(ParentLink(young_person=db.session.get(YoungPerson, cast.young_a), user=father,
                                  parental_responsibility=True))
        db.session.commit()
        return father.id
