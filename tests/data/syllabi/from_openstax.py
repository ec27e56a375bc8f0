"""How the syllabi here were made: an OpenStax book's chapters as units, its sections as lessons
(the section's learning objectives, key terms and opening paragraphs as notes).

    python tests/data/syllabi/from_openstax.py REPO COLLECTION CHAPTERS LESSONS WORDS > out.md

REPO is a checkout of github.com/openstax/osbooks-*; kept for the record, not run by the tests.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET

C = "{http://cnx.rice.edu/cnxml}"
COL = "{http://cnx.rice.edu/collxml}"
MD = "{http://cnx.rice.edu/mdml}"


def show(repo: str, path: str) -> str:
    return subprocess.run(["git", "-C", repo, "show", f"HEAD:{path}"], capture_output=True, text=True, check=True).stdout


def text(element) -> str:
    # Figure references are links with no text: "(Figure 2.3)" comes out as "()".
    return re.sub(r"\s+", " ", re.sub(r"\s*\(\s*\)", "", "".join(element.itertext()))).strip()


def lesson(repo: str, module: str, words: int) -> str | None:
    root = ET.fromstring(show(repo, f"modules/{module}/index.cnxml"))
    title = root.findtext(f"{C}title")
    content = root.find(f"{C}content")
    goals = content.find(f"{C}section[@class='learning-objectives']")
    if goals is None:  # some books state them once per chapter, in its opening module
        goals = content.find(f".//{C}note[@class='chapter-objectives']")
    if goals is None:  # and others in the module's abstract ("By the end of this section, ...")
        goals = root.find(f"{C}metadata/{MD}abstract")
    if goals is None:
        return None
    objectives = [text(item) for item in goals.iter(f"{C}item")]
    terms = list(dict.fromkeys(text(t) for t in content.iter(f"{C}term")))[:5]
    notes: list[str] = []
    count = 0
    for section in [content, *content.findall(f"{C}section")]:
        if section.get("class") == "learning-objectives":
            continue
        for para in section.findall(f"{C}para"):  # running text only: no notes, exercises, figures
            if para.find(f".//{C}media") is not None or para.find(f".//{C}code") is not None:
                continue
            line = text(para)
            if len(line.split()) < 8:
                continue
            notes.append(line)
            count += len(line.split())
            if count >= words:
                break
        if count >= words:
            break
    if not notes:
        return None
    parts = [f"### {title}", "\n\n".join(notes), "", "Objectives:", *[f"- {o}" for o in objectives]]
    if terms:
        parts += ["", "Key terms: " + ", ".join(terms)]
    return "\n".join(parts) + "\n"


def main() -> None:
    repo, collection, chapters, lessons, words = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    root = ET.fromstring(show(repo, f"collections/{collection}"))
    out = [f"# {root.find(f'{COL}metadata/{MD}title').text}", ""]
    for sub in root.find(f"{COL}content").findall(f"{COL}subcollection")[:chapters]:
        blocks: list[str] = []
        for module in sub.iter(f"{COL}module"):
            block = lesson(repo, module.get("document"), words)
            if block:
                blocks.append(block)
            if len(blocks) == lessons:
                break
        if blocks:
            out += [f"## {sub.find(f'{MD}title').text}", "", *blocks]
    print("\n".join(out))


if __name__ == "__main__":
    main()
