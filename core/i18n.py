"""Languages: which language a page is in, its other-language addresses, and which
language a piece of content is actually written in (docs/design.md, "Languages").

Public pages take their language from the address: English at the unprefixed paths
(unchanged), French under `/fr/` (`i18n_patterns(..., prefix_default_language=False)` in
the root URLs). The admin, which has one address per page, keeps the reader's choice
(the language cookie, else the browser's). Content has French versions through
django-modeltranslation, with English as the fallback, so a value shown on a French page
may be English: `content_language` says which, and templates mark it with `lang`.
"""

import functools

from django.conf import settings
from django.core.signals import setting_changed
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import NoReverseMatch, translate_url
from django.utils import translation
from django.utils.cache import cc_delim_re
from django.utils.html import format_html
from django.utils.translation import get_language
from django_countries import countries
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname, resolution_order

from core.links import plain_url, slug_url
from core.site import site_url


def translated_once(maxsize):
    """`functools.lru_cache(maxsize)` for what is made from translations and fixed per
    language (a message, a choice's label): the function takes the language among its
    arguments, and what it kept is forgotten when a setting changes (tests switch
    LANGUAGES or LOCALE_PATHS), so no stale translation outlives them."""

    def decorate(function):
        kept = functools.lru_cache(maxsize=maxsize)(function)
        setting_changed.connect(
            lambda **kwargs: kept.cache_clear(),
            weak=False,
            dispatch_uid=f"translated-once:{function.__module__}.{function.__qualname__}",
        )
        return kept

    return decorate


# Pages at one address for every language: their interface language is the reader's
# choice (cookie or browser), so their responses vary with Accept-Language. The API's
# messages too (its records are in English: opendata.api).
CHOSEN_LANGUAGE_PATHS = ("/admin/", "/api/")


def _chooses_language(request):
    return request.path_info.startswith(CHOSEN_LANGUAGE_PATHS)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, except that the admin and the API keep the reader's chosen language and that
    public responses do not say they vary with Accept-Language (their address alone
    decides their language, so a shared cache may keep one copy per address)."""

    def process_request(self, request):
        super().process_request(request)
        if _chooses_language(request):
            # Django's picks English for every unprefixed address once i18n_patterns
            # is used without a prefix for English; the admin has no prefix to read.
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if not _chooses_language(request) and response.has_header("Vary"):
            kept = [
                value
                for value in cc_delim_re.split(response["Vary"])
                if value and value.lower() != "accept-language"
            ]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return response


def alternates(request):
    """Context processor: `language_alternates`, the page's address in each language.

    A list of (hreflang, absolute URL), English also as `x-default`; empty on pages
    with one address for every language (the admin, the API, error pages). Computed
    only when a template reads it (no cost on pages that do not).
    """

    @functools.cache
    def build():
        path = request.get_full_path()
        urls = {code: _translated(request, path, code) for code in _codes()}
        if len(set(urls.values())) < len(urls):
            return []
        base = site_url()
        links = [(code, base + url) for code, url in urls.items()]
        links.append(("x-default", base + urls[settings.LANGUAGE_CODE]))
        return links

    return {"language_alternates": build}


def _translated(request, path, code):
    """`translate_url(path, code)` for the request's own address: its view is known
    already (`resolver_match`), and a detail page's or a list's address comes from a
    pattern reversed once per language (core.links) rather than resolved and reversed
    again on every page."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name is None or match.args or path.startswith("//"):
        return translate_url(path, code)
    query = path[path.index("?") :] if "?" in path else ""
    try:
        if not match.kwargs:
            return plain_url(match.view_name, code) + query
        if set(match.kwargs) == {"slug"}:
            return slug_url(match.view_name, match.kwargs["slug"], code) + query
    except NoReverseMatch:
        pass
    return translate_url(path, code)


def _codes():
    return [code for code, _name in settings.LANGUAGES]


def _source_language(instance):
    """The language of a record's own (untranslated) text: a publication says which
    (`language`); everything else is written in the site's default language."""
    return getattr(instance, "content_language", None) or settings.LANGUAGE_CODE


@functools.cache
def translated_columns(model, field_name, language):
    """What `content_language` reads for `model.field_name` on a page in `language`:
    the (column, language) pairs of modeltranslation's resolution order, or None for a
    field without French versions. Registration and fallbacks are fixed once the
    models are ready, so this is worked out once per model, field and language rather
    than on every field shown (issue 13)."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return None
    if field_name not in options.all_fields:
        return None
    descriptor = getattr(model, field_name)
    return tuple(
        (build_localized_fieldname(field_name, code), code)
        for code in resolution_order(language, descriptor.fallback_languages)
    )


def _content_language(instance, field_name, language):
    plan = translated_columns(type(instance), field_name, language)
    if plan is not None:
        for column, code in plan:
            value = getattr(instance, column, None)
            if value is not None and value != "":
                # The default language's column holds the record's own text, which
                # for a publication may be in another language (a report in French).
                if code == settings.MODELTRANSLATION_DEFAULT_LANGUAGE:
                    break
                return code
    return _source_language(instance)


def content_language(instance, field_name):
    """The language `getattr(instance, field_name)` is actually in, for the active
    language: the French version's when it has one, else the fallback's.

    For a field without French versions, the record's own language. Reads only the
    instance's loaded attributes (no query).
    """
    return _content_language(instance, field_name, get_language())


@functools.cache
def _same_language(language, page_language):
    return language.split("-")[0].lower() == page_language.split("-")[0].lower()


@functools.cache
def _lang_markup(language):
    return format_html(' lang="{}"', language)


def lang_attribute(instance, field_name, page_language=None):
    """` lang="xx"` when the value is not in the page's language (the active one, or
    `page_language` when the caller knows it already), else ''."""
    page_language = page_language or get_language()
    language = _content_language(instance, field_name, page_language)
    if _same_language(language, page_language or settings.LANGUAGE_CODE):
        return ""
    return _lang_markup(language)


def in_page_language(path):
    """The address `path` (of the default language: what the search index keeps) in
    the active language: `/groups/x/` is `/fr/groups/x/` on a French page. Resolving
    costs no query; in the default language the address is already right (its prefix is
    none, and no pattern is translated), and nothing is resolved: a tenth of the CPU of a
    page of search results went to resolving and reversing each result's address."""
    language = get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE:
        return path
    with translation.override(settings.LANGUAGE_CODE):
        return translate_url(path, language)


def displayed(field_name):
    """An expression for the value a reader sees of a translated field: the active
    language's version, else the fallback's. For ordering by title on a French page:
    modeltranslation rewrites `order_by("title")` to the French column alone, which
    would put every record without a French version last (or first)."""
    language = get_language() or settings.LANGUAGE_CODE
    fallbacks = settings.MODELTRANSLATION_FALLBACK_LANGUAGES["default"]
    languages = [language, *(code for code in fallbacks if code != language)]
    if len(languages) == 1:
        return F(build_localized_fieldname(field_name, language))
    return Coalesce(
        *(NullIf(build_localized_fieldname(field_name, code), Value("")) for code in languages)
    )


def own_text(instance, field_name):
    """A translated field's own text (the default language's column), whatever the
    active language: what citations and records for machines carry."""
    return getattr(instance, _own_column(field_name))


@functools.cache
def _own_column(field_name):
    """`title_en` for `title`: the default language's column, named once per field."""
    return build_localized_fieldname(field_name, settings.LANGUAGE_CODE)


def memoize_multilingual_querysets():
    """Have modeltranslation make one multilingual QuerySet class per QuerySet class.

    For a translated model with its own QuerySet (`PublishableQuerySet.as_manager()`),
    django-modeltranslation 0.20 creates a new class (`class NewClass(old_cls,
    MultilingualQuerySet)`) on every manager call: `Publication.objects.published()`,
    each prefetch. Creating a class costs about as much as compiling the query it is for
    (a tenth of a story page, issue 13). The class made is the same every time, so it is
    kept. Called once, from CoreConfig.ready().
    """
    from modeltranslation import manager

    original = manager.multilingual_queryset_factory
    if getattr(original, "memoized", False):
        return
    classes = {}

    def multilingual_queryset_factory(old_cls, instantiate=True):
        new_cls = classes.get(old_cls)
        if new_cls is None:
            new_cls = classes[old_cls] = original(old_cls, instantiate=False)
        return new_cls() if instantiate else new_cls

    multilingual_queryset_factory.memoized = True
    # A pickled queryset names the factory (MultilingualQuerySet.__reduce__): the same
    # name finds this one.
    multilingual_queryset_factory.__module__ = manager.__name__
    multilingual_queryset_factory.__qualname__ = "multilingual_queryset_factory"
    manager.multilingual_queryset_factory = multilingual_queryset_factory


def country_name(instance, field_name="country", language=None):
    """The name of `instance`'s country (a django-countries field) in the page's
    language, or "" when it has none: `instance.country.name`, without the Country
    object every read of the field builds (its code normalised, its name looked up and
    translated again). Names are kept per code and language."""
    if field_name not in instance.__dict__:
        getattr(instance, field_name)  # a deferred field: loaded as the field would
    code = instance.__dict__[field_name]
    if not code:
        return ""
    return _country_name(code, language or get_language())


@functools.lru_cache(maxsize=4096)
def _country_name(code, language):
    return countries.name(code)
