"""S3 and SNS notification events (async invokes) in the shapes of semantics §3, for the runtime to send."""

from __future__ import annotations

import hashlib
from typing import Any

from .payloads import iso_ms


def s3_event(
    bucket: str,
    key: str,
    *,
    size: int,
    at: float,
    region: str = "us-east-1",
    event_name: str = "ObjectCreated:Put",
    etag: str | None = None,
    sequencer: str | None = None,
    request_id: str = "C3D13FE58DE4C810",
) -> dict[str, Any]:
    """`at` is an epoch timestamp (seconds)."""
    etag = etag or hashlib.md5(f"{bucket}/{key}/{size}".encode()).hexdigest()
    sequencer = sequencer or f"{int(at * 1000):016X}"
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": region,
                "eventTime": iso_ms(at),
                "eventName": event_name,
                "userIdentity": {"principalId": "AWS:AIDAINPONIXQXHT3IKHL2"},
                "requestParameters": {"sourceIPAddress": "127.0.0.1"},
                "responseElements": {
                    "x-amz-request-id": request_id,
                    "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD",
                },
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "lambdaviz-notification",
                    "bucket": {
                        "name": bucket,
                        "ownerIdentity": {"principalId": "A3NL1KOZZKExample"},
                        "arn": f"arn:aws:s3:::{bucket}",
                    },
                    "object": {"key": key, "size": size, "eTag": etag, "sequencer": sequencer},
                },
            }
        ]
    }


def sns_event(
    topic_arn: str,
    message: str,
    *,
    message_id: str,
    at: float,
    subject: str | None = None,
    message_attributes: dict | None = None,
    subscription_id: str = "2bcfbf39-05c3-41de-beaa-fcfcc21c8f55",
) -> dict[str, Any]:
    """`at` is an epoch timestamp (seconds); attributes use SNS's {"Name": {"Type", "Value"}} form."""
    return {
        "Records": [
            {
                "EventVersion": "1.0",
                "EventSubscriptionArn": f"{topic_arn}:{subscription_id}",
                "EventSource": "aws:sns",
                "Sns": {
                    "SignatureVersion": "1",
                    "Timestamp": iso_ms(at),
                    "Signature": "EXAMPLE",
                    "SigningCertUrl": "EXAMPLE",
                    "MessageId": message_id,
                    "Message": message,
                    "MessageAttributes": dict(message_attributes or {}),
                    "Type": "Notification",
                    "UnsubscribeUrl": "EXAMPLE",
                    "TopicArn": topic_arn,
                    "Subject": subject,
                },
            }
        ]
    }
