import logging
import re
import time


class UTCFormatter(logging.Formatter):
    """ISO 8601 times in UTC, whatever the server's zone."""

    converter = time.gmtime

    def formatTime(self, record, datefmt=None):
        return time.strftime("%Y-%m-%dT%H:%M:%S", self.converter(record.created)) + (
            f".{int(record.msecs):03d}Z"
        )


# Secret parts of URLs: an invitation's token, a password reset link's token.
_SECRET_URL_PARTS = [
    (re.compile(r"(/accounts/invitation/)[^/\s'\"]+"), r"\1<token>"),
    (re.compile(r"(/accounts/reset/)[^/\s'\"]+/[^/\s'\"]+"), r"\1<uid>/<token>"),
]


def redact_secrets(text):
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
