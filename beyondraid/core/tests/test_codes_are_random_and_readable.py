import pytest

from beyondraid.core.codes import ALPHABET, is_code, new_code


def test_a_code_has_its_prefix_and_two_groups_from_the_readable_alphabet():
    code = new_code("E")
    assert is_code(code)
    prefix, first, second = code.split("-")
    assert prefix == "E"
    assert len(first) == len(second) == 4
    assert set(first + second) <= set(ALPHABET)
    assert not set("ILOU") & set(first + second)


def test_codes_do_not_repeat_across_many_draws():
    codes = {new_code("E") for _ in range(5000)}
    assert len(codes) == 5000


@pytest.mark.parametrize("prefix", ["", "e", "ABCD", "E1"])
def test_a_bad_prefix_is_refused_with_a_clear_message(prefix):
    with pytest.raises(ValueError, match="prefix"):
        new_code(prefix)


@pytest.mark.parametrize("value", ["E-7K3M", "E-7K3M-9QXI", "Maria Lopez", "E-7k3m-9qx2"])
def test_text_that_is_not_a_code_is_recognised(value):
    assert not is_code(value)
