import re
import string

from beyondraid.accountability import wordlist
from beyondraid.accountability.receipts import words


def test_the_list_has_at_least_7776_distinct_words():
    assert len(words()) == wordlist.WORD_COUNT >= 7776
    assert len(set(words())) == len(words())


def test_every_word_is_four_to_eight_lower_case_ascii_letters():
    assert all(re.fullmatch(r"[a-z]{4,8}", word) for word in words())


def test_every_word_alternates_vowels_and_simple_consonants():
    vowels = set(wordlist.VOWELS)
    for word in words():
        assert word[0] not in vowels
        assert not any(a in vowels and b in vowels for a, b in zip(word, word[1:], strict=False))
        assert not any(
            a not in vowels and b not in vowels and c not in vowels
            for a, b, c in zip(word, word[1:], word[2:], strict=False)
        )


def test_no_word_contains_a_blocked_fragment():
    for fragment in wordlist.BLOCKED_FRAGMENTS:
        assert not any(fragment in word for word in words()), fragment


def test_no_two_words_are_one_edit_apart():
    vocabulary = set(words())
    for word in words():
        neighbours = set()
        for position in range(len(word) + 1):
            for letter in string.ascii_lowercase:
                neighbours.add(word[:position] + letter + word[position:])
                if position < len(word):
                    neighbours.add(word[:position] + letter + word[position + 1 :])
            neighbours.add(word[:position] + word[position + 1 :])
        neighbours.discard(word)
        assert not neighbours & vocabulary, word


def test_the_committed_file_is_what_the_generator_makes(capsys):
    assert wordlist.generate() == list(words())
    assert wordlist.main(["--check"]) == 0
    assert "matches the generator" in capsys.readouterr().out


def test_the_check_fails_with_advice_when_the_file_differs(tmp_path, monkeypatch, capsys):
    edited = tmp_path / "words.txt"
    edited.write_text("\n".join(words()[:-1]) + "\n", encoding="ascii")
    monkeypatch.setattr(wordlist, "WORDS_FILE", edited)
    assert wordlist.main(["--check"]) == 1
    assert "--write" in capsys.readouterr().err
