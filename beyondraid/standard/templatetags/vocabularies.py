from django import template

from beyondraid.standard.vocabulary import UnknownCode, vocabulary

register = template.Library()


@register.filter
def label(code: str, vocabulary_name: str) -> str:
    """The plain-language label of a code: ``{{ code|label:"role" }}``."""
    try:
        return vocabulary(vocabulary_name).label(code)
    except UnknownCode:
        return code
