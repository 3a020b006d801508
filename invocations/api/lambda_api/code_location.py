"""GetFunction's Code.Location: an expiring, HMAC-signed URL of the deployment package, served by this server.

AWS answers with a presigned S3 URL valid for 10 minutes; anyone holding it downloads the zip with a plain GET (no
SigV4). Here the URL carries a TimestampSigner token (SECRET_KEY's HMAC) naming the function, the version and the
CodeSha256 it was issued for: it cannot be forged or altered, expires after 10 minutes, and stops working when that
code is replaced (as the S3 object of old code is no longer the function's). Errors answer as S3 does, in XML.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from invocations.models import Function
from invocations.models.configuration import FunctionConfiguration
from invocations.selectors import QualifiedFunction

from .code import deployment_package

SALT = "invocations.code-location"
EXPIRES_S = 600  # AWS's presigned URL lasts 10 minutes (wall time: a download is not simulated)


def code_location(request: HttpRequest, qualified: QualifiedFunction) -> str:
    """The URL of the package of what `qualified` names ($LATEST, a version, or the version an alias points to)."""
    config = qualified.configuration
    version = qualified.version.number if qualified.version is not None else None
    token = signing.TimestampSigner(salt=SALT).sign_object(
        {"f": qualified.function.pk, "v": version, "s": config.code_sha256}
    )
    return request.build_absolute_uri(reverse("lambda-code-package", args=[token]))


@require_safe
def download_code(request: HttpRequest, token: str) -> HttpResponse:
    """The zip, for a valid and unexpired token of code that is still current; an S3-style XML error otherwise."""
    try:
        claims = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=EXPIRES_S)
    except signing.SignatureExpired:
        return _s3_error(403, "AccessDenied", "Request has expired")
    except signing.BadSignature:
        return _s3_error(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. "
            "Check your key and signing method.",
        )
    config = _configuration(claims)
    if config is None or config.code_sha256 != claims.get("s"):
        return _s3_error(404, "NoSuchKey", "The specified key does not exist.")
    return HttpResponse(deployment_package(config), content_type="application/zip")


def _configuration(claims: dict) -> FunctionConfiguration | None:
    function = Function.objects.filter(pk=claims.get("f")).first()
    if function is None or claims.get("v") is None:
        return function
    return function.versions.filter(number=claims["v"]).first()


def _s3_error(status: int, code: str, message: str) -> HttpResponse:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{escape(message)}</Message></Error>"
    )
    return HttpResponse(body, status=status, content_type="application/xml")
