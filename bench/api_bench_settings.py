"""The project's settings, serving the bench's urlconf as well (``bench/api_bench_urls.py``).

Only ``bench/api_bench.py`` uses this module, for the server it starts: the minimal endpoint it
compares single-record writes with lives in the bench, never in the product.
"""

from beyondraid.settings import *  # noqa: F403 - every project setting, unchanged but one

ROOT_URLCONF = "bench.api_bench_urls"
