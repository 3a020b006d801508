"""Version writes: PublishVersion and deleting a published version (semantics §4)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ..errors import InvalidParameterValueException, ResourceConflictException
from ..models import Function, Version
from ..models.configuration import VERSIONED_FIELDS
from .announcements import announce_on_commit
from .common import aws_write
from .functions import check_revision, function_update_code

# What a version copies from $LATEST besides the versioned fields.
_COPIED = (*VERSIONED_FIELDS, "description", "code_size")


@aws_write
def version_publish(
    *,
    function: Function,
    description: str | None = None,
    code_sha256: str | None = None,
    revision_id: str | None = None,
) -> Version:
    """Snapshot $LATEST as the next version number; with nothing changed since the last one, return that one."""
    function = Function.objects.select_for_update().get(pk=function.pk)
    check_revision(function.revision_id, revision_id)
    if code_sha256 is not None and code_sha256 != function.code_sha256:
        raise InvalidParameterValueException(
            f"CodeSHA256 ({code_sha256}) is different from current CodeSHA256 in $LATEST ({function.code_sha256}). "
            "Please try again with the CodeSHA256 in $LATEST."
        )
    last = function.versions.order_by("-number").first()
    unchanged = last is not None and last.versioned_state() == function.versioned_state()
    if unchanged and last.number == function.next_version_number - 1:
        # Nothing changed since the newest version: AWS hands it back (its description unchanged).
        return last
    version = Version(function=function, number=function.next_version_number)
    for field in _COPIED:
        setattr(version, field, getattr(function, field))
    if description is not None:
        version.description = description
    version.full_clean(exclude=["function"])
    version.save()
    # The counter never goes back; publishing also gives $LATEST a new RevisionId.
    function.next_version_number = version.number + 1
    function.save()
    return version


@aws_write
def version_delete(*, function: Function, number: int) -> None:
    """Delete one published version. Refused while an alias points at it; a missing version is a no-op: AWS answers
    DeleteFunction with an absent version Qualifier with 204 (measured on the live service, floci-io/floci#2824)."""
    version = function.versions.filter(number=number).first()
    if version is None:
        return
    aliases = sorted({alias.name for alias in [*version.aliases.all(), *version.routing_aliases.all()]})
    if aliases:
        raise ResourceConflictException(
            f"Unable to delete version because the following aliases reference it: [{', '.join(aliases)}]"
        )
    version.delete()


@transaction.atomic
def version_publish_with_profile(*, function: Function, description: str, profile: dict[str, Any]) -> Version:
    """The dashboard's publish form: put the edited behaviour profile on $LATEST (keeping its other keys), then
    publish it as a new version; every open dashboard redraws once it is committed."""
    current = dict(function.behaviour_profile or {})
    current.update(profile)
    function = function_update_code(function=function, behaviour_profile=current)
    version = version_publish(function=function, description=description or None)
    announce_on_commit("VersionPublished", function.name, version=version.version)
    return version
