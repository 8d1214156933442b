"""Request bodies the API reads: JSON records, and NDJSON submissions, one exchange record a line.

Neither may nest lists and objects deeper than the importer reads NDJSON lines
(``intake.ndjson.MAX_DEPTH``). A record of the standard nests three levels at most, while
Python's JSON decoder, and the ``repr`` of a value in an error message, recurse once per level:
JSON nested a thousand levels deep would end in a ``RecursionError``, a server error, instead of
an answer about the input.
"""

from pathlib import PurePath

from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import BaseParser, JSONParser, MultiPartParser

from beyondraid.intake.importing import MAX_FILE_BYTES, SourceFile
from beyondraid.intake.ndjson import MAX_DEPTH, lines_nesting_too_deep, nests_too_deep
from beyondraid.intake.ndjson import SUFFIXES as NDJSON_SUFFIXES
from beyondraid.standard.loading import Problem

TOO_DEEP = (
    f"The JSON nests lists and objects more than {MAX_DEPTH} levels deep; a record of the "
    "standard needs three at most."
)

CUT_SHORT = (
    "The body ended before the length it announced ({received} of {announced} bytes came); "
    "nothing was imported. Send the whole submission again."
)


class SubmissionTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = (
        f"The submission is larger than {MAX_FILE_BYTES // 2**20} MB; split it into several, "
        "whole operations in each."
    )
    default_code = "too_large"


def ndjson_nesting_too_deep(files: list[SourceFile]) -> list[Problem]:
    """A problem for each line of the submission's NDJSON files that nests deeper than
    ``MAX_DEPTH``, numbered as the importer numbers lines: such a line is refused before
    anything else reads the submission (the scopes it needs, ``services``)."""
    return [
        problem
        for source in files
        if PurePath(source.name).suffix.lower() in NDJSON_SUFFIXES
        for problem in lines_nesting_too_deep(source.name, source.content)
    ]


class JsonParser(JSONParser):
    """DRF's JSON parser, refusing JSON nested deeper than any record as bad input (400)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if nests_too_deep(data):
            raise ParseError(TOO_DEEP)
        return data


def _refuse_if_cut_short(received: int, parser_context) -> None:
    """A client that went away while sending leaves a body shorter than it announced, which may
    end between two lines or two files and read as a smaller submission: it is refused whole."""
    request = (parser_context or {}).get("request")
    announced = request.META.get("CONTENT_LENGTH", "") if request is not None else ""
    if announced.isdigit() and received < int(announced):
        raise ParseError(CUT_SHORT.format(received=received, announced=int(announced)))


class _Counted:
    """A request stream that counts the bytes read from it."""

    def __init__(self, stream):
        self.stream, self.received = stream, 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.received += len(chunk)
        return chunk


class SubmissionMultiPartParser(MultiPartParser):
    """DRF's multipart parser, refusing a body cut short: Django's keeps the files that came
    whole and drops the one cut off."""

    def parse(self, stream, media_type=None, parser_context=None):
        counted = _Counted(stream)
        parsed = super().parse(counted, media_type, parser_context)
        _refuse_if_cut_short(counted.received, parser_context)
        return parsed


class NdjsonParser(BaseParser):
    """The body as it came, for the intake importer to read (``intake.ndjson``). It is read from
    the stream, not through Django's ``request.body``, whose size limit is meant for forms."""

    media_type = "application/x-ndjson"

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:
        content = stream.read(MAX_FILE_BYTES + 1)
        if len(content) > MAX_FILE_BYTES:
            raise SubmissionTooLarge()
        _refuse_if_cut_short(len(content), parser_context)
        return content
