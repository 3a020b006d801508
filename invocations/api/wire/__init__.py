"""The AWS wire protocols every JSON-or-CBOR service shares, driven by botocore's own service model: Smithy RPC v2
CBOR (service.py, codec.py), awsJson 1.0/1.1 with `X-Amz-Target` (codec.py) and query/XML (query.py). Each AWS
service under api/ binds them to its model with one `ServiceWire`."""
