"""convkit.quiz: answers parsed as numbers (never eval), right answers that agree with the ops."""
import numpy as np
import pytest

import convkit as ck
from convkit import quiz


@pytest.mark.parametrize("text,expected", [
    ("7", 7), (" 1,769,472 ", 1769472), ("2.5", 2.5), ("1/16", 0.0625), ("3x3", (3, 3)),
    ("(64, 32, 32)", (64, 32, 32)), ("3 × 3", (3, 3)), ("[0, 1, 2.5]", (0, 1, 2.5)), ("-2", -2),
])
def test_parse_answer(text, expected):
    assert quiz.parse_answer(text) == expected


@pytest.mark.parametrize("text", ["", "__import__('os')", "seven", "1/0", "3x", "2**3"])
def test_parse_answer_rejects_non_numbers_without_eval(text):
    with pytest.raises(ValueError, match="text"):
        quiz.parse_answer(text)


def test_every_chapter_has_three_or_more_questions_and_is_deterministic():
    for name in quiz.CHAPTERS:
        a, b = quiz.for_chapter(name, seed=3), quiz.for_chapter(name, seed=3)
        assert len(a) >= 3
        assert a.static_html() == b.static_html()
        assert a.static_html().count("<details>") == len(a)
        assert "http" not in a.static_html()


@pytest.mark.parametrize("seed", range(20))
def test_answers_agree_with_the_ops(seed):
    rng = np.random.default_rng(seed)
    q = quiz.q_output_size(rng)
    n, k, p, s, d = (int(v) for v in __import__("re").findall(r"\d+", q.prompt)[:5])
    y = ck.conv1d(np.zeros((1, n)), np.zeros((1, 1, k)), stride=s, padding=p, dilation=d)
    assert q.answer == y.shape[-1]
    q = quiz.q_full_convolution(np.random.default_rng(seed))
    assert q.check(", ".join(str(v) for v in q.answer))[0]
    q = quiz.q_transposed_size(np.random.default_rng(seed))
    assert q.check(str(q.answer))[0] and not q.check(str(q.answer + 1))[0]


def test_check_gives_feedback_and_never_raises():
    q = quiz.q_params(np.random.default_rng(0))
    ok, message = q.check(f"{q.answer:,}")
    assert ok and message.startswith("Right")
    ok, message = q.check("lots")
    assert not ok and "not a number" in message
    choice = quiz.q_padding_mode(np.random.default_rng(1))
    assert choice.check(choice.answer)[0] and not choice.check("nonsense")[0]


def test_live_widget_checks_an_answer():
    qz = quiz.for_chapter("channels", seed=0)
    w = qz.widget()
    first = w.children[1]
    box, button = first.children[-2].children
    feedback = first.children[-1]
    box.value = str(qz.questions[0].answer)
    assert "Right" in feedback.value
    box.value = "0"
    button.click()
    assert "Not quite" in feedback.value


def test_mimebundle_has_live_and_static_versions():
    bundle = quiz.for_chapter("padding", seed=1)._repr_mimebundle_()
    assert {"text/plain", "text/html", "application/vnd.jupyter.widget-view+json"} <= set(bundle)
    assert "0x" not in bundle["text/plain"]


def test_unknown_chapter():
    with pytest.raises(ValueError, match="name='nope'"):
        quiz.for_chapter("nope")
