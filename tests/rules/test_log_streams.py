"""Lambda's log group and stream names (rules/log_streams.py): AWS's format, read back to their environment."""

from datetime import UTC, datetime

from invocations.rules.log_streams import group_function, group_name, parse_stream, stream_name

DEC_3 = datetime(2026, 12, 3, 23, 59, 59, tzinfo=UTC).timestamp()


def test_a_stream_is_named_by_date_version_and_32_hex_digits():
    name = stream_name(function="checkout", version="$LATEST", env_id=42, first_at=DEC_3)
    assert name.startswith("2026/12/03/[$LATEST]") and len(name) == len("2026/12/03/[$LATEST]") + 32
    assert stream_name(function="checkout", version="3", env_id=42, first_at=DEC_3).startswith("2026/12/03/[3]")
    assert stream_name(function="checkout", version="3", env_id=42, first_at=DEC_3 + 1).startswith("2026/12/04/[3]")


def test_a_name_reads_back_to_its_environment_only_for_its_own_function_and_version():
    env_id = (215_000_000 << 22) + 17  # a host run's id (runtime/redis_store/state.py)
    name = stream_name(function="checkout", version="3", env_id=env_id, first_at=DEC_3)
    parsed = parse_stream("checkout", name)
    assert (parsed.date, parsed.version, parsed.env_id) == ("2026/12/03", "3", env_id)
    assert parse_stream("orders", name) is None  # another function's
    assert parse_stream("checkout", name.replace("[3]", "[4]")) is None  # another version's
    assert parse_stream("checkout", name[:-1] + ("1" if name[-1] == "0" else "0")) is None  # a typo
    assert parse_stream("checkout", "2026/12/03/[3]xyz") is None
    other = stream_name(function="checkout", version="3", env_id=env_id + 1, first_at=DEC_3)
    assert other[-32:-16] != name[-32:-16]  # neighbouring environments do not look alike


def test_log_groups_are_aws_lambda_and_the_function_name():
    assert group_name("checkout") == "/aws/lambda/checkout"
    assert group_function("/aws/lambda/checkout") == "checkout"
    assert group_function("/aws/lambda/") is None and group_function("/aws/ecs/checkout") is None
