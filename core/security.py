"""Headers on every response and the safe-redirect check."""
from urllib.parse import urlsplit

from flask import current_app, request, session

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
])


HSTS = "max-age=31536000; includeSubDomains"

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def set_security_headers(response):
    """CSP without inline scripts, no framing, no sniffing, no referrer; no caching behind login."""
    headers = response.headers
    for name, value in HEADERS.items():
        if name not in headers:
            headers.add(name, value)
    if current_app.config["STEMME_ENV"] == "production":
        # Browsers that have seen the site once never try it over plain HTTP again (nginx serves TLS).
        headers.setdefault("Strict-Transport-Security", HSTS)
    if request.path.startswith("/static/"):
        return response
    if "_user_id" in session:  # logged in (asked of the session: the user may be expired by a commit)
        # Shared phones: nothing a logged-in person saw may be kept by the browser or a proxy.
        headers["Cache-Control"] = "no-store"
        response.vary.add("Cookie")
    return response


def safe_next(target: str | None, fallback: str) -> str:
    """`target` if it is a path on this site, else `fallback` (no open redirects, and nothing that
    cannot be in a Location header: a CR or LF there would end the header)."""
    if not target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    return target
