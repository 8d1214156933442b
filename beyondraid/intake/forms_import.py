from django import forms

from .forms import MultipleFileField


class ImportForm(forms.Form):
    files = MultipleFileField(
        label="Files to import",
        help_text=(
            "Exchange files (CSV or TSV named after their table, an XLSX workbook with one "
            "sheet per table, or NDJSON with one record a line), or one tracking sheet of your "
            "agency with its mapping below."
        ),
    )
    mapping = forms.FileField(
        required=False,
        label="Mapping (only for a tracking sheet)",
        help_text="A TOML file saying how the sheet's columns become records of the standard.",
        widget=forms.ClearableFileInput(attrs={"class": "usa-file-input", "accept": ".toml"}),
    )


class ConfirmUndoForm(forms.Form):
    confirm = forms.BooleanField(
        label=(
            "I understand that undoing deletes every operation, person and record this import "
            "created."
        )
    )
