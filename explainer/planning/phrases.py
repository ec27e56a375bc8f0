"""Whole phrases from the parse: headlines, beats and the clause boundaries between them.

A phrase on screen is a unit of the sentence it comes from, cut along the parse: a noun phrase
(with its modifiers and its "of" phrase), or a clause (subject, verb and object), or a verb
phrase with its object. It never starts on a conjunction or preposition, never ends on a
determiner, preposition, conjunction, auxiliary or speech verb, is never a lone word, and
never opens a quote or bracket it does not close.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

from .textrank import tokens as content_words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

#: Verbs that report speech: a phrase that ends on one is an attribution cut short.
SPEECH = frozenset(
    "say tell add write explain state note argue warn ask claim insist recall announce comment reply continue"
    " describe report confirm admit acknowledge suggest predict estimate".split()
)
_BAD_END = frozenset({"DET", "ADP", "CCONJ", "SCONJ", "AUX", "PART", "PUNCT", "SYM"})
_BAD_START = frozenset({"CCONJ", "SCONJ", "ADP", "PUNCT", "AUX", "PART", "SYM"})
_CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "conj", "advcl", "xcomp", "relcl", "parataxis", "pcomp"})
_NOUN_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "ROOT", "oprd", "conj"})
_QUOTES = "\"\u201c\u201d\u2018\u2019"
_CONTENT = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
MIN_WORDS = 2
_AMOUNTS = frozenset({"DATE", "TIME", "QUANTITY", "CARDINAL", "MONEY", "PERCENT", "ORDINAL"})
_NAMES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})


def _words(tokens: Sequence["Token"]) -> int:
    return sum(1 for t in tokens if not t.is_punct)


def is_whole(tokens: Sequence["Token"], labelled: bool = False, lenient: bool = False) -> bool:
    """Whether a run of tokens reads as a unit on its own (see the module's rules); with
    ``labelled``, the run is a figure card's label or context, under or beside the number it
    is about: an amount needs no subject of its own there, and what is counted may leave its
    "of" ("infrared measurements" of 44,000 objects). ``lenient`` (a headline's last resort, for a
    sentence that must be told, or a beat before a long wait) keeps every rule but those about
    context a whole phrase leaves out (``_needs_context``)."""
    if _words(tokens) < MIN_WORDS:
        return False
    first, last = tokens[0], tokens[-1]
    if first.pos_ in _BAD_START or first.tag_ in ("WDT", "WP", "WRB") or first.lower_ in ("that", "which", "who", "to", "this", "these", "those"):
        return False
    if first.lemma_ in ("be", "have", "do") and (first.pos_ == "AUX" or any(c.dep_ == "expl" for c in first.children)):
        return False  # "Are common needs" of "if there are common needs": a verb with no meaning of its own
    if first.tag_ == "VBN" and first.dep_ == "acl":
        return False  # a reduced relative leans on its noun: "Called Zachariae Isstrom" of "a glacier called ..."
    if first.text[:1] in "'\u2019" or first.i > 0 and not first.doc[first.i - 1].whitespace_:
        return False  # half a word: "\u2019re in good company" of "you\u2019re in good company"
    after = first.doc[last.i + 1] if last.i + 1 < len(first.doc) else None
    if after is not None and not last.whitespace_ and (after.text in ("-", "\u2010", "\u2011") or after.text[:1].isalnum()
                                                      or after.text[:1] in "'\u2019"):
        return False  # half a word at the end: "used to co" of "used to co-ordinate"
    if last.pos_ in _BAD_END or last.dep_ in ("poss", "case", "det", "prep", "cc", "mark", "aux") or last.tag_ == "PRP$":
        return False
    if last.lemma_.lower() in SPEECH and last.pos_ == "VERB":
        return False
    # Never through a name or a date: "Taken on Sept." cuts "Sept. 5, 1985".
    doc = first.doc
    # (An entity may start with "the", which a headline drops: "the Long Duration Balloon Camp".)
    if first.ent_iob_ == "I" and doc[first.i - 1].pos_ != "DET" or last.i + 1 < len(doc) and doc[last.i + 1].ent_iob_ == "I":
        return False
    if _cuts_a_complement(tokens) or _leans_on_the_sentence(tokens, labelled) or not lenient and _needs_context(tokens):
        return False
    text = "".join(t.text_with_ws for t in tokens)
    # A quotation mark (not the apostrophe of "NASA’s") means half a quotation.
    if any(t.is_quote or t.text in _QUOTES for t in tokens) or text.count("(") != text.count(")"):
        return False
    return any(t.pos_ in _CONTENT and not t.is_stop for t in tokens)


#: Pronouns that point back to something the screen does not show: "It was in the best interest",
#: "Left it", "Gives them that chance".
_BACK_POINTERS = frozenset("it its they them he him she her this that these those".split())
#: Verbs that report what evidence shows: what they show is the rest of the sentence.
_EVIDENCE = frozenset("show find reveal indicate suggest demonstrate confirm".split())
#: Determiners that leave a lone noun saying nothing: "Every requirement", "Any other new technology".
_QUANTIFIERS = frozenset("every each any another some such other both either neither".split())


def _needs_context(tokens: Sequence["Token"]) -> bool:
    """Whether a whole run still says too little without its sentence: a pronoun with nothing
    on screen to point back to ("It can't be obsolete", "emits it"); a possessive or quantifier
    with its noun ("Your code", "Their frontend code", "Every requirement"); a verb phrase whose
    left-out subject the screen cannot name ("Left India" of "my parents left India")."""
    first, last = tokens[0], tokens[-1]
    words = [t for t in tokens if not t.is_punct]
    verbless = not any(t.pos_ in ("VERB", "AUX") for t in tokens)
    if first.lower_ in _BACK_POINTERS and first.pos_ == "PRON" or last.lower_ in _BACK_POINTERS and last.pos_ == "PRON":
        return True
    if len(words) == 2 and (first.tag_ == "PRP$" or first.lower_ in _QUANTIFIERS) and words[1].pos_ in ("NOUN", "PROPN"):
        return True
    if first.tag_ == "PRP$" and verbless:
        return True  # whose? "Their frontend code", "Our war-time effort"
    if first.lower_ in _QUANTIFIERS - {"another", "other"} and first.dep_ in ("det", "preconj") and verbless:
        return True
    # A comparison with nothing to compare with: "Same template" (as what?), "Other related industry".
    if verbless and first.lower_ in ("same", "other", "such", "similar") and not any(t.lower_ in ("as", "than") for t in tokens):
        return True
    if first.pos_ in ("VERB", "AUX") and not any(t.dep_.startswith("nsubj") for t in tokens):
        subject = next((c for c in first.children if c.dep_.startswith("nsubj") and c.i < first.i), None)
        # (A relative pronoun's noun stands right before it: "a bus that crosses ..." is the bus.)
        return subject is not None and subject.tag_ not in ("WDT", "WP") and (
            subject.lower_ in _BACK_POINTERS or any(c.tag_ == "PRP$" for c in subject.children))
    return False


def _leans_on_the_sentence(tokens: Sequence["Token"], labelled: bool = False) -> bool:
    """Whether a run needs words of its sentence it does not show: a modal with no subject
    ("Might use words", "Can run by itself"); an attribution ("Said Graeme Stephens"); an
    interjection ("Yes - some APIs..."); pieces of two units; a clause left short
    (``_leaves_its_clause``); what qualifies it left out (``_qualified_outside``); an amount with
    no subject to say what it measures ("Adding about 0.531 inches", "Dropping 176 billion
    tons") or cut from the amount it starts ("Settling at 11 hours" of "11 hours, 22 minutes,
    and 3 seconds")."""
    first, last = tokens[0], tokens[-1]
    if first.tag_ == "MD" or first.pos_ == "INTJ":
        return True
    if first.pos_ == "VERB" and first.lemma_.lower() in SPEECH and any(c.dep_ == "nsubj" and c.i > first.i for c in first.children):
        return True
    # One unit of the sentence: a single word whose head lies outside the run. Two mean pieces
    # of two units run together ("pursue rests on a foundation" of "every policy we pursue rests ...").
    inside = {t.i for t in tokens}
    if sum(1 for t in tokens if t.head.i not in inside or t.head.i == t.i) > 1 + sum(1 for t in tokens if t.is_punct):
        return True
    if _leaves_its_clause(tokens, labelled):
        return True
    # What evidence showed, cut from what it showed ("Data showed a glacier" of "showed a glacier
    # ... lost the most ice"); a bare "do" standing in for another verb ("you would do with ...").
    for t in tokens:
        if t.pos_ == "VERB" and t.lemma_.lower() in _EVIDENCE and any(
                c.dep_ in ("ccomp", "advcl", "conj") and c.pos_ in ("VERB", "AUX") and c.i > last.i for c in t.children):
            return True
        if t.pos_ == "VERB" and t.lemma_.lower() == "do" and not any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in t.children):
            return True
    # A condition shown as a fact: "Council approves the budget" of "if the council approves ...".
    if any(c.dep_ == "mark" and c.lower_ in _CONDITIONS and c.i < first.i for t in tokens for c in t.children):
        return True
    if _qualified_outside(tokens):
        return True
    doc = first.doc
    if last.like_num or last.ent_type_ in _AMOUNTS:
        after = doc[last.i + 1 : last.i + 4]
        if len(after) >= 2 and after[0].text in (",", "and") and any(t.like_num for t in after):
            return True
    has_subject = any(t.dep_ in ("nsubj", "nsubjpass", "expl") for t in tokens)
    verbs = [t for t in tokens if t.pos_ == "VERB"]
    return not labelled and bool(verbs) and not has_subject and tokens[0].pos_ == "VERB" and _amount_object(verbs[0], tokens)


def _leaves_its_clause(tokens: Sequence["Token"], labelled: bool = False) -> bool:
    """Whether a run stops short of what its words need or starts inside another verb's clause:
    a noun cut from its "of" ("Reduce the cost" of "the cost of maintaining assets", "Stressing
    the importance"); a verb cut from the clause it governs ("Encouraging agencies" of "...
    agencies to harness AI", "Tell your coworkers" of "... how they can reach you"); a bare
    infinitive lifted from "let", "make" or "help" ("Firefox match your style" of "make Firefox
    match ...", "Know about your career goals" of "letting your team know ..."), which reads as an
    order; an infinitive with its own subject ("Team to see the inconsistencies")."""
    inside = {t.i for t in tokens}
    last = tokens[-1]
    if not labelled and last.pos_ in ("NOUN", "PROPN") and any(
            c.dep_ == "prep" and c.lower_ == "of" and c.i == last.i + 1 for c in last.children):
        return True
    # A noun that is only its purpose, cut from it: "a way [to tell ...]", "ways [to reduce ...]".
    if last.lemma_.lower() in _PURPOSE_NOUNS and last.i + 1 < len(last.doc) and last.doc[last.i + 1].lower_ == "to" \
            and any(c.dep_ in ("acl", "relcl") and c.i > last.i for c in last.children):
        return True
    for t in tokens:
        if t.pos_ not in ("VERB", "AUX"):
            continue
        if any(c.dep_ in ("xcomp", "ccomp") and c.i > last.i for c in t.children):
            return True
        aux = {c.lower_ for c in t.children if c.dep_ in ("aux", "auxpass")}
        if t.tag_ == "VB" and t.dep_ in ("ccomp", "xcomp") and t.head.i not in inside and not aux:
            return True
        if "to" in aux and any(c.dep_.startswith("nsubj") and c.i in inside for c in t.children):
            return True
    return False


#: Nouns that say nothing without what they are for: "a way", "the ability", "a chance".
_PURPOSE_NOUNS = frozenset("way ability chance effort attempt opportunity need right power capacity means".split())


#: Auxiliaries that make a claim a possibility: "could reduce fuel burn" is not "reduce fuel burn".
_HEDGES = frozenset("could may might can".split())
#: Verbs whose complement is a wish or a plan, not a fact: "we hope the FSF becomes ...".
_WISHES = frozenset("hope want wish plan expect intend propose urge require need demand".split())
#: Verbs that undo what they act on: their object shown alone says the opposite.
_REVERSING = frozenset("erase lose eliminate reverse undo destroy wipe deny reject end cancel ban threaten stop prevent avoid".split())


def _qualified_outside(tokens: Sequence["Token"]) -> bool:
    """Whether words outside the run turn what it says around or into less than a fact: a
    negation of it or of a clause above it ("not known as an intellectual country", "not a lot
    of frontend developers"), a hedge ("could reduce fuel burn"), a wish above it ("hope the
    FSF becomes ..."), or a condition on it ("is Hermitian if and only if ...")."""
    inside = {t.i for t in tokens}
    heads = [t for t in tokens if t.head.i not in inside or t.head.i == t.i]
    # A negation or hedge scopes over a predicate, not its subject ("New Zealand" of "New
    # Zealand was not known as ...") nor another clause joined to it ("but the Request also
    # allows ..." after "headers are expected"): the walk up stops at a subject or a conjunct.
    above = []
    for head in heads:
        token = head
        while token.head.i != token.i and token.dep_ != "conj" and token.head.i not in inside:
            subject = token.dep_.startswith("nsubj")
            token = token.head
            if not subject:  # a subject's own verb is its predicate; what is above that still counts
                above.append(token)
        path = [head, *_up_to_verb(head, inside)]
        verb = path[-1] if path[-1].pos_ == "VERB" else None
        if verb is not None and verb.lemma_.lower() in _REVERSING and len(path) > 1 and path[-2].dep_ in ("dobj", "nsubjpass"):
            return True  # "Women's economic gains" of "erased (decades of) women's economic gains"
        # "Clinical terminology" of "without (using) clinical terminology", "instead of ...".
        if any(a.pos_ == "ADP" and (a.lower_ in ("without", "except") or a.lower_ == "of" and a.i > 0
                                    and a.doc[a.i - 1].lower_ in ("instead", "rather"))
               for a in list(head.ancestors)[:3] if a.i not in inside):
            return True
    for token in [*tokens, *above]:
        for child in token.children:
            if child.i in inside:
                continue
            if child.dep_ == "neg" or child.dep_ == "det" and child.lower_ == "no":
                return True
            if token.i in inside and child.dep_ == "aux" and child.lower_ in _HEDGES:
                return True
            imperative = token.tag_ == "VB" and token.dep_ == "ROOT" and not any(c.dep_.startswith("nsubj") for c in token.children)
            if token.pos_ in ("VERB", "AUX") and not imperative and child.dep_ == "advcl" and any(
                    m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in child.children):
                return True
    return any(a.pos_ == "VERB" and a.lemma_.lower() in _WISHES for a in above)


def _up_to_verb(token: "Token", inside: set[int]) -> list["Token"]:
    """The words above ``token`` outside the run, up to and with the nearest verb (through
    nouns and prepositions only: "decades of" in "erase decades of gains")."""
    path = []
    while token.head.i != token.i and token.head.i not in inside:
        token = token.head
        path.append(token)
        if token.pos_ in ("VERB", "AUX") or token.pos_ not in ("NOUN", "PROPN", "ADP", "NUM"):
            break
    return path


def _amount_object(verb: "Token", tokens: Sequence["Token"]) -> bool:
    """Whether the verb's object (or its preposition's object) in the run is an amount."""
    inside = {t.i for t in tokens}
    for child in verb.children:
        heads = [child] if child.dep_ in ("dobj", "attr", "npadvmod") else \
            [g for g in child.children if g.dep_ == "pobj"] if child.dep_ == "prep" else []
        for head in heads:
            # A measured amount ("176 billion tons", "14%"), not a count of things ("drew more
            # than 200 residents" says what it counts) or a name with a digit ("18F").
            if head.i in inside and head.ent_type_ in ("QUANTITY", "MONEY", "PERCENT"):
                return True
    return False


_CORE = frozenset({"dobj", "attr", "oprd", "dative", "ccomp", "xcomp", "acomp", "agent"})
#: Nouns that say nothing without their "of": "a full half" of what?
_PART_NOUNS = frozenset("half part share majority minority portion rest number lot kind type sort piece amount bit third quarter fraction most".split())
#: Nouns that "to" completes: "access to the body".
_TO_NOUNS = frozenset("access response answer key approach threat reference commitment contribution".split())


def _cuts_a_complement(tokens: Sequence["Token"]) -> bool:
    """Whether a verb in the run has its object or complement outside it: "Users get" of "users
    get to where they need to go", "They favored" of "which styles they favored", "Our partners
    adopt" of "adopt and improve their processes"; a noun cut from its "of" ("a full half" of
    what, "access" to what); or a list marker left at the end ("figure out 1" of "figure out 1) which areas")."""
    first, last = tokens[0].i, tokens[-1].i
    doc = tokens[0].doc
    if tokens[-1].like_num and last + 1 < len(doc) and doc[last + 1].text == ")":
        return True
    end = tokens[-1]
    if end.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "prep" and c.i == last + 1 and (c.lower_ == "of" and end.lemma_ in _PART_NOUNS
                                                                                     or c.lower_ == "to" and end.lemma_ in _TO_NOUNS)
                                           for c in end.children):
        return True
    for token in tokens:
        if token.pos_ not in ("VERB", "AUX"):
            continue
        core = [c for c in token.children if c.dep_ in _CORE]
        # The verb's object or complement; a phrase after it only when it has none ("get to").
        needed = core or [c for c in token.children if c.dep_ == "prep"] or \
            [c for c in token.children if c.dep_ == "conj" and c.pos_ == "VERB" and any(g.dep_ in _CORE for g in c.children)]
        # The object told (even if a phrase about it follows, "promoted Eich to CEO") is whole.
        if needed and not any(first <= c.i <= last for c in needed) and any(c.i > last for c in needed):
            return True
        if any(c.dep_ in ("dobj", "attr") and c.i < first for c in core):
            return True
        if token.dep_ == "relcl" and token.head.i < first and not core and not any(c.dep_ == "prep" for c in token.children):
            return True  # the clause's object is its noun, outside: "they favored" of "styles they favored"
    return False


def says_something(tokens: Sequence["Token"]) -> bool:
    """Whether a phrase names something beyond a number and its unit ("14 months", "more than
    200" say nothing on their own)."""
    return any(t.pos_ in _CONTENT and not t.is_stop and not t.like_num and t.ent_type_ not in _AMOUNTS for t in tokens)


#: Conjunctions a clause cannot lose and stay true: "if there are common needs" is not "there are".
_CONDITIONS = frozenset("if unless whether than lest".split())


def _trim(tokens: list["Token"], articles: bool = True) -> list["Token"]:
    """Punctuation (and with ``articles`` a leading "the", "a", "an") off the ends."""
    while tokens and (tokens[-1].is_punct or tokens[-1].pos_ in ("CCONJ", "DET")):
        tokens = tokens[:-1]
    while tokens and (tokens[0].is_punct or articles and tokens[0].pos_ == "DET" and tokens[0].lower_ in ("the", "a", "an")
                      or len(tokens) > 2 and (tokens[0].dep_ == "cc" or tokens[0].dep_ == "mark" and tokens[0].lower_ not in _CONDITIONS
                                              or tokens[0].lower_ == "to" and tokens[0].dep_ == "aux")
                      and tokens[0].head.pos_ in ("VERB", "AUX")):
        tokens = tokens[1:]  # "to assess a product" reads as "assess a product"
    return tokens


def noun_phrase(head: "Token", max_words: int = 8) -> list["Token"]:
    """The noun ``head`` with its left modifiers and, when short enough, its "of" phrase."""
    left = [t for t in head.lefts if t.dep_ in ("amod", "compound", "nmod", "poss", "nummod", "det", "npadvmod")]
    start = min([head.i] + [min(t.subtree, key=lambda x: x.i).i for t in left])
    end = head.i
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ in ("of", "for", "in", "on") and child.i == end + 1:
            stop = max(t.i for t in child.subtree)
            obj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if stop - start + 1 > max_words and obj is not None and obj.i == child.i + 1 + sum(1 for _ in obj.lefts):
                # "total volume of water in Earth's rivers from 1980 to 2009": of its own
                # noun phrase, the "of" phrase keeps the noun and what stands before it.
                stop = obj.i
            if stop - start + 1 <= max_words:
                end = stop
            break
        if child.dep_ in ("compound", "case") and child.i == end + 1:
            end = child.i
    return list(head.doc[start : end + 1])


def _core(token: "Token", max_words: int) -> list["Token"] | None:
    """The heart of a verb's complement: a noun phrase, an adjective, or a verb with its own;
    None when it cannot be cut short without changing what it says ("unable to ...")."""
    if token.pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
        subtree = list(token.subtree)
        return subtree if len(subtree) <= max_words // 2 else noun_phrase(token, max_words // 2)
    if token.pos_ in ("VERB", "AUX"):
        return complement(token, max_words)
    subtree = list(token.subtree)
    # An adjective's phrase is whole with all its words ("as close to your code as possible").
    return subtree if len(subtree) <= 3 or token.pos_ == "ADJ" and len(subtree) < max_words and \
        not any(t.pos_ in ("VERB", "AUX") for t in subtree) else None


def complement(verb: "Token", max_words: int) -> list["Token"]:
    """A verb with its particles and the heart of its first object or complement."""
    parts = [verb] + [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg", "prt") and c.i < verb.i + 3]
    for child in verb.rights:
        if child.dep_ == "dative" and any(c.dep_ == "dobj" for c in verb.rights):
            parts.append(child)  # "give you feedback": the object follows
            continue
        if child.dep_ in ("dobj", "attr", "acomp", "oprd", "xcomp", "dative", "ccomp") or \
                child.dep_ == "npadvmod" and any(g.dep_ == "nummod" for g in child.children):
            core = _core(child, max_words)
            if core is None:
                return []
            parts += core
            break
        if child.dep_ == "prep":
            obj = next((g for g in child.children if g.dep_ == "pobj"), None)
            core = _core(obj, max_words) if obj is not None else None
            if core is not None:
                parts += [child, *core]
            break
    return parts


def clause(verb: "Token", max_words: int = 10) -> list["Token"]:
    """The verb with its subject and the heart of its object or complement, as one run."""
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None and verb.dep_ in ("xcomp", "pcomp"):
        return []  # its meaning hangs on its head: "unable to have made progress" is not "made progress"
    parts = complement(verb, max_words)
    if not parts:
        return []
    if subject is not None:
        subtree = list(subject.subtree)
        parts += subtree if len(subtree) <= max_words - 2 else noun_phrase(subject, max_words - 2)
    return as_run(parts)


def as_run(parts: Sequence["Token"]) -> list["Token"]:
    """The tokens as one run of their sentence, or [] when words that are not theirs (an
    aside, another clause) stand between them and would garble it."""
    if not parts:
        return []
    start, end = min(t.i for t in parts), max(t.i for t in parts)
    run = list(parts[0].doc[start : end + 1])
    chosen = {t.i for t in parts}
    if any(t.i not in chosen and not t.is_punct and t.pos_ not in ("ADV", "AUX", "PART") for t in run):
        return []
    return run


@dataclass(frozen=True)
class Candidate:
    """A whole phrase and how much it says."""

    tokens: tuple["Token", ...]
    score: float

    @property
    def text(self) -> str:
        """The phrase as written (trailing space dropped)."""
        return "".join(t.text_with_ws for t in self.tokens).strip()


def _loose_runs(token: "Token") -> list[list["Token"]]:
    """Phrases a long narration may show when nothing tighter fits: the noun chunk a noun heads
    ("design styles"), and a relative clause without its relative pronoun ("works both
    in-browser and with nodejs" of "a library that works ...")."""
    runs = []
    if token.pos_ in ("NOUN", "PROPN"):
        # Without a relative determiner: "design styles" of "which design styles they favored".
        runs += [[t for t in c if not (t.tag_ == "WDT" and t.i == c.start)] for c in token.doc.noun_chunks if c.root == token]
    if token.ent_iob_ == "B" and token.ent_type_ in _NAMES:
        # A name of two words or more, as the parse finds it ("Kristina Cors", "Bug 1676296").
        runs += [list(e) for e in token.doc.ents if e.start == token.i and len(e) >= 2]
    if token.dep_ == "relcl" and any(c.dep_ in ("nsubj", "nsubjpass") and c.tag_ in ("WDT", "WP") for c in token.children):
        subtree = [t for t in token.subtree if not (t.head == token and t.dep_ in ("nsubj", "nsubjpass"))]
        runs.append(subtree)
    return runs


def _verb_runs(token: "Token", max_words: int) -> list[list["Token"]]:
    """The clause a verb heads, its verb phrase ("work with your team"), and that phrase without
    the auxiliaries before it, which hang on a subject it does not show ("kept as close to your
    code as possible" of "ADRs should be kept ..."): only for a passive, or where the clause
    with its subject is too long to show ("Users will seek relevant information" says more
    than "Seek relevant information")."""
    # Not an xcomp: "unable to have made progress" must not show "Made progress".
    phrase = token.pos_ == "VERB" and token.dep_ in ("conj", "advcl", "relcl", "acl", "ROOT", "ccomp") \
        and not any(c.dep_ == "neg" for c in token.head.children)
    heads_clause = token.pos_ in ("VERB", "AUX") and token.dep_ in _CLAUSE_DEPS
    if not (phrase or heads_clause):
        return []
    whole = clause(token, max_words)
    runs = [whole] if heads_clause else []
    if phrase:
        parts = complement(token, max_words)
        runs.append(as_run(parts))
        trimmed = _trim(whole)
        if any(c.dep_ == "auxpass" for c in token.children) or not (trimmed and is_whole(trimmed)):
            runs.append(as_run([t for t in parts if not (t.dep_ in ("aux", "auxpass") and t.i < token.i)]))
    return runs


def candidates(span: "Span | Doc", idf: dict[str, float] | None = None, max_words: int = 8,
               loose: bool = False, lenient: bool = False) -> list[Candidate]:
    """Every whole phrase of at most ``max_words`` inside ``span``, best first; with ``loose``
    the plainer ones too (``_loose_runs``)."""
    lo, hi = span[0].i, span[-1].i
    found: dict[tuple[int, int], Candidate] = {}
    for token in span:
        runs = _loose_runs(token) if loose else []
        runs += _verb_runs(token, max_words)
        if token.pos_ in ("NOUN", "PROPN") and token.dep_ in _NOUN_DEPS:
            runs.append(noun_phrase(token, max_words))
        for run in runs:
            run = _trim(run)
            if not run or run[0].i < lo or run[-1].i > hi or _words(run) > max_words or not is_whole(run, lenient=lenient) \
                    or not says_something(run):
                continue
            found[(run[0].i, run[-1].i)] = Candidate(tuple(run), _score(run, idf or {}))
    return sorted(found.values(), key=lambda c: (-c.score, c.tokens[0].i))


def _score(tokens: Sequence["Token"], idf: dict[str, float]) -> float:
    content = [t for t in tokens if t.pos_ in _CONTENT and not t.is_stop]
    said = sum(idf.get(next(iter(content_words(t.text)), t.lower_), 2.0) for t in content)
    # A phrase of four to seven words reads at a glance; a pronoun says nothing on its own.
    fit = 1.0 if 3 <= _words(tokens) <= 7 else 0.75
    pronoun = 0.5 if tokens[0].pos_ == "PRON" else 1.0
    verb = 1.1 if any(t.pos_ == "VERB" for t in tokens) else 1.0
    return said * fit * pronoun * verb / math.sqrt(max(1, _words(tokens)))


def headline(spans: Iterable["Span | Doc"], idf: dict[str, float] | None = None, max_words: int = 6,
             avoid: Sequence[str] = ()) -> str:
    """The best whole phrase across ``spans`` (each a sentence), capitalised, that is not one of
    ``avoid`` (headlines already used); '' if none."""
    best: Candidate | None = None
    used = {a.lower() for a in avoid}
    for span in spans:
        for found in [c for c in candidates(span, idf, max_words) if c.text.lower() not in used][:1]:
            if best is None or found.score > best.score:
                best = found
    if best is None:
        return ""
    text = best.text
    return text[:1].upper() + text[1:]


def any_headline(spans: Sequence["Span | Doc"], idf: dict[str, float] | None = None, avoid: Sequence[str] = (),
                 lenient: bool = False) -> str:
    """A headline of up to six words, else eight, else a sentence of eight words or fewer whole, else the
    sentences' first whole noun phrase of two words or more ('' when they have none)."""
    found = headline(spans, idf, avoid=avoid) or headline(spans, idf, max_words=8, avoid=avoid)
    if found:
        return found
    for span in spans:
        tokens = list(span)
        while tokens and tokens[-1].is_punct:
            tokens = tokens[:-1]  # the sentence whole: "If this sounds like you" is not "this sounds like you"
        text = "".join(t.text_with_ws for t in tokens).strip()
        # Eight words as written ("you're" is one), what the plan checks allow on screen.
        if tokens and len(text.split()) <= 8 and says_something(tokens) and not any(t.is_quote for t in tokens):
            return text[:1].upper() + text[1:]
    for span in spans:
        for chunk in span.noun_chunks:
            tokens = _trim(list(chunk))
            if tokens and is_whole(tokens) and says_something(tokens):
                text = "".join(t.text_with_ws for t in tokens).strip()
                return text[:1].upper() + text[1:]
    # The plainer phrases a beat may use (a noun chunk without "which", a relative clause's verb phrase).
    for span in spans:
        for found in candidates(span, idf, 8, loose=True)[:1]:
            return found.text[:1].upper() + found.text[1:]
    # A name of two words or more: who or what the sentence is about, whatever it says of them.
    names = [e for span in spans for e in span.ents if e.label_ in _NAMES and len(e) >= 2 and len(e) <= 6]
    if names:
        text = max(names, key=len).text
        return text[:1].upper() + text[1:]
    # Last, with ``lenient``, for a sentence that must be told: a phrase that may leave out its
    # context, but nothing that qualifies it.
    for span in spans if lenient else []:
        for found in candidates(span, idf, 8, loose=True, lenient=True)[:1]:
            return found.text[:1].upper() + found.text[1:]
    return ""



def boundaries(doc: "Doc", fine: bool = False) -> list[int]:
    """Token indexes where a clause starts (with the comma or conjunction before it kept on the
    clause before); with ``fine``, where any phrase hanging off a verb or noun starts too (a
    long clause with no clause inside it)."""
    cuts: set[int] = set()
    if fine:
        for token in doc:
            if token.dep_ in ("prep", "dobj", "acl", "relcl", "advcl", "xcomp", "agent", "dative", "appos", "nsubj", "nsubjpass") and token.i > 2:
                start = min(t.i for t in token.subtree)
                while start < len(doc) and (doc[start].is_punct or doc[start].pos_ == "CCONJ"):
                    start += 1
                if 2 < start < len(doc) - 2:
                    cuts.add(start)
            # "..., will close to traffic": where the verb group starts after a long subject.
            if token.dep_ in ("aux", "auxpass") and token.i > 2 and token.i < token.head.i and token.head.dep_ in ("ROOT", "ccomp", "conj"):
                if not any(t.dep_ in ("aux", "auxpass") and t.i < token.i for t in token.head.children):
                    cuts.add(token.i)
    for token in doc:
        if token.dep_ in ("conj", "advcl", "ccomp", "relcl", "parataxis") and token.pos_ in ("VERB", "AUX"):
            start = min(t.i for t in token.subtree)
            # The conjunction or punctuation that joins the clause stays with what came before.
            while start < len(doc) and (doc[start].is_punct or doc[start].pos_ == "CCONJ"):
                start += 1
            if 0 < start < len(doc) - 1:
                cuts.add(start)
        elif token.dep_ == "prep" and token.head.dep_ == "ROOT" and token.i > token.head.i and token.i > 2:
            cuts.add(token.i)
    return sorted(cuts)
