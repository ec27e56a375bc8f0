"""Figures that mean what the source means, read from the parse.

A figure card shows a value exactly as the source states it (the named entity: "more than
$2 billion", "between 500 and 600 metric tons", "18 percent") and a label the parse gives:
what is counted ("electric delivery vans"), what a share or amount is of ("voters"), what rose
or fell ("drop in U.S. energy-related carbon emissions"), or what the amount is ("cost of the
bridge"). Years, dates, times, ordinals, ages, versions and names with numbers are not
statistics, and a number whose meaning the parse does not give is not shown.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Sequence

from ..shotlist import Figure
from .phrases import _trim, noun_phrase
from .wholeness import is_whole

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

#: Entity labels that are quantities, most telling first.
_KINDS = ("MONEY", "PERCENT", "QUANTITY", "CARDINAL")
_FALL = frozenset("fall drop decline decrease shrink slip plunge sink slide tumble dip lose cut reduce".split())
_RISE = frozenset("rise increase grow climb jump surge gain soar rebound expand swell double triple".split())
_AGE = frozenset("old age aged ages".split())
_UNITS = frozenset("hz khz mhz ghz thz w kw mw gw kwh mwh gwh v kv mm cm m km nm kg mg g lb lbs mph kph rpm db bit bits".split())
_PERCENT = re.compile(r"%|\bper ?cent|\bpercentage", re.IGNORECASE)
_YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)s?$")
MAX_LABEL_WORDS = 7
_QUALIFIERS = frozenset("approximately about nearly almost just only roughly around some over under up to at least most more less fewer than well".split())
#: Words before a number that change what it counts: "an additional 700" is not 700.
_ADDED = frozenset("a an additional extra further another".split())


def bare_amount(value: str) -> str:
    """An amount without the words before it that say how exact it is ("about 3 million" is
    "3 million"): two cards of the same bare amount show one number to a viewer."""
    words = value.split()
    while len(words) > 1 and words[0].lower() in _QUALIFIERS:
        words.pop(0)
    return " ".join(words).lower()
_OTHER_CLAUSES = frozenset({"advcl", "ccomp", "conj", "relcl", "parataxis", "punct", "cc", "mark"})
MAX_CONTEXT_WORDS = 14
#: Verbs that give a share an owner: "coal made up 18% of the mix" is coal's share.
_SHARE_VERBS = frozenset("account make represent comprise constitute produce generate supply provide contribute control hold own capture command".split())
#: Nouns that count without saying what: "20,235 people" needs the rest of the sentence.
_GENERIC = frozenset("people persons individuals others things times ones population total".split())


def _number_tokens(entity: "Span") -> list["Token"]:
    return [t for t in entity if t.like_num or any(c.isdigit() for c in t.text)]


def is_statistic(entity: "Span") -> bool:
    """Whether a quantity entity is a statistic, not a year, version, age or name with a number."""
    if entity.label_ not in _KINDS or not any(c.isdigit() for c in entity.text):
        return False
    numbers = _number_tokens(entity)
    if not numbers:
        return False
    if entity.label_ == "CARDINAL" and len(entity) == 1 and _YEAR.match(entity.text):
        return False  # "in 2019": a year
    after = entity.doc[entity.end] if entity.end < len(entity.doc) else None
    if after is not None and after.lower_ in _UNITS and after.dep_ in ("compound", "amod", "nmod"):
        return False  # "a 94 GHz wavelength radar": a measure naming a kind of thing is a specification
    if entity.label_ == "PERCENT" and not _PERCENT.search(entity.text):
        return False  # the tagger's guess ("94 GHz" as a percentage): no meaning the parse can give
    for token in numbers:
        head = token.head
        # "iOS 13", "Route 9", "Apollo 11", "FaceTime 2": a name with a number in it.
        if any(c.pos_ == "PROPN" and c.dep_ in ("nmod", "compound", "npadvmod") for c in token.children):
            return False
        if token.i > 0 and token.doc[token.i - 1].pos_ == "PROPN" and token.dep_ != "nummod" and entity.label_ == "CARDINAL":
            return False
        if token.dep_ in ("compound", "nmod", "appos") and head.pos_ == "PROPN":
            return False
        # "A Landsat 8 image": a number right after a proper noun is part of a name.
        if token.i > 0 and token.doc[token.i - 1].pos_ == "PROPN" and token.i - 1 < entity.start:
            return False
        # "the 1-micron portion", "a 2-inch resolution": a measure written into a compound
        # adjective is a specification, not a statistic.
        doc = token.doc
        if token.i + 2 < len(doc) and doc[token.i + 1].text == "-" and doc[token.i + 2].is_alpha \
                or re.match(r"^\d[\d.,]*-[A-Za-z]", token.text):
            return False
        # "45 years old", "aged 45", "a 45-year-old": an age.
        if head.lemma_.lower() in _AGE or any(t.lower_ in ("old", "-year-old") for t in token.doc[token.i : token.i + 4]):
            return False
    return True


def _subject(verb: "Token", articles: bool = True) -> list["Token"]:
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None and verb.dep_ == "conj":
        # "The change adds 12 hours and costs $42,000": its subject. Not when a noun stands
        # right before the verb ("... fell 15 percent and emissions from coal declined"): that
        # noun is its subject, whatever the parser made of it.
        before = verb.doc[verb.i - 1] if verb.i > 0 else verb
        if before.pos_ in ("NOUN", "PROPN", "PRON"):
            return []
        # Nor when a subject of another verb stands between them: "the rate was 5.8%, while the
        # rate for youth aged 15 to 21 was 15.6%" (parsed with "aged" as the youth rate's verb)
        # does not give the first rate to the second number.
        if any(t.dep_ in ("nsubj", "nsubjpass") and t.head is not verb.head for t in verb.doc[verb.head.i + 1 : verb.i]):
            return []
        return _subject(verb.head, articles)
    if subject is None or subject.pos_ == "PRON":
        return []
    return _trim(noun_phrase(subject, MAX_LABEL_WORDS), articles)


def _text(tokens: Sequence["Token"]) -> str:
    return "".join(t.text_with_ws for t in tokens).strip()


#: A reader's answer when its construction is not the one in the sentence: the next one reads.
_PASS = object()


def label_for(entity: "Span") -> str | None:
    """What a quantity measures, from where it stands in its sentence; None when the parse does
    not say. Each construction has its reader, tried in order: the first that recognises the
    sentence answers (a label, or None when the construction says the number is no statistic)."""
    doc = entity.doc
    if re.match(r"^as \w+ as\b", entity.text.lower()) or entity.start >= 3 and doc[entity.start - 1].lower_ == "as" \
            and doc[entity.start - 3].lower_ == "as":
        return None  # "a region as large as 5,000 full moons": a comparison, the size of something else
    for reader in (_of_what, _counted, _changed, _owned):
        label = reader(entity)
        if label is not _PASS:
            return label  # type: ignore[return-value]
    return None


def _of_what(entity: "Span") -> object:
    """"18 percent of voters", "600 metric tons of fuel", "$2 billion in aid"."""
    for child in entity.root.rights:
        if child.dep_ == "prep" and child.lower_ in ("of", "in") and child.i >= entity.end:
            obj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if obj is not None and obj.ent_type_ not in ("DATE", "TIME", "GPE"):
                whole = _phrase(noun_phrase(obj, MAX_LABEL_WORDS))
                if whole and whole.lower() in _GENERIC:
                    return None  # "96.1% of the population" says what it is a share of, not what is counted
                if entity.label_ == "PERCENT" and whole:
                    return _share_of(entity, _text(_trim(noun_phrase(obj, MAX_LABEL_WORDS), articles=False)), whole)
                return whole
    return _PASS


def _counted(entity: "Span") -> object:
    """"100,000 electric delivery vans": the number counts the noun it modifies ("a 94 GHz
    radar": a measure used as a modifier is a specification, not a count)."""
    root = entity.root
    if root.dep_ in ("nummod", "compound", "amod") and root.head.pos_ == "NOUN" and root.head.i >= entity.end \
            and entity.label_ != "QUANTITY":
        # "just 87 bytes": words that qualify the number belong to the value, not the label.
        tokens = [t for t in noun_phrase(root.head, MAX_LABEL_WORDS)
                  # Before the number only whose they are ("Amazon's"): "a remarkable 40 countries" are
                  # not "remarkable countries".
                  if t.i >= entity.end or t.i < entity.start and t.head not in entity and t.pos_ in ("PROPN", "NOUN", "PART")]
        label = _phrase(tokens)
        # "20,235 people reported...": a count of "people" does not say who they are.
        return None if label and label.lower() in _GENERIC else label
    # A bare count ("there were 72") says nothing on screen.
    return None if entity.label_ == "CARDINAL" else _PASS


def _changed(entity: "Span") -> object:
    """"Emissions fell 18 percent": the drop in emissions; "coal's share fell to 19%": the share
    where it stands; "the ice sheet had lost 5,390 billion tons": the loss from the ice sheet."""
    root = entity.root
    head = root.head
    lemma = head.lemma_.lower()
    if root.dep_ in ("dobj", "npadvmod", "advmod", "prep", "pobj") and head.pos_ == "VERB" and lemma in _FALL | _RISE:
        if lemma == "lose" and root.dep_ == "dobj":
            subject = _subject(head, articles=False)
            return f"loss from {_text(subject)[:1].lower()}{_text(subject)[1:]}" if subject else None
        subject = _subject(head)
        if subject:
            return f"{'drop' if lemma in _FALL else 'rise'} in {_text(subject)}"
    if root.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in ("VERB",) and head.lower_ in ("by", "to"):
        verb = head.head
        subject = _subject(verb)
        if subject and verb.lemma_.lower() in _FALL | _RISE:
            return _phrase(subject) if head.lower_ == "to" else f"{'drop' if verb.lemma_.lower() in _FALL else 'rise'} in {_text(subject)}"
    return _PASS


def _owned(entity: "Span") -> object:
    """What has, costs or is the amount: "the change costs about $42,000 a year" (the cost of
    the change), "the cost of the bridge is $18.6 million", "a budget of $5 million"."""
    root = entity.root
    head = root.head
    if root.dep_ == "dobj" and head.lemma_.lower() == "cost":
        subject = _subject(head, articles=False)
        # A bare noun ("the change") says what costs only as "cost of the change"; a longer
        # one ("the reconstruction of the bridge") says it itself, below.
        if subject and sum(1 for t in subject if t.pos_ != "DET") == 1:
            return f"cost of {_text(subject)[:1].lower()}{_text(subject)[1:]}"
    if root.dep_ in ("attr", "dobj") and head.lemma_.lower() in ("be", "have", "cost", "total", "reach", "hit", "raise", "spend"):
        subject = _subject(head)
        if subject:
            return _phrase(subject)
    if root.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN":
        noun = head.head
        # "a distance of about 3,900 feet from Didymos": the distance from Didymos.
        where = next((c for c in noun.rights if c.dep_ == "prep" and c.lower_ in ("from", "to", "between", "across", "above", "below")
                      and c.i > entity.end), None)
        after = [where, *noun_phrase(next(g for g in where.children if g.dep_ == "pobj"), 4)] \
            if where is not None and any(g.dep_ == "pobj" for g in where.children) else []
        return _phrase([t for t in noun_phrase(noun, MAX_LABEL_WORDS) if t.i < head.i] + after)
    return _PASS


def _share_of(entity: "Span", of: str, whole: str) -> str | None:
    """A share with what it is of and whose it is: "Geothermal power accounted for 22% of New
    Zealand's energy" is geothermal power's share, not the energy's; None when the sentence
    names a share's owner the label cannot hold."""
    verb = entity.root.head.head if entity.root.dep_ == "pobj" else entity.root.head
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in _SHARE_VERBS:
        return whole
    owner = [t for t in _subject(verb) if t.lower_ not in _QUALIFIERS]
    if not owner:
        return whole
    mark = "\u2019" if "\u2019" in entity.sent.text else "'"
    name = _text(owner)
    if owner[0].pos_ != "PROPN":
        name = name[:1].lower() + name[1:]  # "geothermal power", as a label mid-sentence
    label = f"{name}{mark if name.endswith('s') else mark + 's'} share of {of}"
    return label if len(label.split()) <= MAX_LABEL_WORDS + 2 else None


def _phrase(tokens: Sequence["Token"]) -> str | None:
    tokens = _trim(list(tokens))
    if not tokens or len(tokens) > MAX_LABEL_WORDS:
        return None
    # A label of one word is fine ("voters", "vans"); it must still end like a phrase.
    if len(tokens) == 1:
        return tokens[0].text if tokens[0].pos_ in ("NOUN", "PROPN") else None
    return _text(tokens) if is_whole(tokens, labelled=True) else None


def _context(entity: "Span") -> str:
    """The clause the figure stands in, when it adds something and is short enough to read."""
    sentence = entity.sent
    verb = entity.root
    while verb.dep_ not in ("ROOT", "ccomp", "conj", "advcl", "relcl") and verb.head is not verb:
        verb = verb.head
    # The clause itself, without the clauses hanging off it ("..., as coal use dropped").
    inner = {t.i for c in verb.children if c.dep_ in _OTHER_CLAUSES for t in c.subtree}
    tokens = _trim([t for t in verb.subtree if t.sent == sentence and t.i not in inner], articles=False)
    if tokens and any(b.i not in {t.i for t in tokens} for b in sentence[tokens[0].i - sentence.start : tokens[-1].i - sentence.start + 1]):
        return ""  # not one run of the sentence's words
    text = _text(tokens)
    text = text[:1].upper() + text[1:]
    if not 4 <= len(text.split()) <= MAX_CONTEXT_WORDS or not is_whole(tokens, labelled=True):
        return _period(verb)
    return text


#: Prepositions that put an amount in time: "lost 5,390 billion tons between 1992 and 2020".
_PERIOD = frozenset("between from since during in over through until".split())


def _period(verb: "Token") -> str:
    """When the amount happened, if the clause says it in a phrase of dates ("Between 1992 and
    2020"): a clause too long to show whole still gives its period."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in _PERIOD:
            words = [t for t in child.subtree if t.i != child.i]
            if words and all(t.ent_type_ in ("DATE", "TIME") or t.pos_ in ("CCONJ", "ADP", "PUNCT", "DET") for t in words):
                text = _text(list(child.subtree))
                return text[:1].upper() + text[1:]
    return ""


def _value(entity: "Span") -> str:
    """The value as the source states it, with the words before it that qualify it
    ("approximately 55-85%", "just 87", "up to an additional 700") when the entity left them out."""
    doc = entity.doc
    start = entity.start
    while start > 0 and (doc[start - 1].lower_ in _QUALIFIERS and doc[start - 1].head in entity
                         or doc[start - 1].lower_ in _ADDED and doc[start - 1].head in (entity.root, entity.root.head)
                         or doc[start - 1].lower_ in _QUALIFIERS and doc[start].lower_ in _QUALIFIERS | _ADDED):
        start -= 1
    # "an additional 700": the article alone qualifies nothing, and no qualifier starts with "to".
    while start < entity.start and doc[start].lower_ in ("a", "an", "to", "than"):
        start += 1
    return doc[start : entity.end].text.strip()


def figure_in(docs: Sequence["Doc"]) -> Figure | None:
    """The most telling labelled figure in the sentences, or None."""
    found: list[tuple[int, int, Figure]] = []
    for order, doc in enumerate(docs):
        for entity in doc.ents:
            if not is_statistic(entity):
                continue
            label = label_for(entity)
            if not label:
                continue
            figure = Figure(value=_value(entity), label=label, context=_context(entity))
            found.append((_KINDS.index(entity.label_), order * 1000 + entity.start, figure))
    if not found:
        return None
    return min(found, key=lambda f: (f[0], f[1]))[2]


__all__ = ["figure_in", "is_statistic", "label_for"]
