"""A published version is immutable: the model refuses to save changes to it (semantics §4)."""

import pytest

from invocations.errors import ResourceConflictException
from invocations.models import Version
from tests.factories import make_function, make_versions

pytestmark = pytest.mark.django_db


# semantics §4
def test_saving_a_changed_published_version_is_refused_and_the_row_keeps_its_values():
    (version,) = make_versions(make_function(), 0.1)
    version.memory_size = 2048
    with pytest.raises(ResourceConflictException):
        version.save()
    assert Version.objects.get(pk=version.pk).memory_size == 128


# semantics §4
def test_a_bulk_update_of_versions_is_refused():
    make_versions(make_function(), 0.1)
    with pytest.raises(ResourceConflictException):
        Version.objects.update(timeout=30)
    assert list(Version.objects.values_list("timeout", flat=True)) == [3]


def test_a_version_shows_its_number_and_qualified_arn():
    (version,) = make_versions(make_function("checkout"), 0.1)
    assert str(version) == "checkout:1"
    assert version.version == "1"
    assert version.arn == "arn:aws:lambda:us-east-1:123456789012:function:checkout:1"
