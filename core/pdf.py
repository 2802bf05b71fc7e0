"""PDFs made on the server with WeasyPrint, from our own HTML and our own static files only.

A PDF of a young person's page must never make a request to anyone (DOMAIN: no third-party
requests), and the page is rendered inside the request with the reader's rights: so WeasyPrint gets
a fetcher that reads files under the app's static folder from disk and refuses every other URL
(http, https, file, data, ...). It is imported when the first PDF is made: WeasyPrint loads Pango
then, and the rest of the app runs on a machine without it."""
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app

# The address the HTML is read as: `url_for('static', ...)` ("/static/...") resolves under it and so
# reaches the fetcher, which serves it from disk. `.invalid` can never be a real host (RFC 2606).
BASE_URL = "https://stemme.invalid/"


class Refused(Exception):
    """A URL the PDF may not load."""


def static_file(url: str, static_folder: str, static_path: str = "/static") -> Path:
    """The file under `static_folder` that `url` names, or Refused for anything else: another host,
    another scheme, a path outside the folder (`..`), or a file that is not there."""
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    prefix = static_path.rstrip("/") + "/"
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not parts.path.startswith(prefix):
        raise Refused(f"not one of our static files: {url}")
    root = Path(static_folder).resolve()
    path = (root / unquote(parts.path[len(prefix):])).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise Refused(f"not one of our static files: {url}")
    return path


def fetcher(refused: list[str] | None = None):
    """A WeasyPrint URL fetcher that serves the app's static files from disk and nothing else;
    each refused URL is added to `refused` (when given)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    static_folder, static_path = current_app.static_folder, current_app.static_url_path

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            try:
                path = static_file(url, static_folder, static_path)
            except Refused:
                if refused is not None:
                    refused.append(url)
                raise
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": kind})

    return StaticOnly(allowed_protocols=["https"])


def from_html(html: str, refused: list[str] | None = None) -> bytes:
    """The PDF of `html` (a whole document), with our static files and nothing else."""
    from weasyprint import HTML

    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher(refused)).write_pdf()
