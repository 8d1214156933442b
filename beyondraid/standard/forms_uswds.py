"""Forms styled with the U.S. Web Design System, for every app's pages: each widget gets the class
USWDS draws it with, so no app keeps its own copy of the rule."""

from django import forms


def style_widget(widget: forms.Widget) -> None:
    """Give a widget the class the U.S. Web Design System styles it with."""
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
        css = "usa-checkbox__input"
    elif isinstance(widget, forms.RadioSelect):
        css = "usa-radio__input"
    elif isinstance(widget, forms.Select):
        css = "usa-select"
    elif isinstance(widget, forms.Textarea):
        css = "usa-textarea"
    else:
        css = "usa-input"
    widget.attrs["class"] = css


class USWDSForm(forms.Form):
    """A form whose every widget is styled by ``style_widget``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_widget(field.widget)
