"""Invitation and password reset tokens never reach a log: Django's nor gunicorn's."""

import datetime
import io
import logging
import logging.config
import types

import pytest
from django.conf import settings
from gunicorn.config import Config

from core.logging import RedactingGunicornLogger, RedactSecretsFilter, redact_secrets

INVITATION = "/accounts/invitation/s3cr3t-Invitation_Token/"
RESET = "/accounts/reset/MQ/cr4f7-s3cr3t-reset/"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"GET {INVITATION} HTTP/1.1", "GET /accounts/invitation/<token>/ HTTP/1.1"),
        (f"GET /fr{RESET} HTTP/1.1", "GET /fr/accounts/reset/<uid>/<token>/ HTTP/1.1"),
        ("/accounts/login/?next=%2Faccounts%2Finvitation%2Fs3cr3t%2F",
         "/accounts/login/?next=%2Faccounts%2Finvitation%2F<token>%2F"),
        ("https://jli.example.org/accounts/reset/MQ/cr4f7-s3cr3t?x=1",
         "https://jli.example.org/accounts/reset/<uid>/<token>?x=1"),
        # What carries no secret is left alone.
        ("GET /accounts/reset/done/ HTTP/1.1", "GET /accounts/reset/done/ HTTP/1.1"),
        ("GET /publications/ HTTP/1.1", "GET /publications/ HTTP/1.1"),
    ],
)  # fmt: skip
def test_redact_secrets_masks_tokens_only(text, expected):
    assert redact_secrets(text) == expected


def test_every_configured_handler_masks_tokens_from_any_logger():
    """A record from a logger the project never names (a library's) still reaches the
    console without the token: the filter is on the handlers, not only on some loggers."""
    stream = io.StringIO()
    config = {**settings.LOGGING, "disable_existing_loggers": False}
    handlers = {
        name: {**handler, "class": "logging.StreamHandler", "stream": stream}
        for name, handler in settings.LOGGING["handlers"].items()
    }
    for handler in handlers.values():
        assert "redact_secrets" in handler["filters"]
    logging.config.dictConfig({**config, "handlers": handlers})
    try:
        logging.getLogger("some.library").warning("Not Found: %s", INVITATION)
        logging.getLogger("django.request").warning("Not Found: %s", RESET)
        logging.getLogger("jli.security").info("event=x path=%s", INVITATION)
    finally:
        logging.config.dictConfig(settings.LOGGING)
    written = stream.getvalue()
    assert "s3cr3t" not in written
    assert written.count("<token>") == 3


def test_redact_filter_changes_only_records_with_a_secret():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "plain %s", ("text",), None)
    assert RedactSecretsFilter().filter(record)
    assert (record.msg, record.args) == ("plain %s", ("text",))


def test_gunicorn_access_log_masks_tokens_in_the_request_line_path_and_referrer():
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", '%(h)s "%(r)s" %(s)s "%(f)s" %(U)s %(q)s {referer}i')
    log = RedactingGunicornLogger(cfg)
    stream = io.StringIO()
    for handler in log.access_log.handlers:
        handler.stream = stream
    request = types.SimpleNamespace(
        method="GET",
        path=INVITATION,
        query="next=%2Faccounts%2Freset%2FMQ%2Fs3cr3t-too%2F",
        uri=INVITATION,
        version=(1, 1),
        headers=[("REFERER", "https://jli.example.org" + RESET)],
    )
    response = types.SimpleNamespace(status="200 OK", sent=10, headers=[], status_code=200)
    environ = {
        "REMOTE_ADDR": "192.0.2.1",
        "REQUEST_METHOD": "GET",
        "PATH_INFO": INVITATION,
        "RAW_URI": f"{INVITATION}?{request.query}",
        "QUERY_STRING": request.query,
        "HTTP_REFERER": "https://jli.example.org" + RESET,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    log.access(response, request, environ, datetime.timedelta(seconds=0.01))
    written = stream.getvalue()
    assert written.strip(), "gunicorn wrote no access log line"
    assert "s3cr3t" not in written
    assert "/accounts/invitation/<token>/" in written
    assert "/accounts/reset/<uid>/<token>/" in written


def test_gunicorn_conf_names_the_redacting_logger():
    namespace = {}
    source = (settings.BASE_DIR / "gunicorn.conf.py").read_text()
    exec(compile(source, "gunicorn.conf.py", "exec"), namespace)  # noqa: S102 (our own file)
    assert namespace["logger_class"] == "core.logging.RedactingGunicornLogger"
