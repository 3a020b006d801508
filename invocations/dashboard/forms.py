"""Validation of the dashboard's control bodies: Django forms whose errors become InvalidParameterValueException."""

from __future__ import annotations

import json
from typing import Any

from django import forms

from ..errors import InvalidParameterValueException, InvalidRequestContentException
from ..rules.json_input import PREFIX as JSON_PREFIX
from ..rules.json_input import parse_json
from ..services.traffic import KINDS, PATTERNS


def cleaned(form_class: type[forms.Form], data: dict[str, Any]) -> dict[str, Any]:
    """The form's cleaned data, or InvalidParameterValueException naming every refused field."""
    form = form_class(data={k: _as_text(v) for k, v in data.items()})
    if not form.is_valid():
        problems = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())
        raise InvalidParameterValueException(problems)
    return form.cleaned_data


def _as_text(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class JSONObjectField(forms.CharField):
    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if not value:
            return {}
        try:
            parsed = parse_json(value)
        except InvalidRequestContentException as error:
            raise forms.ValidationError(f"not JSON ({error.message.removeprefix(JSON_PREFIX)})") from None
        if not isinstance(parsed, dict):
            raise forms.ValidationError("must be a JSON object")
        return parsed


class AliasWeightForm(forms.Form):
    weight = forms.FloatField(min_value=0, max_value=100, help_text="Percent of traffic to the additional version.")


class AliasVersionsForm(forms.Form):
    function_version = forms.CharField(max_length=16)
    additional_version = forms.CharField(max_length=16, required=False)
    weight = forms.FloatField(min_value=0, max_value=100, required=False)


class PublishForm(forms.Form):
    description = forms.CharField(max_length=256, required=False)
    duration_mean_ms = forms.FloatField(min_value=0, max_value=900_000)
    duration_stddev_ms = forms.FloatField(min_value=0, max_value=900_000, required=False)
    init_ms = forms.FloatField(min_value=0, max_value=600_000)
    error_rate = forms.FloatField(min_value=0, max_value=1)
    timeout_rate = forms.FloatField(min_value=0, max_value=1)


class ReservedForm(forms.Form):
    reserved = forms.IntegerField(min_value=0, required=False, help_text="Empty removes the reservation.")


class ProvisionedForm(forms.Form):
    qualifier = forms.CharField(max_length=128)
    count = forms.IntegerField(min_value=0, max_value=100_000, help_text="0 removes the configuration.")


class EventInvokeConfigForm(forms.Form):
    qualifier = forms.CharField(max_length=128, required=False)
    maximum_retry_attempts = forms.IntegerField(min_value=0, max_value=2, required=False)
    maximum_event_age_in_seconds = forms.IntegerField(min_value=60, max_value=21_600, required=False)
    on_success = forms.CharField(max_length=350, required=False)
    on_failure = forms.CharField(max_length=350, required=False)


class TrafficStartForm(forms.Form):
    name = forms.SlugField(max_length=64)
    target = forms.CharField(max_length=350)
    kind = forms.ChoiceField(choices=[(k, k) for k in KINDS])
    pattern = forms.ChoiceField(choices=[(p, p) for p in PATTERNS], required=False)
    rate = forms.FloatField(min_value=0.001, max_value=100_000)
    payload = JSONObjectField(required=False, max_length=65_536)
    poison_share = forms.FloatField(min_value=0, max_value=1, required=False)
    group_id = forms.CharField(required=False)  # checked with SQS's wording by the traffic service
    groups = forms.IntegerField(min_value=0, max_value=1000, required=False)
    dedup_id = forms.CharField(required=False)


class TrafficStopForm(forms.Form):
    name = forms.CharField(max_length=64)


class TrafficBurstForm(forms.Form):
    target = forms.CharField(max_length=350)
    kind = forms.ChoiceField(choices=[(k, k) for k in KINDS])
    count = forms.IntegerField(min_value=1, max_value=10_000)
    payload = JSONObjectField(required=False, max_length=65_536)
    poison_share = forms.FloatField(min_value=0, max_value=1, required=False)
    group_id = forms.CharField(required=False)  # checked with SQS's wording by the traffic service
    groups = forms.IntegerField(min_value=0, max_value=1000, required=False)
    dedup_id = forms.CharField(required=False)


class QueueMessageForm(forms.Form):
    # Group and deduplication ids are checked by queue_message_send, which answers with SQS's own errors.
    queue = forms.CharField(max_length=350)
    body = forms.CharField(max_length=262_144, strip=False)
    group_id = forms.CharField(required=False, strip=False)
    dedup_id = forms.CharField(required=False, strip=False)


class StreamRecordForm(forms.Form):
    stream = forms.CharField(max_length=350)
    partition_key = forms.CharField(max_length=256)
    data = forms.CharField(max_length=1_048_576, strip=False)


class TopicPublishForm(forms.Form):
    # Empty or too long messages are left to topic_publish, which refuses them with SNS's own messages.
    topic = forms.CharField(max_length=350)
    message = forms.CharField(required=False, strip=False)
    subject = forms.CharField(max_length=100, required=False)
    attributes = JSONObjectField(required=False, max_length=65_536)


class BusEventForm(forms.Form):
    # A missing source or detail-type is left to event_bus_put_event, which answers as PutEvents does.
    bus = forms.CharField(max_length=350)
    source = forms.CharField(max_length=256, required=False)
    detail_type = forms.CharField(max_length=128, required=False)
    detail = JSONObjectField(required=False)


class ClockForm(forms.Form):
    factor = forms.FloatField(min_value=0.001, required=False)
    paused = forms.NullBooleanField(required=False)


class HistoryForm(forms.Form):
    seconds = forms.IntegerField(min_value=1, max_value=3600, required=False)


class QueueMessagesForm(forms.Form):
    arn = forms.CharField(max_length=350)
    limit = forms.IntegerField(min_value=1, max_value=50, required=False)
