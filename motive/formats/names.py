"""Which words before a colon name a speaker: the shapes of names, roles and display names
as people and meeting tools write them ("Dana", "Plant Manager", "María del Carmen García López",
"Okafor, Chidi", "Priya Patel (Smile Dental Group)", "chidi.okafor@contoso.com"), against the
shapes of sentences that end in a colon ("My boss said:", "Three things:").
"""

from __future__ import annotations

import re
import unicodedata

#: Who a person is, after their name: "(Smile Dental Group)", "[Acme]", "| Contoso", "– Contoso".
AFFILIATION = re.compile(r"\s*(?:\([^()]*\)|\[[^\[\]]*\]|\s[|–—]\s.*)$")
_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")
#: A nickname in quotes inside a display name: 'Robert "Bob" Smith'.
_NICKNAME = re.compile(r'(?:^|(?<=\s))["“][^\W\d_][\w\'’.-]*["”](?=\s|$)')
#: Lower-case words inside names: "María del Carmen García López", "Ludwig van der Berg".
_NAME_PARTICLES = {"al", "bin", "binti", "da", "das", "de", "del", "della", "den", "der", "di", "do", "dos", "du", "e",
                   "el", "la", "le", "ten", "ter", "van", "von", "y", "zu"}
#: What names are written with besides letters and digits (emoji and combining marks too, see is_label).
_IN_NAMES = set(" .'’()&/-_@+|–—[],#")


def is_label(label: str) -> bool:
    """Whether the words before a colon name a speaker: a short label ("Q", "Dana", "Plant
    Manager", "Speaker 1"), a name of up to eight words each capitalised or a particle ("María
    del Carmen García López"), a name written surname first ("Okafor, Chidi"), or an e-mail
    address, each with who the person is after it ("Priya Patel (Smile Dental Group)"). Words
    that make a sentence ("we need three things", "It was fine. Then", "Honestly — and I said
    this to our CFO", "The Question Every Clinic Should Ask") are not a label.

    >>> [is_label(x) for x in ("Dana", "Dr. Priya Patel-Venkataraman (Clinical Director, North Region)", "王小红 (Wang Xiaohong)")]
    [True, True, True]
    >>> [is_label(x) for x in ("María del Carmen García López", "chidi.okafor@contoso.com", "Chidi Okafor | Contoso")]
    [True, True, True]
    >>> [is_label(x) for x in ("we need three things", "It was fine. Then Dana", "Well, the price", "What do you mean?")]
    [False, False, False, False]
    >>> [is_label(x) for x in ("Honestly — and I said this to our CFO", "So the question (and our CFO asked it first)")]
    [False, False]
    >>> [is_label(x) for x in ("The Question Every Clinic Should Ask", "The calendar view 😍", "Priya Patel (she/her)")]
    [False, False, True]
    >>> [is_label(x) for x in ("My boss said", "IT Asset Manager", "Head of Procurement")]
    [False, True, True]
    >>> [is_label(x) for x in ('Robert "Bob" Smith', '"Big" Tom', '“Big” Tom O’Brien', '"Yes"', '"Cheaper" was the answer', 'He said "no"')]
    [True, True, True, False, False, False]
    """
    core = label.strip()
    if _NICKNAME.search(core):  # 'Robert "Bob" Smith', '"Big" Tom': a name around it, every word capitalised
        named = _NICKNAME.sub("", core).split()
        return 0 < len(named) <= 3 and all(w[0].isupper() for w in named) and is_label(" ".join(named))
    while (affiliation := AFFILIATION.search(core)) is not None and affiliation.start() > 0:
        if not names_who(affiliation.group()):
            return False
        core = core[: affiliation.start()].rstrip()
    words = core.split()
    if not words or not all(in_names(c) for c in label) or any(len(w) > 5 and w.endswith(".") for w in words):
        return False
    if _EMAIL.match(core):
        return True
    if "," in core:
        return names_surname_first(core)
    capitalised = [not w[0].islower() for w in words]  # scripts without capitals count as capitalised
    if not all(capitalised) and any(unicodedata.category(c) == "So" for c in core):
        return False  # an emoji among lower-case words is a remark, not a display name
    if len(words) <= 2:
        return True
    if words[0].lower() in _SENTENCE_OPENERS and not words[0].isupper():  # "My boss said", not "IT Asset Manager"
        return False
    if len(words) <= 4:
        return capitalised[0]
    return (len(words) <= 8 and capitalised[0] and not {w.lower() for w in words} & _HEADING_WORDS
            and all(up or w in _NAME_PARTICLES for w, up in zip(words, capitalised)))


#: First words of sentences that end in a colon, never of names or job titles of three words or more.
_SENTENCE_OPENERS = {"and", "but", "so", "then", "the", "my", "our", "their", "his", "her", "we", "they", "it", "this",
                     "that", "what", "why", "how", "when", "i", "you", "he", "she", "there", "here"}
#: Words of title-case headings, never of names: "What They Liked About The Pilot".
_HEADING_WORDS = {"a", "about", "an", "and", "are", "every", "for", "how", "is", "it", "my", "of", "our", "should",
                  "that", "the", "their", "they", "this", "to", "we", "what", "when", "why", "with", "your"}


def names_who(affiliation: str) -> bool:
    """What follows a name says who the person is: a capitalised organisation or role
    ("(Smile Dental Group)", "| Contoso"), or four words at most in brackets ("(she/her)",
    "(translated from German)").

    >>> names_who(" (Acme)"), names_who(" (she/her)"), names_who(" — and I said this to our CFO"), names_who(" — still flaky")
    (True, True, False, False)
    """
    words = affiliation.strip(" ()[]|–—").split()
    in_brackets = affiliation.strip()[:1] in "(["
    return bool(words) and (not words[0][0].islower() or (in_brackets and len(words) <= 4))


def in_names(character: str) -> bool:
    return character.isalnum() or character in _IN_NAMES or unicodedata.category(character) in ("So", "Mn", "Mc", "Sk")


def names_surname_first(label: str) -> bool:
    """A label with a comma names a person ("Okafor, Chidi", "van der Berg, Anna") when the
    surname ends in a capital word and every word of the given name is capitalised: "Well,
    the price" is words.

    >>> names_surname_first("Okafor, Chidi"), names_surname_first("van der Berg, Anna (Acme)")
    (True, True)
    >>> names_surname_first("Well, the price"), names_surname_first("So, basically")
    (False, False)
    """
    surname, _, given = label.partition(",")
    given = given.split("(")[0].split()
    return surname.split()[-1][0].isupper() and bool(given) and all(word[0].isupper() for word in given)


def surname(words: str) -> bool:
    """Words after a first name that make it a full name: "Lee", "van der Berg"; not "2" or "B".

    >>> surname("Lee"), surname("2"), surname("B")
    (True, False, False)
    """
    return len(words) >= 2 and not any(c.isdigit() for c in words) and not words.split()[-1][0].islower()


def full_name(text: str) -> bool:
    """A first name and a surname at least, with who the person is after them: "Dana Lee",
    "Sam Ortiz (Ops Lead, Brightline)"; not "Hi Dana" or "Morning".

    >>> full_name("Sam Ortiz (Ops Lead, Brightline)"), full_name("Hi Dana"), full_name("Dana")
    (True, False, False)
    """
    core = AFFILIATION.sub("", text).split(",")[0].split()
    return (len(core) >= 2 and is_label(text) and all(not word[0].islower() for word in core)
            and core[0].lower() not in _GREETINGS)


_GREETINGS = {"hi", "hello", "hey", "morning", "good", "thanks", "thank", "welcome", "nice", "great", "sure", "yes", "no", "ok",
              "okay", "go", "dear"}


def names_someone(label: str) -> bool:
    """A label written as names and roles are, every word capitalised and no number: "Customer",
    "Gareth Hughes", "Ops Manager"; not "For example", "Bottom line", "Step 1".

    >>> names_someone("Gareth Hughes"), names_someone("For example"), names_someone("Step 1")
    (True, False, False)
    """
    words = label.split()
    return bool(words) and all(not word[0].islower() for word in words) and not any(c.isdigit() for c in label)
