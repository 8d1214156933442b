from django import forms

from .forms import MultipleFileField, megabytes

# The page keeps the files in the database until a task worker imports them, in one transaction
# and in memory: 50 MB is about 100,000 people with their records, a few minutes' import. Larger
# imports are for the command line, which keeps nothing but the rows and shows its progress.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class ImportForm(forms.Form):
    files = MultipleFileField(
        label="Files to import",
        help_text=(
            "Exchange files (CSV or TSV named after their table, an XLSX workbook with one "
            "sheet per table, or NDJSON with one record a line), or one tracking sheet of your "
            f"agency with its mapping below; {megabytes(MAX_UPLOAD_BYTES)} at most together."
        ),
    )
    mapping = forms.FileField(
        required=False,
        label="Mapping (only for a tracking sheet)",
        help_text="A TOML file saying how the sheet's columns become records of the standard.",
        widget=forms.ClearableFileInput(attrs={"class": "usa-file-input", "accept": ".toml"}),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        size = sum(upload.size for upload in files)
        if size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The files you chose are {megabytes(size)} together, more than the "
                f"{megabytes(MAX_UPLOAD_BYTES)} this page takes. Split them into smaller imports "
                "(people of an operation already imported are added to it), or ask your "
                "administrator to import them with the command `beyondraid import`, which takes "
                "larger files."
            )
        return files


class ConfirmUndoForm(forms.Form):
    confirm = forms.BooleanField(
        label=(
            "I understand that undoing deletes every operation, person and record this import "
            "created."
        )
    )
