"""French versions of what a reader sees of a publication (django-modeltranslation).

The English columns hold the publication's own text, in its `language`."""

from modeltranslation.translator import TranslationOptions, register

from publications.models import Publication


@register(Publication)
class PublicationTranslationOptions(TranslationOptions):
    fields = ("title", "subtitle", "abstract", "summary")
