"""``chatcomp export`` as users run it: the real command in a subprocess, against the local
server over HTTP, with completions made and read back by the official openai SDK.

What a user notices is checked: the lines (against what the SDK sent and lists), which
completions the filters pick and in which order, what stderr says, the exit status, and
that the API key shows nowhere.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai
import pytest

from pulumi_chatcomp._config import Settings
from pulumi_chatcomp.client import ChatCompletionsClient
from pulumi_chatcomp.client._client import IDEMPOTENCY_METADATA_KEY
from pulumi_chatcomp.server.testing import LocalServer

KEY = "sk-cli-export-0123456789abcdefghijKLMN"
WEATHER: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "unit": {"enum": ["c", "f"]}},
            "required": ["city"],
        },
    },
}
AUDIO = {"data": "AAAA", "format": "wav"}
PICTURE = [
    {"type": "text", "text": "What is in this picture?"},
    {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
]


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer(["--api-key", KEY]) as running:
        yield running


@pytest.fixture(scope="module")
def sdk(server: LocalServer) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=server.base_url, api_key=KEY, max_retries=0) as client:
        yield client


@pytest.fixture(scope="module")
def made(sdk: openai.OpenAI) -> dict[str, Any]:
    """Completions of the suite ``export``, made with the SDK: id -> the request sent."""
    requests: list[dict[str, Any]] = [
        {
            "model": "gpt-4o",
            "messages": [
                {"role": "developer", "content": "Answer with a tool call."},
                {"role": "user", "content": "What is the weather in Paris?"},
            ],
            "tools": [WEATHER],
            "tool_choice": "required",
            "metadata": {"suite": "export", "split": "train"},
        },
        {
            "model": "gpt-4o-mini",
            "messages": [{"role": "user", "content": PICTURE}],
            "n": 2,
            "metadata": {"suite": "export", "split": "train", "kind": "vision"},
        },
        {
            "model": "gpt-4o-mini",
            "messages": [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "Name a colour."},
            ],
            "metadata": {"suite": "export", "split": "test"},
        },
        {
            "model": "gpt-4o-mini",
            "messages": [{"role": "user", "content": "Name a river."}],
            "metadata": {"suite": "export", "split": "train"},
        },
    ]
    made: dict[str, Any] = {}
    for request in requests:
        created = sdk.chat.completions.create(store=True, **request)
        made[created.id] = request
    return made


def export(
    server: LocalServer, *flags: str, paired: bool = True, **env: str
) -> subprocess.CompletedProcess[str]:
    """``python -m pulumi_chatcomp.cli export FLAGS`` with the key exported and, if
    ``paired``, the server as OPENAI_BASE_URL (as a user who points the SDK at it does)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CHAT"))}
    environment["OPENAI_API_KEY"] = KEY
    if paired:
        environment["OPENAI_BASE_URL"] = server.base_url
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "pulumi_chatcomp.cli", "export", *flags],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def lines(done: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def sdk_raw_list(sdk: openai.OpenAI, **filters: Any) -> list[dict[str, Any]]:
    """The completions as the SDK's own request receives them, as JSON."""
    raw = sdk.chat.completions.with_raw_response.list(limit=100, **filters)
    page: dict[str, Any] = json.loads(raw.http_response.text)
    assert page["has_more"] is False
    data: list[dict[str, Any]] = page["data"]
    return data


def assert_clean(done: subprocess.CompletedProcess[str]) -> None:
    assert KEY not in done.stdout and KEY not in done.stderr
    assert "Traceback" not in done.stderr


# -- finetune --------------------------------------------------------------------------------


def test_finetune_lines_are_what_was_sent_then_the_answer(
    server: LocalServer, sdk: openai.OpenAI, made: dict[str, Any]
) -> None:
    done = export(server, "--metadata", "suite=export", "--order", "asc")
    examples = lines(done)
    assert len(examples) == len(made)
    for (completion_id, request), example in zip(made.items(), examples, strict=True):
        answer = sdk.chat.completions.retrieve(completion_id).choices[0].message
        expected_answer: dict[str, Any] = {"role": "assistant"}
        if answer.content is not None:
            expected_answer["content"] = answer.content
        if answer.tool_calls:
            expected_answer["tool_calls"] = [call.model_dump() for call in answer.tool_calls]
        # The input messages exactly as the SDK sent them (parts included), then the answer.
        assert example["messages"] == [*request["messages"], expected_answer]
        if "tools" in request:
            assert example["tools"] == request["tools"]
        else:
            assert "tools" not in example
    with_tools = examples[0]["messages"][-1]
    assert "content" not in with_tools
    assert with_tools["tool_calls"][0]["function"]["name"] == "get_weather"
    # n=2 gave one example, from the first choice.
    first = sdk.chat.completions.retrieve(list(made)[1]).choices[0].message.content
    assert examples[1]["messages"][-1] == {"role": "assistant", "content": first}
    assert done.stderr == f"chatcomp export: wrote {len(made)} examples to stdout (none skipped)\n"
    assert_clean(done)


def test_an_invalid_example_is_skipped_with_a_line_naming_it_and_the_field(
    server: LocalServer, sdk: openai.OpenAI, tmp_path: Path
) -> None:
    good = sdk.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "Hello"}],
        store=True,
        metadata={"suite": "export-bad"},
    )
    # The messages list keeps text and image parts only, so an audio-only question comes
    # back empty: no valid example.
    audio_only = sdk.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {
                "role": "user",
                "content": [
                    {"type": "input_audio", "input_audio": {"data": "AAAA", "format": "wav"}}
                ],
            }
        ],
        store=True,
        metadata={"suite": "export-bad"},
    )
    done = export(server, "--metadata", "suite=export-bad", "--order", "asc")
    assert done.returncode == 0  # the valid examples are the dataset asked for
    (example,) = lines(done)
    assert example["messages"][0] == {"role": "user", "content": "Hello"}
    skipped, summary = done.stderr.splitlines()
    assert skipped.startswith(f"chatcomp export: skipped {audio_only.id}: messages[0].content ")
    assert summary == "chatcomp export: wrote 1 examples to stdout (1 skipped)"
    assert good.id not in done.stderr
    assert_clean(done)

    # --strict: the same export fails, and the output file is not written.
    output = tmp_path / "train.jsonl"
    strict = export(server, "--metadata", "suite=export-bad", "--strict", "--output", str(output))
    assert strict.returncode == 1
    assert not output.exists() and list(tmp_path.iterdir()) == []
    assert strict.stderr.splitlines()[0].startswith(f"chatcomp export: skipped {audio_only.id}")
    assert strict.stderr.splitlines()[-1] == (
        "chatcomp export: 1 of 2 completions made no valid example (listed above) and --strict "
        f"is given; {output} was not written."
    )
    assert_clean(strict)


# -- raw -------------------------------------------------------------------------------------


def test_raw_lines_are_the_completions_as_the_api_returns_them(
    server: LocalServer, sdk: openai.OpenAI, made: dict[str, Any], tmp_path: Path
) -> None:
    output = tmp_path / "raw.jsonl"
    done = export(server, "--format", "raw", "--metadata", "suite=export", "-o", str(output))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert done.stderr == f"chatcomp export: wrote {len(made)} completions to {output}\n"
    exported = [json.loads(line) for line in output.read_text("utf-8").splitlines()]
    assert exported == sdk_raw_list(sdk, metadata={"suite": "export"})
    # The echoed request settings come through, and the SDK's models read every line.
    assert exported[0]["tools"] == [WEATHER]
    assert exported[0]["tool_choice"] == "required"
    for line in exported:
        assert openai.types.chat.ChatCompletion.model_validate(line).id in made
    assert oct(output.stat().st_mode & 0o777) != oct(0o600)  # an ordinary file, not private


def test_raw_takes_out_the_idempotency_key_only(server: LocalServer, sdk: openai.OpenAI) -> None:
    settings = Settings(api_key=KEY, base_url=server.base_url)
    with ChatCompletionsClient(settings) as client:
        created = client.create(
            {
                "model": "gpt-4o-mini",
                "messages": [{"role": "user", "content": "Hi"}],
                "store": True,
                "metadata": {"suite": "export-token"},
            },
            idempotent=True,
        )
    (as_listed,) = sdk_raw_list(sdk, metadata={"suite": "export-token"})
    assert IDEMPOTENCY_METADATA_KEY in as_listed["metadata"]
    (exported,) = lines(export(server, "--format", "raw", "--metadata", "suite=export-token"))
    assert exported["id"] == created.id
    assert exported == {**as_listed, "metadata": {"suite": "export-token"}}


# -- filters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flags", "filters"),
    [
        pytest.param(["--model", "gpt-4o"], {"model": "gpt-4o"}, id="model"),
        pytest.param(
            ["--metadata", "split=train", "--metadata", "suite=export"],
            {"metadata": {"suite": "export", "split": "train"}},
            id="two-pairs",
        ),
        pytest.param(
            [
                "--metadata",
                "suite=export",
                "--metadata",
                "split=train",
                "--metadata",
                "kind=vision",
            ],
            {"metadata": {"suite": "export", "split": "train", "kind": "vision"}},
            id="three-pairs",
        ),
        pytest.param(
            ["--metadata", "suite=export", "--order", "desc"],
            {"metadata": {"suite": "export"}, "order": "desc"},
            id="desc",
        ),
        pytest.param(
            ["--metadata", "suite=export", "--order", "asc"],
            {"metadata": {"suite": "export"}, "order": "asc"},
            id="asc",
        ),
    ],
)
def test_filters_and_order_select_what_the_sdk_lists(
    server: LocalServer,
    sdk: openai.OpenAI,
    made: dict[str, Any],
    flags: list[str],
    filters: dict[str, Any],
) -> None:
    expected = [c["id"] for c in sdk_raw_list(sdk, **filters)]
    assert expected  # a filter that selects nothing would prove nothing
    exported = lines(export(server, "--format", "raw", *flags))
    assert [line["id"] for line in exported] == expected


def test_filters_narrow_down(server: LocalServer, made: dict[str, Any]) -> None:
    ids = list(made)
    by = {
        "model": lines(export(server, "--format", "raw", "--model", "gpt-4o")),
        "pairs": lines(
            export(
                server, "--format", "raw", "--metadata", "suite=export", "--metadata", "split=train"
            )
        ),
    }
    assert [line["id"] for line in by["model"]] == [ids[0]]
    assert [line["id"] for line in by["pairs"]] == [ids[0], ids[1], ids[3]]


@pytest.mark.parametrize("format", ["raw", "finetune"])
def test_limit_takes_the_first_n(
    server: LocalServer, sdk: openai.OpenAI, made: dict[str, Any], format: str
) -> None:
    flags = ["--metadata", "suite=export", "--order", "desc", "--limit", "3"]
    exported = lines(export(server, "--format", format, *flags))
    assert len(exported) == 3
    if format == "raw":
        newest = sdk_raw_list(sdk, metadata={"suite": "export"}, order="desc")[:3]
        assert exported == newest
    else:
        newest_request = made[list(made)[-1]]
        assert exported[0]["messages"][:-1] == newest_request["messages"]


# -- stderr, the terminal and errors ----------------------------------------------------------


def test_no_progress_bar_when_stderr_is_not_a_terminal(
    server: LocalServer, made: dict[str, Any]
) -> None:
    done = export(server, "--metadata", "suite=export")
    assert done.stderr.splitlines() == [
        f"chatcomp export: wrote {len(made)} examples to stdout (none skipped)"
    ]


def test_a_progress_bar_on_a_terminal(
    server: LocalServer, made: dict[str, Any], tmp_path: Path
) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CHAT"))}
    environment.update(OPENAI_API_KEY=KEY, OPENAI_BASE_URL=server.base_url)
    leader, follower = pty.openpty()
    # A new pseudo-terminal is 0 columns wide; a real one has a size (the bar fits to it).
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    output = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "pulumi_chatcomp.cli", "export", "--metadata", "suite=export"]
    with subprocess.Popen(
        [*command, "--output", str(output)], stderr=follower, env=environment
    ) as child:
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed: the child is done
                break
            if not chunk:
                break
            seen += chunk
        assert child.wait(60) == 0
    os.close(leader)
    text = seen.decode("utf-8", "replace")
    assert f"{len(made)} completions" in text  # tqdm's count with our unit
    assert "completions/s" in text
    assert f"wrote {len(made)} examples to {output}" in text
    assert len(output.read_text().splitlines()) == len(made)


def test_a_reader_that_stops_early_ends_the_export_quietly(
    server: LocalServer, sdk: openai.OpenAI
) -> None:
    # More than a pipe holds, so the export is still writing when `head` would have left.
    for n in range(40):
        sdk.chat.completions.create(
            model="gpt-4o-mini",
            messages=[{"role": "user", "content": f"{n} " + "long question " * 300}],
            store=True,
            metadata={"suite": "export-pipe"},
        )
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CHAT"))}
    environment.update(OPENAI_API_KEY=KEY, OPENAI_BASE_URL=server.base_url)
    command = [sys.executable, "-m", "pulumi_chatcomp.cli", "export"]
    with subprocess.Popen(
        [*command, "--metadata", "suite=export-pipe"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
    ) as child:
        assert child.stdout is not None and child.stderr is not None
        first = child.stdout.readline()
        child.stdout.close()  # as `| head -1` does
        errors = child.stderr.read().decode()
        status = child.wait(60)
    assert json.loads(first)["messages"][0]["content"].startswith("0 long question")
    assert status == 1  # not every line was written
    assert errors == ""  # and nothing to explain: the reader chose to stop


def test_an_unreachable_server_fails_in_one_line(server: LocalServer) -> None:
    done = export(server, "--base-url", "http://127.0.0.1:9/v1", "--max-retries", "0")
    assert done.returncode == 1
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("chatcomp export: Could not connect to http://127.0.0.1:9/v1")
    assert "--base-url" in line
    assert_clean(done)


def test_a_wrong_key_fails_in_one_line_without_the_key(server: LocalServer) -> None:
    wrong = "sk-wrong-key-for-this-server-0123456789"
    done = export(server, OPENAI_API_KEY=wrong)
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert "HTTP 401" in line and "OPENAI_API_KEY" in line
    assert "pulumi config" not in line
    assert wrong not in done.stdout + done.stderr
    assert_clean(done)


def test_the_exported_key_is_not_sent_to_another_base_url_without_the_flag(
    server: LocalServer,
) -> None:
    # OPENAI_API_KEY is paired with OPENAI_BASE_URL (the official API here), not --base-url.
    unpaired = export(server, "--base-url", server.base_url, paired=False)
    assert unpaired.returncode == 1
    (line,) = unpaired.stderr.splitlines()
    assert "HTTP 401" in line and "--use-env-api-key" in line
    assert_clean(unpaired)
    paired = export(server, "--base-url", server.base_url, "--use-env-api-key", paired=False)
    assert paired.returncode == 0, paired.stderr


@pytest.mark.parametrize(
    ("flags", "flag"),
    [
        pytest.param(["--metadata", "suite"], "--metadata", id="metadata-syntax"),
        pytest.param(["--limit", "0"], "--limit", id="limit-0"),
        pytest.param(["--order", "sideways"], "--order", id="order"),
        pytest.param(["--set-tag", " "], "--set-tag", id="blank-set-tag"),
        pytest.param(["--set", "evals"], "--set", id="set-without-stack"),
        pytest.param(
            ["--stack", "dev", "--set", "evals", "--set-tag", "t"], "--set-tag", id="set-and-tag"
        ),
    ],
)
def test_bad_flags_fail_with_usage_status_in_one_line(
    server: LocalServer, flags: list[str], flag: str
) -> None:
    done = export(server, *flags)
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"chatcomp export: argument {flag}: ")
    assert_clean(done)


def test_a_reserved_key_is_no_filter_and_says_how_to_select_a_set(server: LocalServer) -> None:
    done = export(server, "--metadata", "pulumi_chatcomp_set=abc")
    assert done.returncode == 2
    assert done.stderr.startswith(
        "chatcomp export: argument --metadata: metadata['pulumi_chatcomp_set'] is a key "
        "pulumi-chatcomp reserves; give a set's tag with --set-tag"
    )


# -- a set's items ----------------------------------------------------------------------------


def test_a_sets_items_are_exported_by_its_tag_and_nothing_else(
    server: LocalServer, sdk: openai.OpenAI
) -> None:
    from pulumi_chatcomp.core._sets._operations import check_set, create_set

    shared = {"model": "gpt-4o-mini", "metadata": {"suite": "export-set"}}
    shared["messages"] = [{"role": "developer", "content": "Answer briefly."}]
    questions = {"q-1": "Where is my order?", "q-2": "Can I pay later?"}
    items = {k: {"messages": [{"role": "user", "content": q}]} for k, q in questions.items()}
    inputs, problems = check_set({**shared, "items": items}, identity="export/urn:evals")
    assert problems == []
    with ChatCompletionsClient(Settings(api_key=KEY, base_url=server.base_url)) as client:
        _, outputs = create_set(client, inputs, concurrency=2)
    # The same metadata, outside the set: the set's tag tells them apart.
    sdk.chat.completions.create(store=True, metadata={"suite": "export-set"}, **_ask("Hi"))
    results = outputs["results"]

    raw = lines(export(server, "--format", "raw", "--set-tag", outputs["tag"]))
    assert sorted(line["id"] for line in raw) == sorted(r["id"] for r in results.values())
    assert [line["metadata"] for line in raw] == [{"suite": "export-set"}] * 2  # no tag shown
    examples = lines(export(server, "--set-tag", outputs["tag"], "--order", "asc"))
    asked = sorted(example["messages"][1]["content"] for example in examples)
    assert asked == sorted(questions.values())
    for example in examples:
        assert example["messages"][0] == shared["messages"][0]
        (key,) = [k for k, q in questions.items() if q == example["messages"][1]["content"]]
        assert example["messages"][2] == {"role": "assistant", "content": results[key]["content"]}


def _ask(text: str) -> dict[str, Any]:
    return {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": text}]}


def test_help_has_an_example(server: LocalServer) -> None:
    done = export(server, "--help")
    assert done.returncode == 0
    assert "examples:\n  chatcomp export --metadata dataset=faq --output faq.jsonl" in done.stdout
