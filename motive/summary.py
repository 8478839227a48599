"""A chain's one-line summary, "<what they buy> → <terminal outcome>", from the answers' own words."""

from __future__ import annotations

import re

from motive.roles import asks
from motive.segment import NounChunk

NO_OUTCOME = "(no outcome reached)"
_LEADING = re.compile(r"^(a|an|the|our|my|their|your|his|her|its|this|that|these|those|some|any|another|other|one more|more|main|new|um+|uh+|so|well|why|and why|how|what|and|"
                      r"honestly|basically|actually|mainly|mostly|probably|definitely|obviously|i guess|i mean|i think)\s+", re.I)
_SKIP = {
    "i", "we", "you", "they", "it", "he", "she", "that", "this", "what", "which", "something", "thing", "things", "lot", "one",
    "basics", "question", "questions", "reason", "reasons", "start", "thanks", "thank", "time", "bit", "way", "ok", "okay",
    "problem", "problems", "worries", "no need", "no problem", "no worries", "no idea",  # "No need.", "No problem at all."
    "decision", "mm-hm", "mhm", "uh-huh", "hmm", "mm",  # "What else went into the decision?", "Mm-hm. What else?"
    "moment", "great way", "plain terms",  # "Is now a good moment?", "What a great way to put it", "in plain terms"
}
#: A phrase the parser made of a question's own words: "which box", "why did the scanning matter".
_ASKING_WORDS = re.compile(r"^\W*(which|why|what|how)\b|\b(why|matters?|mattered)$", re.I)


#: Words of a customer quote shown in plain-text summaries; the JSON keeps it whole.
QUOTE_WORDS = 30


def clipped_quote(text: str, words: int = QUOTE_WORDS) -> str:
    """A customer's words as said, cut to ``words`` words with an ellipsis when longer.

    >>> clipped_quote("It means I feel strong."), clipped_quote("one two three", words=2)
    ('It means I feel strong.', 'one two…')
    """
    return " ".join(text.split()) if len(text.split()) <= words else shorten(text, words)


def shorten(text: str, words: int = 14) -> str:
    """At most ``words`` words, with an ellipsis when cut.

    >>> shorten("one two three four", words=2)
    'one two…'
    """
    parts = text.split()
    cut = " ".join(parts[:words]).rstrip(",;:.")
    return cut + "…" if len(parts) > words else text.strip().rstrip(".")


_BUYING = {
    "buy", "purchase", "get", "choose", "pick", "switch", "use", "sign", "put", "move", "install", "order",
    "hire", "subscribe", "book", "need", "want", "go", "take", "rent", "lease", "try", "look",
}
_TIME = re.compile(r"\b(year|month|week|day|time|place|morning|spring|summer|fall|autumn|winter|january|"
                   r"february|march|april|may|june|july|august|september|october|november|december)s?\b", re.I)
_POSSESSIVE = re.compile(r"^(your|our|my|their|his|her)\b", re.I)
#: A greeting or thanks the parser reads as a noun phrase: "Carlos, thanks for making the time."
_COURTESY = re.compile(r"\b(thanks?|appreciate|sorry|welcome|congratulations|congrats)\b", re.IGNORECASE)
#: Prepositions before what was passed over: "chose us over the competitor", "apart from the price", "rather than a loan".
_ALTERNATIVE = {"over", "than", "rather than", "instead of", "apart from", "aside from", "besides", "versus", "vs", "vs.", "against"}
#: Verbs whose "from" names what was left and whose "to" what was chosen: "switched from Excel to Tallybook"
#: (but "bought from a dealer" names the seller).
_LEAVING = {"switch", "move", "change", "migrate", "upgrade", "go"}
#: Verbs whose "for" names what was bought: "signed the office up for the BeanBox subscription".
_FOR_WHAT = {"sign", "subscribe", "register", "enrol", "enroll", "pay", "apply", "opt"}
#: Verbs whose "with" names what was bought: "replaced the old CRM with HubSpot" (without it, the object is).
_REPLACING = {"replace", "swap", "trade", "exchange"}


def _bare(text: str) -> str:
    stripped = text.strip()
    while _LEADING.match(stripped):
        stripped = _LEADING.sub("", stripped, count=1)
    return stripped



def _purchase_score(chunk: NounChunk) -> int:
    """How likely a noun phrase names the thing bought; below 0: never."""
    if (chunk.pos == "PRON" or chunk.dep == "nsubj" or _passed_over(chunk) or _COURTESY.search(chunk.text) or _bare(chunk.text).lower() in _SKIP
            or _TIME.search(chunk.text) or _ASKING_WORDS.search(_bare(chunk.text))):
        return -1
    # the object of the buying verb before the rest: "buy Tallybook for the warehouse" is about Tallybook
    chosen = (chunk.preposition in ("to", "onto", "into") and chunk.governor in _LEAVING - {"go"}) or (
        chunk.preposition == "for" and chunk.governor in _FOR_WHAT) or (  # "moved the agency onto QuickLedger"
        chunk.preposition == "with" and chunk.governor in _REPLACING)
    role = 3 if chosen else 2 if chunk.dep == "dobj" else int(chunk.dep in ("pobj", "attr", "appos"))
    return 2 * (chunk.governor in _BUYING) + role - bool(_POSSESSIVE.match(chunk.text))


def _passed_over(chunk: NounChunk) -> bool:
    """Whether a noun phrase names what the buyer did not choose ("over the competitor", "switched from Excel")."""
    return chunk.preposition in _ALTERNATIVE or (chunk.preposition == "from" and chunk.governor in _LEAVING)


def what_they_buy(question_chunks: list[NounChunk], answer_chunks: list[NounChunk], first_sentence: str) -> str:
    """What the chain is about: the thing the root question asks about (the object of "buy",
    "choose", "switch to"…), else the answer's first content noun phrase, else its opening words.

    >>> chunk = NounChunk
    >>> what_they_buy([chunk("you", "PRON", "nsubj", "buy"), chunk("the two-person tent", "NOUN", "dobj", "buy")], [], "")
    'two-person tent'
    >>> what_they_buy([chunk("Excel", "PROPN", "pobj", "switch", "from"), chunk("Tallybook", "PROPN", "pobj", "switch", "to")], [], "")
    'Tallybook'
    """
    return thing_bought(question_chunks) or thing_bought(answer_chunks) or shorten(first_sentence, 6)


def thing_bought(chunks: list[NounChunk]) -> str | None:
    """The noun phrase of ``chunks`` that most likely names the thing bought, shortened; None if none can.

    >>> thing_bought([NounChunk("we", "PRON", "nsubj", "need")]) is None
    True
    """
    scored = [(_purchase_score(c), len(c.text.split()), -i, c) for i, c in enumerate(chunks)]
    best = max(scored, default=None)
    if best and best[0] >= 0 and _bare(best[-1].text):
        return shorten(_bare(best[-1].text), 6)
    return None


def asked(question: str) -> str:
    """The sentence of a question that asks: the last one ending in a question mark (else a last
    sentence that prompts, "Tell me…"), without what the interviewer said before it.

    >>> asked("Helen, your firm invoices sixty clients. Why Tallybook?"), asked("Tell me about the tent.")
    ('Why Tallybook?', 'Tell me about the tent.')
    >>> asked("Why Acme Inc. over the others?"), asked("Why the U.S. vendor, e.g. over Xero?")
    ('Why Acme Inc. over the others?', 'Why the U.S. vendor, e.g. over Xero?')
    >>> asked("No need. Tell me what you bought from us.")
    'Tell me what you bought from us.'
    """
    sentences = re.split(r"(?<=[.!?？])\s+(?=[\"“(]?[A-Z])", question.strip())  # a new sentence starts with a capital
    asking = next((s for s in reversed(sentences) if s.endswith(("?", "？"))), None)
    return asking or (sentences[-1] if len(sentences) > 1 and asks(sentences[-1]) else question.strip())


#: Where an asking sentence goes on to name what the buyer passed over, to its end: "Why this
#: service and not one of the apps?", "Why Coursera or not a bootcamp?"
_ALTERNATIVE_AT_END = re.compile(r",?\s+(?:and|or|but)\s+not\b.*$", re.I | re.S)
#: A phrase that names what was passed over, to the next comma: "… rather than a loan", "instead of a
#: receptionist", "and beyond the fines, anything else?", "go beyond the basic plan to the premium tier".
_ALTERNATIVE_PHRASE = re.compile(r"\s+(?:rather than|instead of|other than|beyond)\b[^,?]*?(?=\s+to\b|[,?]|$)", re.I)
#: A lead-in before the question word, which the parser reads as the sentence's subject: "Shifting a bit, why
#: Ringwell…?", "ok so first, why the Verdo?", "Can I ask, why…?" (not "What, exactly, …": it asks already).
_LEAD_IN = re.compile(r"^(?:(?!\b(?:why|what|how|which)\b)[^?])*?,\s*(?=(?:why|what|how|which)\b)", re.I)
#: An asking sentence about the alternative itself: "Why not just hire a gardener?", "Could you not have hired more staff?"
_ABOUT_THE_ALTERNATIVE = re.compile(r"\bwhy not\b|\bcould(?:n't| not| you not)\b", re.I)


def chosen_part(question: str) -> str:
    """The part of an asking sentence about what was chosen: without the alternatives it names,
    and nothing when it asks about the alternative itself.

    >>> chosen_part("Why this service and not one of the cheaper apps?"), chosen_part("Why Ringwell instead of a receptionist?")
    ('Why this service?', 'Why Ringwell?')
    >>> chosen_part("Okay, and beyond the price, what made you choose Ringwell?"), chosen_part("Why did you choose Ringwell instead?")
    ('what made you choose Ringwell?', 'Why did you choose Ringwell instead?')
    >>> chosen_part("What made you go beyond the basic plan to the premium tier?")
    'What made you go to the premium tier?'
    >>> chosen_part("Why not just hire a gardener?"), chosen_part("Why the tent?")
    ('', 'Why the tent?')
    >>> chosen_part("Shifting a bit, why Ringwell and not one of the apps?"), chosen_part("What, exactly, did you buy?")
    ('why Ringwell?', 'What, exactly, did you buy?')
    """
    if _ABOUT_THE_ALTERNATIVE.search(question):
        return ""
    cut = _ALTERNATIVE_PHRASE.sub("", _ALTERNATIVE_AT_END.sub("", _LEAD_IN.sub("", question)))
    return cut + "?" if cut != question and question.rstrip().endswith("?") and not cut.rstrip().endswith("?") else cut


def summarize(what: str, terminal_evidence: str | None) -> str:
    """Tie the chain's first statement to its last outcome.

    >>> summarize("document translation", "We need to mitigate those risks.")
    'document translation → We need to mitigate those risks'
    """
    return f"{what} → {shorten(terminal_evidence) if terminal_evidence else NO_OUTCOME}"
