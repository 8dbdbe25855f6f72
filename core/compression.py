"""Compression of public pages when gunicorn serves them without a proxy in front.

BREACH recovers a secret from a compressed response by watching its size change while
the attacker reflects guesses into the same response. A page can only leak what it
holds: so only responses that hold no secret are compressed, namely the `@public_page`
views' answers to anonymous readers (the same bytes for every anonymous reader; what
the page cache stores; search results among them: a reflected query beside no secret
leaks nothing) and the `@compressible` views' (pages not cached, such as the open data
page, that hold no secret for an anonymous reader either), and only when the view did
not put a CSRF token in the page or set a cookie. Everything else (the admin, /profile/, forms
with a CSRF token, signed-in readers) goes out uncompressed; behind a proxy, the proxy
decides (docs/operations.md).
"""

import functools

from django.middleware.gzip import GZipMiddleware


def compressible(view):
    """Mark a view whose answers to anonymous readers hold no secret (no CSRF token, no
    cookie: the middleware still checks both), though they are not cached public pages."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.compressible = True
        return response

    return wrapped


class PublicPageGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, for anonymous public pages without a secret only."""

    # Django pads each gzip body with up to 100 random bytes to slow down a BREACH-style
    # guess at a secret; these bodies hold none and are the same for every reader.
    max_random_bytes = 0

    def process_response(self, request, response):
        # A kept answer rewritten on each hit (core.cache: OAI-PMH's time of response)
        # is kept and sent uncompressed: compressed, it could not be rewritten.
        if getattr(response, "on_hit", None) or not self.holds_no_secret(request, response):
            return response
        return super().process_response(request, response)

    @staticmethod
    def holds_no_secret(request, response):
        user = getattr(request, "user", None)
        return (
            (getattr(response, "public_page", False) or getattr(response, "compressible", False))
            and user is not None
            and not user.is_authenticated
            # get_token() was called: the page (or a header) carries a CSRF token.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not response.cookies
        )
