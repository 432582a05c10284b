"""PDFs from Django templates with WeasyPrint.

`render_pdf` renders a template to HTML and prints it. Stylesheets and images
(`{% static %}` URLs) are read from disk, through the static files finders or
the collected files, never over the network: a PDF renders the same in a
Celery worker as in a request and needs no running server, and a URL in the
document cannot make the server fetch anything else. The templates use plain
block layout (WeasyPrint's strength): tables and inline SVG, no JavaScript.

Every PDF is tagged PDF/UA-1: the quarterly status is published with the
committee's agenda, so it falls under the web accessibility act
(webtilgængelighedsloven), and the other PDFs are read with screen readers too.
WeasyPrint builds the structure tree from the HTML, so the templates must give it
something to build from: `<html lang>` (the PDF's /Lang), a `<title>` (its title),
real h1–h3, `<th scope>` header cells, and a `<title>` in each inline SVG chart
(its alternative text). tests/test_pdfs.py checks every kind.

`pdf_response` sends a PDF as a download with a Danish file name that names no
child: file names end up in download folders and logs.
"""

from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from weasyprint import HTML
from weasyprint.urls import URLFetcher

STATIC_PREFIX = "/" + settings.STATIC_URL.strip("/") + "/"


def _static_file(name: str) -> Path | None:
    found = finders.find(name)
    if found:
        return Path(found)
    try:  # a hashed name from the manifest storage, in STATIC_ROOT
        path = Path(staticfiles_storage.path(name))
    except NotImplementedError:
        return None
    return path if path.is_file() else None


class StaticFilesFetcher(URLFetcher):
    """Fetch /static/… from disk and data: URLs; refuse everything else."""

    def fetch(self, url: str, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parsed = urlparse(url)
        if parsed.scheme == "file" and parsed.path.startswith(STATIC_PREFIX):
            path = _static_file(unquote(parsed.path[len(STATIC_PREFIX) :]))
            if path is not None:
                return super().fetch(path.as_uri(), headers)
        raise ValueError(f"render_pdf fetches only static files, not {url!r}")


def render_pdf(template: str, context: dict, *, request: HttpRequest | None = None) -> bytes:
    """The template rendered as a PDF document (its <title> is the PDF's title)."""
    html = render_to_string(template, context, request=request)
    document = HTML(string=html, base_url="file:///", url_fetcher=StaticFilesFetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT)


# Tagged, with /Lang, a title shown as the window title, and the PDF/UA metadata.
PDF_VARIANT = "pdf/ua-1"


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """The PDF as a download (not opened in the app's tab), named `filename`."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response
