"""gunicorn's logger for ``beyondraid serve`` (its ``logger_class``): no client address in the
access or the error log, and no access line for the reporting pages (``traceless``).

gunicorn's own warning for a malformed request names the address outright ("Invalid request
from ip=203.0.113.7: …", ``gunicorn.workers.base.Worker.handle_error``), and the text of some of
those errors quotes it again (a bad PROXY line, a forbidden proxy request): the filter on both
logs removes them.
"""

from gunicorn import glogging

from .traceless import NoClientAddresses, reporting_pages


class GunicornLogger(glogging.Logger):
    """gunicorn's logger, keeping no address and nothing of the reporting pages in its access
    log, and no address in its error log."""

    # The only fields an access line may use: when, what was asked, the answer and its size,
    # and how long it took. An address, a referrer, a browser, any header or environment variable
    # is not among them, so a format that asks for one gets "-".
    ACCESS_FIELDS = ("t", "r", "m", "U", "q", "H", "s", "b", "B", "T", "D", "M", "L", "p")

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if not any(isinstance(item, NoClientAddresses) for item in handler.filters):
                    handler.addFilter(NoClientAddresses())

    def atoms(self, resp, req, environ, request_time):
        every = super().atoms(resp, req, environ, request_time)
        return {name: every[name] for name in self.ACCESS_FIELDS if name in every}

    def access(self, resp, req, environ, request_time):
        if environ.get("PATH_INFO", "").startswith(reporting_pages()):
            return
        super().access(resp, req, environ, request_time)
