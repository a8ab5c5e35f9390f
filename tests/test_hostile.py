"""No input, stream, environment or signal makes caremgr crash or lose a record (issue 13).
Every case ends in exit 0, 1, 2 or 128 + a signal, never 3, with short, escaped messages."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caremgr_cli.reading import MAX_DEPTH
from conftest import DATA, Invoke

AS_OF = ["--as-of", "2026-11-29"]
ANA = str(DATA / "ana.yaml")


def assert_no_bug(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert "hit a bug" not in stderr


def error_lines(stdout: str) -> list[list[str]]:
    return [json.loads(line).get("errors", []) for line in stdout.splitlines()]


# --- nesting --------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 3_000, 50_000])
def test_a_deep_json_line_is_one_bad_record(invoke: Invoke, depth: int) -> None:
    text = '{"id": "a"}\n' + "[" * depth + "]" * depth + '\n{"id": "c"}\n'
    result = invoke(["score", *AS_OF], input=text)
    assert result.exit_code == 1
    assert_no_bug(result.stderr)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line.get("id") for line in lines] == ["a", None, "c"]
    assert lines[1]["line"] == 2
    assert lines[1]["errors"] == [f"is nested more than {MAX_DEPTH} levels deep"]


def test_a_json_line_at_the_limit_is_read(invoke: Invoke) -> None:
    # Nested exactly MAX_DEPTH deep (the document is level 1): read, then refused as answers.
    depth = MAX_DEPTH - 2
    text = '{"id": {"x": ' + "[" * depth + "]" * depth + "}}\n"
    result = invoke(["score", *AS_OF], input=text)
    assert error_lines(result.stdout)[0] != [f"is nested more than {MAX_DEPTH} levels deep"]


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 600, 20_000])
@pytest.mark.parametrize("style", ["flow", "block"])
def test_a_deep_yaml_document_names_its_line_and_the_limit(
    invoke: Invoke, tmp_path: Path, depth: int, style: str
) -> None:
    if style == "flow":
        text = "id: x\nskills: " + "[" * depth + "]" * depth + "\n"
    else:  # a mapping in a mapping, one space deeper each line (kept under the file size limit)
        text = "id: x\nskills:\n" + "".join(f"{' ' * level}a:\n" for level in range(1, min(depth, 600)))
    path = tmp_path / "deep.yaml"
    path.write_text(text)
    result = invoke(["quiz", "--answers", str(path), "--json"])
    assert result.exit_code == 1
    assert_no_bug(result.stderr)
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{path}:")
    assert line.endswith(f": is nested more than {MAX_DEPTH} levels deep")


def test_a_deep_roles_file_is_refused_with_its_line(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "roles.yaml"
    path.write_text((DATA / "minimal.yaml").read_text() + "extra: " + "[" * 5_000 + "]" * 5_000 + "\n")
    result = invoke(["validate", str(path)])
    assert result.exit_code == 1
    assert_no_bug(result.stderr)
    assert result.stderr.endswith(f": is nested more than {MAX_DEPTH} levels deep\n")


def test_a_csv_header_of_thousands_of_dotted_parts(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "deep.csv"
    path.write_text("id,education." + ".".join(["a"] * 5_000) + "\nx,1\n")  # inside an answers field
    result = invoke(["score", str(path), *AS_OF])
    assert result.exit_code == 1
    assert_no_bug(result.stderr)
    ((message,),) = error_lines(result.stdout)
    assert message.endswith(f"is nested more than {MAX_DEPTH} levels deep")
    assert len(message) < 200


# --- tags, text that is not Unicode, floods ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("licenses: {rn: !!bool maybe}\n", ":1: cannot read 'maybe' as true or false"),
        ("id: !!timestamp x\n", ":1: cannot read 'x' as a date"),
        ('experience: {rn: !!int ""}\n', ":1: cannot read '' as a whole number"),
        ("experience: {rn: !!float abc}\n", ":1: cannot read 'abc' as a number"),
        ("id: !!python/name:os.system x\n", ":1: tag 'tag:yaml.org,2002:python/name:os.system' is not allowed"),
        ("a: &x [*x]\n", ":1: an alias refers to its own anchor"),
    ],
)
def test_explicit_tags_and_self_aliases_are_bad_input(invoke: Invoke, tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(text)
    result = invoke(["quiz", "--answers", str(path), "--json"])
    assert result.exit_code == 1
    assert_no_bug(result.stderr)
    assert result.stderr.splitlines() == [f"{path}{message}"]


@pytest.mark.parametrize("output", ["jsonl", "csv"])
def test_a_lone_surrogate_is_a_bad_record(invoke: Invoke, output: str) -> None:
    result = invoke(["score", "--output-format", output, *AS_OF], input='{"id": "\\ud800"}\n{"id": "ok"}\n')
    assert result.exit_code == 1
    assert_no_bug(result.stderr)
    assert "not valid Unicode (a lone surrogate)" in result.stdout
    assert "ok" in result.stdout  # the next record is scored


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("yaml", "experience: {rn: 1" + "0" * 100_000 + "}\n"),
        ("jsonl", '{"experience": {"rn": 1' + "0" * 100_000 + "}}\n"),
        ("jsonl", '{"experience": {"rn": 1' + "0" * 400 + "}}\n"),
        ("yaml", "education: {level: " + "x" * 500_000 + "}\n"),
        ("jsonl", '{"' + "k" * 500_000 + '": 1}\n'),
    ],
)
def test_messages_quote_only_a_short_excerpt(invoke: Invoke, tmp_path: Path, kind: str, text: str) -> None:
    path = tmp_path / f"answers.{kind}"
    path.write_text(text)
    args = ["quiz", "--answers", str(path), "--json"] if kind == "yaml" else ["score", str(path), *AS_OF]
    result = invoke(args)
    assert result.exit_code == 1
    assert_no_bug(result.stderr)
    said = result.stderr + result.stdout
    assert len(said) < 2_000
    assert "set_int_max_str_digits" not in said
    assert "got a whole number" not in said


def test_printable_escapes_what_disguises_text() -> None:
    from caremgr_cli.errors import printable

    hidden = "a\u200fb\u200bc\u200dd\ufeffe\U000e0041f\u202eg\x1bh"
    assert printable(hidden) == "a\\u200fb\\u200bc\\u200dd\\ufeffe\\U000e0041f\\u202eg\\x1bh"
    assert printable("Café, naïve ✓") == "Café, naïve ✓"


@pytest.mark.parametrize("name", ["bad\nname.yaml", "bad\x1b[2Jname.yaml", "bad\u202ename.yaml"])
def test_a_path_given_on_the_command_line_is_printed_escaped(invoke: Invoke, tmp_path: Path, name: str) -> None:
    missing = invoke(["validate", str(tmp_path / name)])
    assert missing.exit_code == 1
    assert len(missing.stderr.splitlines()) == 1
    assert "\x1b" not in missing.stderr
    assert "\u202e" not in missing.stderr
    good = tmp_path / name
    good.write_text((DATA / "minimal.yaml").read_text())
    ok = invoke(["validate", str(good)])
    assert ok.exit_code == 0
    assert len(ok.stdout.splitlines()) == 1
    assert "\x1b" not in ok.stdout
    assert "\u202e" not in ok.stdout


# --- environment ------------------------------------------------------------------------------


def test_no_home_runs_uncached(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("CAREMGR_CACHE_DIR")
    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    for args in (["roles"], ["compare", "--json"], ["quiz", "--answers", ANA, "--json"]):
        result = invoke(args)
        assert (result.exit_code, result.stderr) == (0, "")


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0 or not Path("/usr/bin/setpriv").exists(), reason="needs root and setpriv")
def test_a_user_with_no_passwd_entry_and_no_home(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key not in ("HOME", "CAREMGR_CACHE_DIR")}
    tmp_path.chmod(0o777)
    command = ["/usr/bin/setpriv", "--reuid=54321", "--regid=54321", "--clear-groups",
               sys.executable, "-m", "caremgr_cli", "compare", "--json"]  # fmt: skip
    result = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, check=False, timeout=60)
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout)["schema_version"] == 2


# --- closed and full streams ---------------------------------------------------------------

STREAM_COMMANDS = [
    "--version",
    "--help",
    "roles",
    "roles --json",
    "show case",
    "compare --json",
    "compare case care",
    "schema roles",
    "validate",
    f"quiz --answers {ANA} --json",
    f"quiz --answers {ANA}",
    "quiz --answers -",
    "quiz",
    f"score {DATA / 'cohort.jsonl'}",
    "score",
]


def run_shell(command: str, redirect: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    script = f'"{sys.executable}" -m caremgr_cli {command} {redirect}'
    return subprocess.run(["bash", "-c", script], input=stdin, capture_output=True, text=True, check=False, timeout=60)


@pytest.mark.slow
@pytest.mark.parametrize("command", STREAM_COMMANDS)
@pytest.mark.parametrize("redirect", ["<&-", ">&-", "> /dev/full"])
def test_closed_and_full_streams(command: str, redirect: str) -> None:
    if redirect == "> /dev/full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    result = run_shell(command, redirect, stdin="{}\n")
    assert_no_bug(result.stderr)
    reading_stdin = command in ("quiz --answers -", "quiz", "score")
    if redirect == "<&-" and not reading_stdin:
        assert result.returncode == 0  # nothing to read: it does not matter
        return
    assert result.returncode in (1, 2), result.stderr
    if redirect == ">&-":
        assert result.stderr.splitlines()[0] == "caremgr: standard output is closed; nothing can be printed"
    elif redirect == "> /dev/full" and command != "quiz":  # (plain `quiz` stops first: no terminal, exit 2)
        assert "caremgr: cannot write the output: No space left on device" in result.stderr.splitlines()
    elif redirect == "<&-" and command != "quiz":
        assert "is closed: there is nothing to read" in result.stderr + result.stdout


# --- signals -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def many_records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("records") / "many.jsonl"
    rng = random.Random(3)  # noqa: S311 - seeded test data, not secrets
    with path.open("w") as handle:
        for number in range(20_000):
            person = {
                "id": f"p{number}",
                "experience": {"rn": round(rng.uniform(0, 9), 1), "case_management": round(rng.uniform(0, 4), 1)},
                "employment": {"current": "case-management", "hours_per_week": rng.randint(10, 40)},
                "skills": {"empathy": rng.randint(1, 5)},
            }
            handle.write(json.dumps(person) + "\n")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_mid_score_leaves_whole_records(many_records: Path, signum: int) -> None:
    rng = random.Random(int(signum))  # noqa: S311 - reproducible moments, not secrets
    for _ in range(6):
        process = subprocess.Popen(
            [sys.executable, "-m", "caremgr_cli", "score", str(many_records), *AS_OF],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(rng.uniform(0.6, 2.0))  # past start-up, somewhere in the batch
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=60)
        if process.returncode == 0:
            continue  # finished before the signal came: nothing to check
        assert process.returncode == 128 + signum, stderr.decode()
        assert_no_bug(stderr.decode())
        assert stdout.endswith(b"\n") or stdout == b""
        for number, line in enumerate(stdout.splitlines(), start=1):
            assert json.loads(line)["line"] == number


# --- fuzzing each reader -------------------------------------------------------------------

NASTY = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=200).map(str.encode),
    st.integers(1, 5_000).map(lambda depth: b"[" * depth + b"]" * depth),
    st.integers(1, 5_000).map(lambda depth: b'{"a":' * depth + b"1" + b"}" * depth),
    st.sampled_from(
        [
            b"!!bool maybe",
            b"!!int ''",
            b"!!timestamp x",
            b"!!binary x",
            b"&a [*a]",
            b"\xff\xfe",
            b"\xef\xbb\xbf",
            b'{"id": "\\udfff"}',
            b"1" + b"0" * 5_000,
            b"a: \x1b[2J",
            b"\x00",
            b'"\\u202e"',
        ]
    ),
)


def fuzz(invoke: Invoke, args: list[str], data: bytes) -> None:
    result = invoke(args, input=data)
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr[-500:])
    assert_no_bug(result.stderr)
    for line in result.stderr.splitlines():
        assert len(line) < 2_000


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(NASTY, min_size=1, max_size=4))
def test_fuzzed_yaml_answers(invoke: Invoke, parts: list[bytes]) -> None:
    fuzz(invoke, ["quiz", "--answers", "-", "--json", *AS_OF], b"id: ".join(parts))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(NASTY, min_size=1, max_size=4))
def test_fuzzed_json_lines(invoke: Invoke, parts: list[bytes]) -> None:
    fuzz(invoke, ["score", *AS_OF], b"\n".join([b'{"id": "x"}', *parts]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(NASTY, min_size=1, max_size=4), st.sampled_from([b",", b";", b"\t", b"."]))
def test_fuzzed_csv(invoke: Invoke, parts: list[bytes], separator: bytes) -> None:
    fuzz(invoke, ["score", "--input-format", "csv", *AS_OF], b"id,education.level\n" + separator.join(parts))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(NASTY, st.integers(0, 40))
def test_fuzzed_roles_file(invoke: Invoke, tmp_path: Path, part: bytes, at_line: int) -> None:
    lines = (DATA / "minimal.yaml").read_bytes().splitlines(keepends=True)
    lines.insert(min(at_line, len(lines)), b"extra: " + part + b"\n")
    path = tmp_path / "fuzzed-roles.yaml"
    path.write_bytes(b"".join(lines))
    fuzz(invoke, ["validate", str(path)], b"")


@pytest.mark.slow
@pytest.mark.parametrize("command", [*STREAM_COMMANDS, "show carre", "validate /nonexistent.yaml"])
def test_a_closed_stderr_changes_no_exit_code(command: str) -> None:
    # With stderr closed nothing can be said, but the exit code must be the one a script expects.
    assert run_shell(command, "2>&-", stdin="{}\n").returncode == run_shell(command, "", stdin="{}\n").returncode


@pytest.mark.slow
def test_score_can_be_stopped_while_no_one_reads_its_output(many_records: Path) -> None:
    # The reader never reads: writes block. One SIGTERM waits for the record being written;
    # a second one ends the process at once.
    process = subprocess.Popen(
        [sys.executable, "-m", "caremgr_cli", "score", str(many_records), *AS_OF],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(2.0)
        process.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) in (128 + signal.SIGTERM, -signal.SIGTERM)
    finally:
        process.kill()
        process.wait()


@pytest.mark.parametrize("output", ["jsonl", "csv"])
def test_a_file_name_that_is_not_utf8(invoke: Invoke, tmp_path: Path, output: str) -> None:
    name = os.fsdecode(bytes(tmp_path) + b"/bad\xff.jsonl")
    Path(name).write_bytes((DATA / "cohort.jsonl").read_bytes())
    result = invoke(["score", name, "--output-format", output, *AS_OF])
    assert result.exit_code == 0, result.stderr
    first = result.stdout.splitlines()[0 if output == "jsonl" else 1]
    source = json.loads(first)["source"] if output == "jsonl" else first.split(",")[0]
    assert source.endswith("/bad\\xff.jsonl")  # the byte shown as an escape
    missing = invoke(["validate", os.fsdecode(bytes(tmp_path) + b"/gone\xff.yaml"), "--json"])
    assert missing.exit_code == 1
    assert json.loads(missing.stdout)["path"].endswith("gone\\xff.yaml")


@pytest.mark.parametrize("output", ["jsonl", "csv"])
def test_encoded_surrogates_are_not_utf8(invoke: Invoke, output: str) -> None:
    result = invoke(["score", "--output-format", output, *AS_OF], input=b'{"id": "a\xed\xa0\x80b"}\n{"id": "ok"}\n')
    assert result.exit_code == 1
    assert_no_bug(result.stderr)
    assert "is not UTF-8 text" in result.stdout
    assert "ok" in result.stdout


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("tag.yaml", "id: !<tag:" + "k" * 100_000 + "> x\n"),
        ("key.yaml", "? " + "k" * 100_000 + "\n: 1\n? " + "k" * 100_000 + "\n: 2\n"),
        ("nan.yaml", ".nan: 1\n"),
        ("intkey.yaml", "skills: {!!int 3: 3}\n"),
    ],
)
def test_more_messages_stay_short_and_in_our_words(invoke: Invoke, tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    result = invoke(["quiz", "--answers", str(path), "--json"])
    assert result.exit_code == 1
    assert_no_bug(result.stderr)
    assert len(result.stderr) < 500
    assert "Keys should be strings" not in result.stderr
    assert "[key]" not in result.stderr


def test_a_huge_csv_column_is_quoted_in_part(invoke: Invoke, tmp_path: Path) -> None:
    column = "skills." + "x" * 100_000  # an answers field: its error quotes a part of it
    path = tmp_path / "wide.csv"
    path.write_text(f"id,{column},{column}.b\nr1,1,2\n")
    result = invoke(["score", str(path), *AS_OF])
    assert result.exit_code == 1
    assert len(result.stdout) < 1_000
    # Not an answers field: passed through as data, and named on stderr in one short line.
    kept = tmp_path / "kept.csv"
    kept.write_text(f"id,{'y' * 100_000}\nr1,1\n")
    passed = invoke(["score", str(kept), *AS_OF])
    assert passed.exit_code == 0
    assert len(passed.stderr) < 200


def test_completion_setup_in_a_broken_home_is_one_line(tmp_path: Path) -> None:
    home = tmp_path / "home-is-a-file"
    home.write_text("x")
    env = {**os.environ, "HOME": str(home), "SHELL": "/bin/bash"}
    result = subprocess.run(
        [sys.executable, "-m", "caremgr_cli", "--install-completion"],
        env=env, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert_no_bug(result.stderr)
    assert result.stderr.startswith("caremgr: cannot set up completion:")
