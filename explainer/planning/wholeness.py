"""Whether a phrase reads whole on screen: the rules, read from the parse.

A phrase on screen is a unit of the sentence it comes from. It never starts on a conjunction
or preposition, never ends on a determiner, preposition, conjunction, auxiliary or speech
verb, is never a lone word, and never opens a quote or bracket it does not close; it does not
lean on words the card leaves out (a modal with no subject, an attribution, a noun cut from
its "of"), it keeps what qualifies it (a negation, a hedge, a condition), and unless
``lenient`` it does not point back to what the screen does not show ("it", "their code").
``phrases`` builds the candidates these rules judge.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from spacy.tokens import Token

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


#: What a predicate says of a subject that is no more: "are gone", "is over".
_ENDED = frozenset("gone over past finished dead".split())
_ENDING_VERBS = frozenset("end disappear vanish".split())


def _says_it_ended(verb: "Token") -> bool:
    """Whether a subject's verb says the subject is no more: shown alone, the subject (or a
    phrase inside it) would say the opposite."""
    return verb.lemma_.lower() in _ENDING_VERBS or any(
        c.dep_ in ("acomp", "advmod", "prt", "attr") and c.lower_ in _ENDED for c in verb.children)


def _qualified_outside(tokens: Sequence["Token"]) -> bool:
    """Whether words outside the run turn what it says around or into less than a fact: a
    negation of it or of a clause above it ("not known as an intellectual country", "not a lot
    of frontend developers"), a hedge ("could reduce fuel burn"), a wish above it ("hope the
    FSF becomes ..."), a condition on it ("is Hermitian if and only if ..."), or a predicate
    that ends what its subject holds ("the days of ... exploring the cosmos alone are gone")."""
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
            elif _says_it_ended(token):
                return True  # "Exploring the cosmos alone" of "the days of ... exploring the cosmos alone are gone"
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
