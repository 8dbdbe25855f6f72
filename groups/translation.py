"""French versions of what a reader sees of a group (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from groups.models import Group


@register(Group)
class GroupTranslationOptions(TranslationOptions):
    fields = ("name", "theme", "description")
