"""boto3 CloudWatch clients on the real wire, in each protocol botocore's cloudwatch model lists.

botocore picks the first protocol of its own priority list that the model names (json today); to speak CBOR or
query, a client loads the same model with only that protocol listed, from a folder put first on its loader's
search path. Everything else (serializers, parsers, signing) is botocore's own."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import boto3
import botocore
import botocore.session
from botocore.config import Config

from .conftest import ACCESS_KEY_ID, SECRET_ACCESS_KEY

MODEL = Path(botocore.__file__).parent / "data" / "cloudwatch" / "2010-08-01" / "service-2.json.gz"


def model_folder(base: Path, protocol: str) -> Path:
    folder = base / protocol
    target = folder / "cloudwatch" / "2010-08-01" / "service-2.json"
    if not target.exists():
        model = json.loads(gzip.decompress(MODEL.read_bytes()))
        model["metadata"]["protocols"] = [protocol]
        model["metadata"]["protocol"] = protocol
        target.parent.mkdir(parents=True)
        target.write_text(json.dumps(model))
    return folder


def cloudwatch_client(endpoint_url: str, *, protocol: str | None = None, models: Path | None = None, validate=True):
    session = botocore.session.get_session()
    if protocol is not None:
        assert models is not None
        session.get_component("data_loader").search_paths.insert(0, str(model_folder(models, protocol)))
    client = boto3.session.Session(botocore_session=session).client(
        "cloudwatch",
        endpoint_url=endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET_ACCESS_KEY,
        config=Config(retries={"total_max_attempts": 1}, parameter_validation=validate),
    )
    wanted = protocol or "json"
    assert client.meta.service_model.resolved_protocol == wanted
    return client
