"""Drawing a PDF from an HTML document with WeasyPrint, for every app that prints something.

Documents carry their styles inside and draw charts as inline SVG, so WeasyPrint is given a
fetcher that refuses every URL: drawing a PDF never makes a request, local or remote.
"""


class PdfUnavailable(Exception):
    """WeasyPrint's system libraries are missing; the message says which to install."""


def html_to_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, and a server without it should still
    # serve every page and say plainly why the PDFs are missing.
    try:
        from weasyprint import HTML, URLFetcher
    except OSError as error:
        raise PdfUnavailable(
            "PDF reports need the Pango and HarfBuzz libraries on the server (Debian: apt-get "
            "install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)."
        ) from error
    fetch_nothing = URLFetcher(allowed_protocols=frozenset())
    return HTML(string=html, url_fetcher=fetch_nothing).write_pdf()
