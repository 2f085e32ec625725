import pytest

from nerkit.commands import main
from nerkit.commands.list_components import describe, listing
from nerkit.registry import KINDS, get_registry


def run(capsys, *argv):
    with pytest.raises(SystemExit) as caught:
        main(list(argv))
    out, err = capsys.readouterr()
    return caught.value.code, out, err


def test_list_shows_every_kind_and_name(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    lines = out.splitlines()
    for kind in KINDS:
        assert f"{kind}:" in lines
        for name in get_registry(kind).get_all():
            assert any(line.split()[:1] == [name] for line in lines), (kind, name)


def test_every_registered_component_has_a_description():
    for kind in KINDS:
        for name, implementation in get_registry(kind).get_all().items():
            assert describe(implementation), f"{kind}: {name} has no docstring"


def test_descriptions_are_first_docstring_lines(capsys):
    code, out, _ = run(capsys, "list", "seq2seq_encoders")
    assert code == 0
    assert out.splitlines()[0] == "seq2seq_encoders:"
    compose = next(line for line in out.splitlines() if line.split()[0] == "compose")
    implementation = get_registry("seq2seq_encoders").get("compose")
    assert compose.endswith(describe(implementation))
    assert "decoders:" not in out


def test_unknown_kind_is_an_argument_error(capsys):
    code, _, err = run(capsys, "list", "decoder")
    assert code == 2
    assert "invalid choice: 'decoder'" in err


def test_describe_and_listing():
    class Documented:
        """First line.

        More.
        """

    assert describe(Documented) == "First line."
    assert describe(type("Bare", (), {})) == ""
    text = listing(["attentions"])
    assert text.startswith("attentions:\n  ")
    names = [line.split()[0] for line in text.splitlines()[1:]]
    assert names == sorted(names)
