"""boto3 CodeDeploy clients on the real wire, in each protocol botocore's codedeploy model lists.

botocore resolves json (awsJson1_1) for CodeDeploy today, though the model lists smithy-rpc-v2-cbor first; to
speak CBOR, a client loads the same model with only that protocol listed, from a folder put first on its loader's
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

MODEL_DIR = Path(botocore.__file__).parent / "data" / "codedeploy"


def model_folder(base: Path, protocol: str) -> Path:
    (version,) = [p.name for p in MODEL_DIR.iterdir() if p.is_dir()]
    folder = base / f"codedeploy-{protocol}"
    target = folder / "codedeploy" / version / "service-2.json"
    if not target.exists():
        model = json.loads(gzip.decompress((MODEL_DIR / version / "service-2.json.gz").read_bytes()))
        model["metadata"]["protocols"] = [protocol]
        model["metadata"]["protocol"] = protocol
        target.parent.mkdir(parents=True)
        target.write_text(json.dumps(model))
    return folder


def codedeploy_client(endpoint_url: str, *, protocol: str | None = None, models: Path | None = None, validate=True):
    session = botocore.session.get_session()
    if protocol is not None:
        assert models is not None
        session.get_component("data_loader").search_paths.insert(0, str(model_folder(models, protocol)))
    client = boto3.session.Session(botocore_session=session).client(
        "codedeploy",
        endpoint_url=endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET_ACCESS_KEY,
        config=Config(retries={"total_max_attempts": 1}, parameter_validation=validate),
    )
    assert client.meta.service_model.resolved_protocol == (protocol or "json")
    return client
