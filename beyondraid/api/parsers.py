"""Request bodies the API reads: JSON records, and NDJSON submissions, one exchange record a line.

Neither may nest lists and objects deeply. A record of the standard nests three levels at most
(an operation, its list of participants, each participant), while Python's JSON decoder, and the
``repr`` of a value in an error message, recurse once per level: JSON nested a thousand levels
deep would end in a ``RecursionError``, a server error, instead of an answer about the input.
"""

import json
from pathlib import PurePath

from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import BaseParser, JSONParser

from beyondraid.intake.importing import MAX_FILE_BYTES, SourceFile
from beyondraid.intake.ndjson import SUFFIXES as NDJSON_SUFFIXES
from beyondraid.standard.loading import Problem

# Ten times what any record needs; no level of a valid record comes near it.
MAX_DEPTH = 30
TOO_DEEP = (
    f"The JSON nests lists and objects more than {MAX_DEPTH} levels deep; a record of the "
    "standard needs three at most."
)


class SubmissionTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = (
        f"The submission is larger than {MAX_FILE_BYTES // 2**20} MB; split it into several, "
        "whole operations in each."
    )
    default_code = "too_large"


def _nests_too_deep(value) -> bool:
    """Whether a decoded JSON value nests deeper than ``MAX_DEPTH``, found without recursion."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > MAX_DEPTH:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


def _line_nests_too_deep(line: str) -> bool:
    if line.count("[") + line.count("{") <= MAX_DEPTH:
        return False  # too few brackets to nest that deep: most lines, known without decoding
    try:
        return _nests_too_deep(json.loads(line))
    except RecursionError:
        return True
    except ValueError:
        return False  # not JSON at all: the importer says what is wrong with the line


def _lines_nesting_too_deep(content: bytes) -> list[int]:
    if content.count(b"[") + content.count(b"{") <= MAX_DEPTH:
        return []
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return []  # the importer says the file is not UTF-8 text
    lines = enumerate(text.splitlines(), start=1)
    return [number for number, line in lines if _line_nests_too_deep(line)]


def ndjson_nesting_too_deep(files: list[SourceFile]) -> list[Problem]:
    """A problem for each line of the submission's NDJSON files that nests deeper than
    ``MAX_DEPTH``, numbered as the importer numbers lines (``intake.ndjson``): such a line is
    refused before anything decodes it whole."""
    return [
        Problem(source.name, number, (), TOO_DEEP)
        for source in files
        if PurePath(source.name).suffix.lower() in NDJSON_SUFFIXES
        for number in _lines_nesting_too_deep(source.content)
    ]


class JsonParser(JSONParser):
    """DRF's JSON parser, refusing JSON nested deeper than any record as bad input (400)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if _nests_too_deep(data):
            raise ParseError(TOO_DEEP)
        return data


class NdjsonParser(BaseParser):
    """The body as it came, for the intake importer to read (``intake.ndjson``). It is read from
    the stream, not through Django's ``request.body``, whose size limit is meant for forms."""

    media_type = "application/x-ndjson"

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:
        content = stream.read(MAX_FILE_BYTES + 1)
        if len(content) > MAX_FILE_BYTES:
            raise SubmissionTooLarge()
        return content
