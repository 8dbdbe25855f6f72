import logging
import time


class UTCFormatter(logging.Formatter):
    """ISO 8601 times in UTC, whatever the server's zone."""

    converter = time.gmtime

    def formatTime(self, record, datefmt=None):
        return time.strftime("%Y-%m-%dT%H:%M:%S", self.converter(record.created)) + (
            f".{int(record.msecs):03d}Z"
        )
