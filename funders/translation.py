"""French versions of a funder's acknowledgement (django-modeltranslation). Names stay
as the organisations write them."""

from modeltranslation.translator import TranslationOptions, register

from funders.models import Funder


@register(Funder)
class FunderTranslationOptions(TranslationOptions):
    fields = ("acknowledgement",)
