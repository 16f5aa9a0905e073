"""Compressed responses: the dashboard's JavaScript, styles and callback answers travel gzipped
(or as zstd or brotli, whichever the browser asks for first), with flask-compress.

A first visit to the overview fetches some 8.9 MB of JavaScript, CSS and JSON; compressed it is
about a quarter of that. HTML pages are sent as they are: the login page holds the form token
beside the ``next`` address from the request, the mix that a compression side channel (BREACH)
reads secrets from, and the pages are small anyway. Callback answers (JSON) cannot be requested
from another site (see :mod:`dashboards.app`: a browser's cross-site POST is refused, and JSON
needs a CORS preflight that is never allowed), so they are compressed too.

A response sent as a stream goes as it is: flask-compress would drop a streamed file unclosed.
(Under waitress the files of ``/assets/`` are no stream, and are compressed; under a WSGI server
without a file wrapper of its own they would be sent as they are: 6 kB.)
"""

from flask import Flask
from flask_compress import Compress

__all__ = ["COMPRESSED_TYPES", "compress_responses"]

#: The content types sent compressed (see the module's text for why HTML is not among them)
COMPRESSED_TYPES = (
    "text/javascript",
    "application/javascript",
    "text/css",
    "application/json",
    "image/x-icon",  # Dash's favicon: 15 kB, fetched on every first visit
)


def compress_responses(server: Flask) -> None:
    """Compress the responses of ``server`` of :data:`COMPRESSED_TYPES` (500 bytes or more, not
    streamed)."""
    server.config["COMPRESS_MIMETYPES"] = list(COMPRESSED_TYPES)
    server.config["COMPRESS_STREAMS"] = False
    Compress(server)
