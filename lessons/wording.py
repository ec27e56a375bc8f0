"""What kind of word a quiz answer is, by the parse, so its wrong options are of the same kind.

"Brahe" is a person, "Paris" a place, "evaporation" a singular noun, "oceans" a plural one,
"drives" a verb in the third person. A wrong option must read as the right one would in the
blank: a person for a person, a plural noun for a plural noun. Kinds come from the sentence
each word is used in (spaCy's entity labels and fine-grained tags), so "bank" in "the river's
bank" is a noun and "bank" in "they bank on it" a verb.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from explainer.parsing import parser_for
from explainer.planning.aims import terms_of

#: Entity labels that name the same kind of thing for a reader.
_ENTITY_GROUPS = {"GPE": "place", "LOC": "place", "FAC": "place", "PERSON": "person", "ORG": "organisation",
                  "NORP": "group", "EVENT": "event", "WORK_OF_ART": "work", "LAW": "law", "PRODUCT": "product",
                  "LANGUAGE": "language"}
#: Entity kinds the small English model mixes up for people's names ("Galileo" a product).
#: A bare proper noun the parse gives no entity type ("Earth", "Jupiter") is not among them.
_WHO = frozenset({"person", "organisation", "product", "work"})
#: Tags a blank can hold, by the form a wrong option must have.
_TAGS = {"NN": "noun", "NNS": "nouns", "NNP": "name", "NNPS": "names", "VBZ": "verb-s", "VBD": "verb-ed",
         "VBN": "verb-ed", "VBG": "verb-ing", "VB": "verb", "VBP": "verb", "JJ": "adjective"}


class Kinds:
    """The kind of each word and term as a lesson's narration uses it."""

    def __init__(self, sentences: Sequence[str], language: str = "en") -> None:
        self.language = language
        self.parser = parser_for(language)
        self.docs = dict(zip(sentences, self.parser.parse(list(sentences)))) if self.parser and sentences else {}
        self._seen: dict[str, str | None] = {}
        for sentence, doc in self.docs.items():
            for ent in doc.ents:
                self._seen.setdefault(ent.text.lower(), _entity_kind(ent.label_))
                if _entity_kind(ent.label_):  # "Kepler" of "Johannes Kepler" is a person too
                    for token in ent:
                        self._seen.setdefault(token.text.lower(), _entity_kind(ent.label_))
            for chunk in doc.noun_chunks:
                self._seen.setdefault(_bare(chunk).lower(), _TAGS.get(chunk.root.tag_))
            for token in doc:
                self._seen.setdefault(token.text.lower(), _TAGS.get(token.tag_))

    def of_answer(self, answer: str, sentence: str) -> str | None:
        """The kind of ``answer`` as ``sentence`` uses it; None when the parse cannot say."""
        doc = self.docs.get(sentence)
        if doc is None:
            return self.of_term(answer)
        at = sentence.lower().find(answer.lower())
        span = doc.char_span(at, at + len(answer), alignment_mode="expand") if at >= 0 else None
        if span is None:
            return self.of_term(answer)
        for ent in doc.ents:
            if ent.start <= span.start and span.end <= ent.end and _entity_kind(ent.label_):
                return _entity_kind(ent.label_)
        return _TAGS.get(span.root.tag_)

    def of_term(self, term: str) -> str | None:
        """The kind of a term as the narration uses it, else as it reads after "the"."""
        key = term.lower()
        if key not in self._seen and self.parser is not None:
            # Alone, one word is tagged badly ("orbit" as a name): read it in a carrier phrase.
            doc = self.parser.parse([f"They spoke about the {term}."])[0]
            span = doc.char_span(len("They spoke about the "), len("They spoke about the ") + len(term), alignment_mode="expand")
            tag = span.root.tag_ if span is not None else ""
            if not term[:1].isupper():  # a lower-case term is no name, whatever the tagger says of it alone
                tag = {"NNP": "NN", "NNPS": "NNS"}.get(tag, tag)
            self._seen[key] = _TAGS.get(tag)
        return self._seen.get(key)

    def named(self, sentence: str, objective: str) -> list[str]:
        """The words of ``sentence`` that ``objective`` names (by lemma: "stages" for "stage"),
        the only plain words a blank may take; a compound keeps its noun ("water cycle")."""
        doc = self.docs.get(sentence)
        if doc is None or not objective:
            return []
        wanted = terms_of([objective], self.language)[0]
        found = []
        for chunk in doc.noun_chunks:
            if chunk.root.lemma_.lower() in wanted:
                found.append(_bare(chunk))
        found += [t.text for t in doc if t.lemma_.lower() in wanted and t.pos_ in ("NOUN", "PROPN", "ADJ")]
        return list(dict.fromkeys(found))

    def same_kind(self, answer: str, sentence: str, pool: Iterable[str]) -> list[str]:
        """The words of ``pool`` of the answer's kind, in pool order: the same kind of entity
        first (a person for a person), then, for a name, any name of who or what made something
        (the small model calls Copernicus an organisation and Galileo a product), never a
        place; none when the parse cannot say what the answer is."""
        kind = self.of_answer(answer, sentence)
        if kind is None:
            return []
        pool = list(pool)
        same = [p for p in pool if self.of_term(p) == kind]
        if kind in _WHO and len(same) < 3:
            same += [p for p in pool if p not in same and self.of_term(p) in _WHO]
        return same


def _entity_kind(label: str) -> str | None:
    return _ENTITY_GROUPS.get(label)


def _bare(chunk) -> str:
    """A noun chunk without its article or possessive ("the water cycle" → "water cycle")."""
    words = [t for t in chunk if t.dep_ not in ("det", "poss", "case") and not t.is_punct]
    return " ".join(t.text for t in words) if words else chunk.text


#: A number word that counts fractions ("two thirds"): changing it makes nonsense ("three thirds").
FRACTION = re.compile(r"^\s+(?:halves|thirds|quarters|fourths|fifths|sixths|sevenths|eighths|ninths|tenths)\b", re.IGNORECASE)
