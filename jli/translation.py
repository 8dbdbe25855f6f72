"""French versions of story pages (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from jli.models import StoryPage


@register(StoryPage)
class StoryPageTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body")
