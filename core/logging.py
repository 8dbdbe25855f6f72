"""Log formatting and redaction shared by Django's logging and gunicorn's access log."""

import logging
import re
import time

from gunicorn import glogging


class UTCFormatter(logging.Formatter):
    """ISO 8601 times in UTC, whatever the server's zone."""

    converter = time.gmtime

    def formatTime(self, record, datefmt=None):
        return time.strftime("%Y-%m-%dT%H:%M:%S", self.converter(record.created)) + (
            f".{int(record.msecs):03d}Z"
        )


# Secret parts of URLs: an invitation's token, a password reset link's token. A slash
# may be percent-encoded (such a URL carried in a query string, `?next=...`).
_SLASH = r"(?:/|%2f)"
_PART = r"(?:(?!%2f)[^/\s'\"?&#])+"
_SECRET_URL_PARTS = [
    (
        re.compile(rf"({_SLASH}accounts{_SLASH}invitation{_SLASH}){_PART}", re.IGNORECASE),
        r"\1<token>",
    ),
    (
        re.compile(rf"({_SLASH}accounts{_SLASH}reset{_SLASH}){_PART}({_SLASH}){_PART}", re.I),
        r"\1<uid>\2<token>",
    ),
]


def redact_secrets(text):
    """`text` with the tokens of invitation and password reset URLs masked."""
    for pattern, replacement in _SECRET_URL_PARTS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecretsFilter(logging.Filter):
    """Mask invitation and password reset tokens in a record (Django logs the path of a
    404, 410 or CSRF failure). On a logger, it changes the record for every handler."""

    def filter(self, record):
        message = record.getMessage()
        redacted = redact_secrets(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class RedactingGunicornLogger(glogging.Logger):
    """gunicorn's logger, with the same tokens masked in its access log.

    The access log line is made from "atoms" (request line, path, query, referrer and
    every header): each is redacted before the line is formatted, whatever
    `access_log_format` the deployment chooses. gunicorn.conf.py names this class.
    """

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact_secrets(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }
