"""Uploaded files of records, served by views that apply the record's visibility.

A cover, a photo, a logo or a PDF belongs to a record (a publication, a person, a
funder): whoever may not see the record may not fetch its file either. So pages never
link to `/media/...`: they link to a view of the record's app
(`/publications/<slug>/cover/`, `/people/<slug>/photo/`, ...) that finds the record the
way its page does (404 when hidden), then answers with `serve_file`:

- `MEDIA_ACCEL_REDIRECT=true` (production behind nginx): an empty answer whose
  `X-Accel-Redirect` header tells nginx to send the file from its `internal` /media/
  location (docs/operations.md); the proxy sends it, the app only decides.
- otherwise (development, simple deployments): the app streams the file itself.

Files of published records may be cached by browsers and shared caches for a while;
those of unpublished records (a staff preview) are never stored.
"""

import hashlib
import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

from core.security import media_headers

# Published records' files: their URL stays when the file is replaced, so not for ever.
PUBLIC_MAX_AGE = 3600


def serve_file(file, *, public, filename=None, as_attachment=False, content_type=None):
    """The answer that sends `file` (a stored FieldFile or imagekit cache file).

    `public`: the record is visible to everyone (the answer may be cached);
    `filename`: the name offered for saving (default: the stored name's last part).
    """
    name = file.name
    content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if settings.MEDIA_ACCEL_REDIRECT:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_URL + quote(name)
    else:
        response = FileResponse(
            file.storage.open(name, "rb"),
            as_attachment=as_attachment,
            filename=filename or name.rsplit("/", 1)[-1],
            content_type=content_type,
        )
    media_headers(response, name)
    if as_attachment:
        response["Content-Disposition"] = content_disposition_header(
            True, filename or name.rsplit("/", 1)[-1]
        )
    # Stored names are random and never reused: the name identifies the content.
    response["ETag"] = f'"{hashlib.sha256(name.encode()).hexdigest()[:32]}"'
    if public:
        response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    else:
        response["Cache-Control"] = "private, no-store"
    return response
