"""Sentences an editor would cut from a script, by a fixed list of patterns.

The extractive planner never narrates them, the plan checks flag them in any planner's
narration, and ``make bench`` counts them over a corpus with this same list. Each pattern has
a name, which is the reason reported.
"""

from __future__ import annotations

import re

_CTA_VERBS = r"(?:read|click|tap|sign up|subscribe|follow|share|download|register|join|watch|listen|learn|find out|check out|discover|shop|buy|contact|email|visit|comment)"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    # Patterns are case-blind except the one about capitals ("(?-i:...)" inside it).
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("link list", r"^(?:read|see|watch|listen)\s+(?:more|also|next|the full|our)\b|^(?:related|more)(?:\s+\w+){0,2}\s*:|^(?:also read|recommended|most read|trending|top stories|you may also like|more on this story|more from)\b"
                      r"|^(?:lire aussi|\u00e0 lire aussi|voir aussi|leer m\u00e1s|lea tambi\u00e9n|leia (?:mais|tamb\u00e9m)|lesen sie auch|mehr zum thema|leggi anche)\b"),
        ("call to action", rf"^(?:please\s+)?{_CTA_VERBS}\b[^.]{{0,60}}\b(?:here|now|today|below|us|our|newsletter|podcast|app|free|more|link|page|site)\b"),
        ("call to action", r"\b(?:sign up for|subscribe to)\b[^.]{0,40}\b(?:newsletter|updates|alerts|podcast|channel)\b|\bclick (?:here|the link|below)\b|\blink in (?:bio|the description)\b"),
        ("newsletter or cookie prompt", r"\b(?:uses? cookies|accept (?:all )?cookies|cookie (?:policy|settings|preferences|consent)|privacy policy|terms of (?:use|service)|all rights reserved|(?:our|free|daily|weekly) newsletter)\b|\u00a9\s?\d{4}|\bcopyright \u00a9"),
        # A social post embedded in the page: "pic.twitter.com/... — Jane Roe (@jroe) July 3, 2019".
        ("embedded post", r"\bpic\.twitter\.com/|\u2014\s?[^()]{2,40}\(@\w+\)|\b(?:a post shared by|view this post on instagram)\b"),
        # "Update July 3rd, 8:05AM ET: ...", "Editor's note: ...", "Correction: ...".
        ("editor's update", r"^(?:update(?:d)?|editor[\u2019']?s note|correction|clarification)\b[^:]{0,40}:"),
        # "Follow them on GitHub or Twitter."
        ("share or social prompt", r"\bfollow (?:them|him|her|us|me|along)\b[^.]{0,40}\b(?:on|at)\b"),
        # "Whether you're a filmmaker, marketer..."; "If you're looking for...": a hook aimed at the reader.
        ("hook to the reader", r"^(?:whether you[\u2019']?re|if you[\u2019']?re (?:a|an|looking|new|interested)|as a (?:reader|subscriber)\b)"),
        # A bibliography entry: "Smith, J. A. (2019). Title ..." or "Smith, J. and Roe, K. (2020)".
        ("reference", r"(?-i:^[A-Z][\w'\-]+,\s(?:[A-Z]\.\s?){1,3}[^.]{0,80}\(\d{4}[a-z]?\))"),
        ("advertisement", r"^advertisement\b|^(?:sponsored(?: content)?|ad|promoted|paid (?:post|content))\s*:?\s*$"),
        # "An artist's concept shows NASA's CloudSat ...", "This image shows ...": a picture's
        # caption left in the text, which describes a picture the video does not show.
        ("picture caption", r"^(?:an?\s+)?(?:artist[\u2019']s\s+(?:concept|rendering|impression|illustration)|(?:this|the)\s+(?:image|photo|photograph|picture|illustration|graphic|visualization|map)\s+(?:shows|depicts|was taken))\b"),
        ("photo credit", r"\((?:photo|image|picture|credit|video|illustration|graphic|source)s?\s*(?:credit)?\s*:|^(?:photo(?:graph)?|image|picture|illustration|credit|video|graphic)s?\s*(?:credit)?\s*:|\b(?:getty images|shutterstock|ap photo|afp via getty|reuters/|istock(?:photo)?|alamy)\b"),
        ("reference", r"\((?:pdf|doc|ppt)\)\s*\.?$|\bretrieved (?:on )?\d|\barchived from the original\b|\bisbn[\s:-]*\d|\bdoi:\s*10\.|^\^"),
        ("share or social prompt", r"#[A-Za-z]\w+|(?:^|\s)@\w{2,}|\bhttps?://|\bwww\.\w|\b(?:share (?:this|on)|tweet this|(?:follow|find|like) us on)\b"),
        ("question to the reader", r"\b(?:you|your|you're|you've|we|us)\b[^.!]*\?\s*[\"'\u201d\u2019]?$|^(?:interested in|want to|ready to|looking for|wondering|curious|did you know|have you|ever wondered|what if)\b[^.!]*\?"),
        ("framing", r"\b(?:in this (?:article|post|guide|piece|blog|video|tutorial|story)|let'?s (?:dive|take a look|explore|get started|begin|break (?:it|this) down)|without further ado|read on\b|keep reading|stay tuned|whether you'?re an?|in today'?s (?:fast-paced|digital|world)|we'?ll (?:explore|look at|cover|walk you)|this (?:article|post|guide) (?:will|explains|covers|looks))"),
        ("byline or dateline", r"^(?:by|posted by|written by|updated|published|last (?:updated|modified))\s[^.!?]{0,60}$|^\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w* \d{4}$"),
        # A heading or link text run into the next sentence by the extractor: "...from Obama interview On race relations, ..."
        ("heading glued to a sentence", r"(?-i:\b[a-z]{3,} (?:On|In|At|For|As|But|And|This|It|He|She|They|We|After|When|While|If|How|Why|What)\b (?:[a-z]|the\b))"),
        ("byline or dateline", r"(?-i:\bby (?:[A-Z][\w.'\-]+ ){1,3}(?:The|A|An|In|On|It|This)\b)|^(?:mon|tues|wednes|thurs|fri|satur|sun)day,? \d{1,2} \w+ \d{4}\b"),
        ("acknowledgement", r"^(?:special |many |a (?:big |special )?)?thanks? (?:to|go(?:es)? to)\b|^we (?:would like to |want to )?thank\b"),
        ("note about the article", r"\b(?:will update (?:this|the) (?:post|story|article)|this (?:story|article|post) (?:has been|was|will be) updated|(?:did not|didn't) (?:immediately )?respond to (?:a |our )?requests? for comment|(?:is|are|was|were) asking [^.]{1,40} for comment)\b"),
        ("author bio", r"(?-i:^[A-Z][\w.'\-]+(?: [A-Z][\w.'\-]+){0,3} (?:is|was) (?:a|an|the) )[^.]{0,80}\b(?:reporter|writer|editor|correspondent|journalist|columnist|contributor|freelancer|author of)\b"),
        # Formulas, links or embeds the extractor removed leave holes: ", , then is", "the transpose ."
        # (Only commas and periods: French sets a space before ":" and ";" by rule.)
        ("text with pieces missing", r"\s[,.](?:\s|$)|,\s*,|\(\s*\)|\b(?:is|are|the|of|to|and|that|then|a|an)\s*[.]$"),
        # A pointer to a figure, table or listing the video does not show: "as shown in the illustration below".
        ("pointer to a figure", r"\b(?:as )?(?:shown|seen|illustrated|listed|pictured|summari[sz]ed) (?:in|on|by) (?:the )?(?:following |accompanying )?(?:illustration|figure|fig\.|table|image|diagram|photo(?:graph)?|chart|graph|map|listing|box|example)s?(?: below| above|\b)"
                                r"|\b(?:the|this) (?:illustration|figure|table|diagram|chart|graph|photo|image|map|listing) (?:below|above)\b|\b(?:see|in) (?:figure|fig\.|table|appendix) \d"),
        # The site's own tagline, as a wiki or encyclopedia prints it above every article.
        ("page furniture", r"^(?:from wikipedia|de wikipedia|origem: wikip\u00e9dia|aus wikipedia|da wikipedia|de wikip\u00e9dia)\b|\b(?:the free encyclopedia|la enciclopedia libre|a enciclop\u00e9dia livre|l'encyclop\u00e9die libre|die freie enzyklop\u00e4die)\b|^nota ortogr\u00e1fica\b"),
        ("page furniture", r"^(?:topics|tags|filed under|categories|related topics|more about)\s*:|^(?:comments?|\d+ comments?|share|print|email|close|menu|skip to (?:main )?content|from the section\b|image copyright|media caption|jump to|table of contents|contents)\b[^.!?]{0,40}$"),
    )
)

#: An opening double quote with no closing one: half a quote, cut by the sentence splitter.
_OPEN = "\"\u201c"
_CLOSE = "\"\u201d"


def unbalanced_quote(sentence: str) -> bool:
    """Whether a sentence opens a quotation it does not close (or closes one it did not open)."""
    straight = sentence.count('"')
    if straight % 2:
        return True
    return sentence.count("\u201c") != sentence.count("\u201d")


def filler_reason(sentence: str) -> str | None:
    """Why an editor would cut this sentence from a script, or None if it can stay."""
    text = " ".join(sentence.split())
    for name, pattern in _PATTERNS:
        if pattern.search(text):
            return name
    if unbalanced_quote(text):
        return "half a quote"
    return None


def is_filler(sentence: str) -> bool:
    """Whether ``filler_reason`` finds a reason to cut the sentence."""
    return filler_reason(sentence) is not None
