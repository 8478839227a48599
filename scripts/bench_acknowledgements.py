"""Do acknowledgements before a question move motive's chains? Score a model on labelled
interviews as written, and again with "Thanks, that's helpful." and the like put before their
questions.

    python scripts/bench_acknowledgements.py                               # models/default on the dev split
    python scripts/bench_acknowledgements.py --model models/dev --share 1  # before every question

Interviewers thank the respondent and say "okay" or "great" before their next question; in
the corpus such words come mostly before wrap-ups, so a model can take them for the end of a
chain. This copies the interviews and puts an acknowledgement before a share (``--share``) of
the questions that start or continue a chain (``@root`` and ``@probe``), drawn with ``--seed``,
and scores the model on the interviews as written and on each copy: one with acknowledgements
of the list that motive reads past (:func:`motive.chains.without_acknowledgement`), one with
others it does not know. In interviews of the ``asr`` register they are lower case and
unpunctuated, as automatic transcription writes them. The gold labels do not change.

Score on dev or on interviews the model was not trained on; the default model was trained on
dev, so its dev figures flatter it (the differences between the rows still say what the
acknowledgements cost).
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Acknowledgements that motive reads past, and others it does not know.
LISTED = ("Thanks.", "Thank you.", "Thanks, that's helpful.", "Great, thank you.", "Okay, thanks.", "Got it, thanks.",
          "That's really useful, thank you.", "Interesting.", "Right.", "I see.", "Perfect.", "Okay.", "Great.", "Thanks for that.")
UNLISTED = ("Appreciate that.", "Oh, nice.", "Good to know.", "Love that.", "No worries.", "Fair.", "Ah.", "Yep.",
            "Nice one.", "Ha, brilliant stuff.", "That makes a lot of sense.", "Cheers.")
_KIND = re.compile(r"^@(root|probe)\b")
_TURN = re.compile(r"^([^@\s][^:]{0,60}):\s*(.*)$")


def acknowledged(text: str, phrases: tuple[str, ...], share: float, rng: random.Random) -> tuple[str, int]:
    """A corpus file's text with an acknowledgement before ``share`` of its root and probe questions,
    and how many were given one. In the ``asr`` register, phrases come lower case, unpunctuated.

    >>> text = "---\\nid: x\\nregister: clean\\n---\\n\\nQ: Why?\\n@probe\\nA: Cost.\\n@outcome terminal\\n"
    >>> acknowledged(text, ("Thanks.",), 1.0, random.Random(0))
    ('---\\nid: x\\nregister: clean\\n---\\n\\nQ: Thanks. Why?\\n@probe\\nA: Cost.\\n@outcome terminal\\n', 1)
    """
    lines = text.split("\n")
    body = lines.index("---", 1) + 1 if lines and lines[0] == "---" else 0
    asr = re.search(r"^register:\s*asr\s*$", text, re.MULTILINE) is not None
    turn_start, given = None, 0
    for k in range(body, len(lines)):
        line = lines[k]
        if _KIND.match(line) and turn_start is not None and rng.random() < share:
            speaker, said = _TURN.match(lines[turn_start]).groups()
            phrase = rng.choice(phrases)
            if asr:
                phrase = re.sub(r"[^\w\s]", "", phrase.lower())
            lines[turn_start] = f"{speaker}: {phrase} {said}"
            given += 1
        if line.startswith("@"):
            turn_start = None
        elif turn_start is None and _TURN.match(line):
            turn_start = k
    return "\n".join(lines), given


def main(argv: list[str] | None = None) -> dict:
    from motive.evaluation import evaluate, headline_figures
    from motive.model import load_model
    from motive.training import read_labelled

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path, default=[ROOT / "corpora" / "interviews" / "dev"],
                        help="labelled interview files or folders (default: the dev split)")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "default")
    parser.add_argument("--share", type=float, default=0.5, help="share of root and probe questions given one (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--precision", default="fp32", choices=("fp32", "bf16"))
    args = parser.parse_args(argv)

    from motive.corpus import find_interviews

    files = find_interviews(args.paths)
    model = load_model(args.model, device="cpu", precision=args.precision)
    figures = {}
    with tempfile.TemporaryDirectory() as work:
        for name, phrases in (("as written", None), ("listed acknowledgements", LISTED), ("unlisted acknowledgements", UNLISTED)):
            if phrases is None:
                interviews, given = read_labelled(files).interviews, 0
            else:
                rng, folder, given = random.Random(args.seed), Path(work) / name.split()[0], 0
                folder.mkdir()
                for path in files:
                    text, count = acknowledged(path.read_text(encoding="utf-8"), phrases, args.share, rng)
                    (folder / path.name).write_text(text, encoding="utf-8")
                    given += count
                interviews = read_labelled([folder]).interviews
            figures[name] = {**headline_figures(evaluate(model, interviews)), "questions_acknowledged": given}
            shown = figures[name]
            print(f"{name:<26} output vs outcome {shown['output_vs_outcome']:.3f}   3-way {shown['three_way']:.3f}   "
                  f"terminal why {shown['terminal_why']:.3f}   chain boundaries {shown['chain_boundaries']:.3f}   ({given} questions)", flush=True)
    return figures


if __name__ == "__main__":
    main()
