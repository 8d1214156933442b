from django import template

from beyondraid.care import public_labels
from beyondraid.care.counties import county_name

register = template.Library()


@register.filter
def county(code: str) -> str:
    """A county code's name and state: ``{{ "06037"|county }}`` is "Los Angeles (CA)"."""
    return county_name(code)


@register.filter
def public_label(code: str, vocabulary_name: str) -> str:
    """A code's label in the reader's language, for the public directory:
    ``{{ code|public_label:"service_type" }}``."""
    return public_labels.public_label(vocabulary_name, code)
