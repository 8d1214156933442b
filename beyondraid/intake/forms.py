"""The form of the audit page: the sheets to audit and, optionally, their manifest.

It only checks what can be told without reading the files (how many, how large, which kind);
reading and auditing them is ``audit.audit_uploads``.
"""

from pathlib import PurePath

from django import forms

from .sheets import AUDITABLE_SUFFIXES

MAX_FILES = 20
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_MANIFEST_BYTES = 256 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "usa-file-input"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        cleaned = [super(MultipleFileField, self).clean(item, initial) for item in files if item]
        if not cleaned and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return cleaned


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


class AuditUploadForm(forms.Form):
    files = MultipleFileField(
        label="Sheets to audit",
        help_text=(
            "CSV, TSV, XLSX or PDF summary tables as the agency released them (every sheet of "
            f"a workbook and every table of a PDF is audited); up to {MAX_FILES} files of "
            f"{megabytes(MAX_FILE_BYTES)} each. They are read for this report and not kept."
        ),
        error_messages={"required": "Choose at least one sheet to audit."},
    )
    manifest = forms.FileField(
        required=False,
        label="Manifest",
        help_text=(
            "A TOML file saying what each table is: its title, scope, the scope it lies within, "
            "and totals the numbers cannot show. File names in it are the names of the sheets "
            "you upload."
        ),
        widget=forms.ClearableFileInput(attrs={"class": "usa-file-input", "accept": ".toml"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs["accept"] = ",".join(AUDITABLE_SUFFIXES)

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                f"You chose {len(files)} files; audit at most {MAX_FILES} at a time."
            )
        problems = []
        for upload in files:
            if PurePath(upload.name).suffix.lower() not in AUDITABLE_SUFFIXES:
                problems.append(
                    f"{upload.name} is not a CSV, TSV, XLSX, PDF or scanned image (PNG, JPEG, TIFF)"
                    " file, so it cannot be audited."
                )
            elif upload.size > MAX_FILE_BYTES:
                problems.append(
                    f"{upload.name} is {megabytes(upload.size)}, more than the "
                    f"{megabytes(MAX_FILE_BYTES)} a sheet may be here; audit it with the "
                    "`beyondraid audit` command instead."
                )
        names = [PurePath(upload.name).name for upload in files]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            problems.append(f"{repeated[0]} was chosen twice; choose each sheet once.")
        if problems:
            raise forms.ValidationError(problems)
        return files

    def clean_manifest(self):
        manifest = self.cleaned_data["manifest"]
        if manifest and manifest.size > MAX_MANIFEST_BYTES:
            raise forms.ValidationError(
                f"{manifest.name} is {megabytes(manifest.size)}; a manifest is a short text "
                f"file of at most {megabytes(MAX_MANIFEST_BYTES)}."
            )
        return manifest
