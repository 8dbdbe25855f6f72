"""Labels of choices, looked up once per language.

`obj.get_FOO_display()` rebuilds the field's whole choices mapping on every call; a list
of fifty rows called it fifty times. The labels are fixed per language, so each is
looked up once per process and language.
"""

from django.utils.translation import get_language

from core.i18n import translated_once


@translated_once(maxsize=1024)
def _label(choices, value, language):
    return str(dict(choices.choices).get(value, value))


def choice_label(choices, value, language=None):
    """What `get_FOO_display()` shows for `value` of the `choices` class (TextChoices),
    in the active language (`language`, when the caller knows it already)."""
    return _label(choices, value, language or get_language())
