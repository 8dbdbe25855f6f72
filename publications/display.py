"""What a publication's rows and page show, read in fewer calls (issue 13).

A translated field read through django-modeltranslation's descriptor looks up the
active language and works out its fallbacks on every read (some twenty-five Python
calls): a list of twenty rows reads titles, subtitles and group names a hundred times.
`Reader` looks them up once per list and reads the columns directly, giving what the
descriptor gives, with the language the value is in (core.i18n.content_language's).
"""

import functools
import unicodedata

from django.conf import settings
from django.utils.text import Truncator
from django.utils.translation import get_language
from modeltranslation.thread_context import fallbacks_enabled
from modeltranslation.utils import build_localized_fieldname

from core.i18n import translated_columns
from core.markup import escaped, format_html
from publications.models import DatePrecision, _date_display

_DEFAULT = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


@functools.cache
def _columns(model, field_name, language, fallbacks):
    """The (column, language) pairs modeltranslation reads `model.field_name` from on a
    page in `language`, in order (its descriptor's resolution order, or the language's
    own column alone without `fallbacks`); None for a field without French versions."""
    columns = translated_columns(model, field_name, language)
    if columns is None or fallbacks:
        return columns
    return ((build_localized_fieldname(field_name, language), language),)


@functools.cache
def _lang_markup(language, page_language):
    """` lang="xx"` for text in `language` on a page in `page_language`, else ''
    (core.i18n.lang_attribute's)."""
    if language.split("-")[0].lower() == page_language.split("-")[0].lower():
        return ""
    return format_html(' lang="{}"', language)


class Reader:
    """Translated fields as their descriptors read them on a page in the active
    language, the language and fallbacks looked up once."""

    def __init__(self):
        self.language = get_language()
        self.fallbacks = fallbacks_enabled()

    def columns(self, model, field_name):
        return _columns(model, field_name, self.language, self.fallbacks)

    @staticmethod
    def text(instance, columns, name):
        """(value, its language or None) of a translated field (`columns`: from
        `columns()`) as its descriptor reads it; the language None when the value is
        the record's own text (the default language's column, or none)."""
        if columns is None:
            return getattr(instance, name), None
        for column, code in columns:
            value = getattr(instance, column, None)
            if value is not None and value != "":
                return value, (None if code == _DEFAULT else code)
        return "", None

    def lang(self, instance, code):
        """core.i18n.lang_attribute for a value in `code` (None: the record's own)."""
        if code is None:
            code = getattr(instance, "content_language", None) or settings.LANGUAGE_CODE
        return _lang_markup(code, self.language or settings.LANGUAGE_CODE)


def truncated(text, length):
    """`Truncator(text).chars(length)`: a text already short enough is returned without
    looking at each of its characters."""
    normalized = unicodedata.normalize("NFC", text)
    if len(normalized) <= length:
        return normalized
    return Truncator(text).chars(length)


def texts(instance, names):
    """{name: value, name_lang: its lang attribute} of translated fields, as
    `instance.<name>` and `{% lang_of instance name %}` give them."""
    reader = Reader()
    shown = {}
    for name in names:
        value, code = reader.text(instance, reader.columns(type(instance), name), name)
        shown[name] = value
        shown[f"{name}_lang"] = reader.lang(instance, code)
    return shown


def shown_date(publication, language, unknown):
    """Publication.date_display in `language`, escaped (`unknown`: the escaped "Date
    unknown", looked up once by the caller), for the rows and lines written in Python."""
    day = publication.published_on
    if day is None:
        return unknown
    if publication.date_precision == DatePrecision.YEAR:
        return str(day.year)
    return escaped(_date_display(day, publication.date_precision, language))
