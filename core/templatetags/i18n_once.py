"""`{% translate "..." %}` of a fixed message, translated once per language.

Django's `{% translate %}` resolves its message as a variable on every render: a lazy
translation made, cast, localised and escaped, about eighty Python calls for a fixed
phrase, and a detail page has ten to twenty of them (issue 13). Loaded after `i18n`
(`{% load i18n i18n_once %}`), this library's `translate` (and `trans`) parses the tag
with Django's own parser; a fixed message without `noop`, `context`, `as` or filters
renders what Django's node renders (the translation, safe as the literal is, percent
signs restored), kept per message and language. Any other form is Django's node as is.
The tag's text is unchanged, so `makemessages` finds the same messages.
"""

from django import template
from django.template import Variable
from django.templatetags.i18n import TranslateNode, do_translate
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from core.i18n import translated_once

register = template.Library()


@translated_once(maxsize=2048)
def _translated(literal, language):
    # As Variable.resolve and TranslateNode.render: "%" doubled in the message id,
    # the translation of a safe literal safe, "%%" restored.
    return SafeString(gettext(SafeString(literal.replace("%", "%%"))).replace("%%", "%"))  # nosec B703 (a template literal's translation, safe as Django's translate node makes it)


class FixedTranslateNode(TranslateNode):
    def render(self, context):
        return _translated(self.filter_expression.var.literal, get_language())


@register.tag("translate")
@register.tag("trans")
def translate(parser, token):
    node = do_translate(parser, token)
    expression = node.filter_expression
    if (
        not node.noop
        and node.asvar is None
        and node.message_context is None
        and not expression.filters
        and isinstance(expression.var, Variable)
        and isinstance(expression.var.literal, SafeString)
    ):
        node.__class__ = FixedTranslateNode
    return node
