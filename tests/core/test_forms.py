"""The shared form base: WTForms' own messages come from our catalogues, placeholders filled."""
from wtforms import StringField
from wtforms.validators import Length
from core.forms import Form

def test_length_message_is_filled(app):
    """WTForms' own plural message for a too long value comes out with the number in it."""
    class F(Form):
        class Meta:
            csrf = False
        name = StringField(validators=[Length(max=3)])
    with app.test_request_context(method="POST", data={"name": "abcdef"}):
        form = F()
        assert not form.validate()
        assert "3" in form.name.errors[0]
