"""Request bodies the API reads besides JSON: NDJSON submissions, one exchange record a line."""

from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.parsers import BaseParser

from beyondraid.intake.importing import MAX_FILE_BYTES


class SubmissionTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = (
        f"The submission is larger than {MAX_FILE_BYTES // 2**20} MB; split it into several, "
        "whole operations in each."
    )
    default_code = "too_large"


class NdjsonParser(BaseParser):
    """The body as it came, for the intake importer to read (``intake.ndjson``). It is read from
    the stream, not through Django's ``request.body``, whose size limit is meant for forms."""

    media_type = "application/x-ndjson"

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:
        content = stream.read(MAX_FILE_BYTES + 1)
        if len(content) > MAX_FILE_BYTES:
            raise SubmissionTooLarge()
        return content
