"""Every upload to the service, size-checked before a byte of it is read and kept in memory.

Django parses a multipart body when a view (or the CSRF check) first reads ``request.POST``,
writing files over 2.5 MB to a temporary file. This middleware runs first: a request whose
declared length is over ``ONEBUDGET_MAX_UPLOAD_BYTES`` is refused with a 413 page before its
body is read, and every other upload is read into memory (``InMemoryUpload``), so nothing an
upload holds is ever left on disk, whichever page took it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class InMemoryUpload(MemoryFileUploadHandler):
    """Django writes uploads over 2.5 MB to a temporary file; this keeps every upload in
    memory instead. The middleware has refused any request declared over the size limit,
    and Django reads no more of a body than it declares."""

    def handle_raw_input(self, *args: Any, **kwargs: Any) -> None:
        self.activated = True


def too_large(limit: int) -> str:
    return (
        f"The file is too large: the most that can be uploaded is {limit / 1024 / 1024:g} MB. "
        "Choose a smaller file, or split it into more than one."
    )


class UploadLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.content_type == "multipart/form-data":
            limit = settings.ONEBUDGET_MAX_UPLOAD_BYTES
            if _length(request) > limit:
                context = {"errors": [too_large(limit)], "back": request.path}
                return render(request, "upload_too_large.html", context, status=413)
            request.upload_handlers = [InMemoryUpload(request)]
        return self.get_response(request)


def _length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def upload_text(upload: UploadedFile[bytes], *, what: str, limit: int) -> str:
    """An uploaded text file (YAML, JSON) whole: refused, naming the file, if it is over
    ``limit`` bytes or not UTF-8. Never cut short, never read with replacement characters:
    either would load something other than what the person sent."""
    name = upload.name or "the file"
    if (upload.size or 0) > limit:  # Django sizes every upload it parses
        raise ValidationError(
            [f"{name}: larger than {limit / 1024 / 1024:g} MB; {what} is smaller"]
        )
    try:
        return str(upload.read().decode("utf-8"))
    except UnicodeDecodeError:
        raise ValidationError([f"{name}: not UTF-8 text: {what} is text"]) from None


def chosen_yaml(request: HttpRequest, *, what: str, limit: int) -> tuple[str, str]:
    """The YAML file a form's ``file`` field sent, as its name and text (see ``upload_text``);
    the GOV.UK error "Choose ..." when no file was chosen. ``what`` is "scenario", say."""
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError([f"Choose the {what}'s file (.yaml)"])
    text = upload_text(upload, what=f"a {what} (YAML)", limit=limit)
    return upload.name or f"{what}.yaml", text


@contextmanager
def on_disk(name: str, content: bytes) -> Iterator[Path]:
    """An upload as a file, for a library reader that wants a path: in a private temporary
    folder, named with the person's file's suffix (the reader goes by it), removed on leaving."""
    with tempfile.TemporaryDirectory(prefix="onebudget-upload-") as folder:
        path = Path(folder) / f"upload{Path(name).suffix.lower()}"
        path.write_bytes(content)
        yield path
