"""SCORM packages of a built course: SCORM 1.2 and SCORM 2004 4th edition, one SCO per lesson.

Both packages hold the same files; only imsmanifest.xml differs. Each lesson item carries the
course's mastery score (1.2: ``adlcp:masteryscore``; 2004: a primary objective satisfied by a
normalized measure), and the lesson page's scorm.js reports the score, the status and each
answer through whichever API the LMS offers.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Callable
from xml.sax.saxutils import escape, quoteattr

from .syllabus import Course

SCORM_12_HEADER = """<manifest identifier="explainer-course" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>"""

SCORM_2004_HEADER = """<manifest identifier="explainer-course" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
  xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>"""


def _item_12(lesson_id: str, title: str, mastery: int) -> str:
    return (f'      <item identifier="ITEM-{lesson_id}" identifierref="RES-{lesson_id}"><title>{escape(title)}</title>'
            f"<adlcp:masteryscore>{mastery}</adlcp:masteryscore></item>")


def _item_2004(lesson_id: str, title: str, mastery: int) -> str:
    # Passed when the reported scaled score reaches the mastery score.
    return (f'      <item identifier="ITEM-{lesson_id}" identifierref="RES-{lesson_id}"><title>{escape(title)}</title>\n'
            '        <imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="mastery" satisfiedByMeasure="true">'
            f"<imsss:minNormalizedMeasure>{mastery / 100:.2f}</imsss:minNormalizedMeasure>"
            "</imsss:primaryObjective></imsss:objectives></imsss:sequencing>\n      </item>")


def _manifest(course: Course, lesson_files: dict[str, list[str]], header: str, item: Callable[[str, str, int], str], sco: str) -> str:
    items: list[str] = []
    resources: list[str] = []
    for u, unit in enumerate(course.units, start=1):
        children = [item(lesson.id, lesson.title, course.mastery_score) for lesson in unit.lessons if lesson.id in lesson_files]
        for lesson in unit.lessons:
            if lesson.id not in lesson_files:
                continue
            files = "\n".join(f"      <file href={quoteattr(f)}/>" for f in lesson_files[lesson.id])
            resources.append(
                f'    <resource identifier="RES-{lesson.id}" type="webcontent" {sco} href={quoteattr(lesson_files[lesson.id][0])}>\n{files}\n    </resource>'
            )
        if children:
            items.append(f'    <item identifier="UNIT-{u}"><title>{escape(unit.title)}</title>\n' + "\n".join(children) + "\n    </item>")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
{header}
  <organizations default="ORG-1">
    <organization identifier="ORG-1">
    <title>{escape(course.title)}</title>
{chr(10).join(items)}
    </organization>
  </organizations>
  <resources>
{chr(10).join(resources)}
  </resources>
</manifest>
"""


def manifest_xml(course: Course, lesson_files: dict[str, list[str]]) -> str:
    """SCORM 1.2 imsmanifest.xml: an organization of units and lessons, a SCO per lesson."""
    return _manifest(course, lesson_files, SCORM_12_HEADER, _item_12, 'adlcp:scormtype="sco"')


def manifest_2004_xml(course: Course, lesson_files: dict[str, list[str]]) -> str:
    """SCORM 2004 4th edition imsmanifest.xml: the same organization, with mastery objectives."""
    return _manifest(course, lesson_files, SCORM_2004_HEADER, _item_2004, 'adlcp:scormType="sco"')


#: The package manifests a course folder holds: each zip carries only its own.
MANIFESTS = ("imsmanifest.xml", "cmi5.xml")


def write_package(folder: Path, target: Path, manifest: str, name: str = "imsmanifest.xml") -> None:
    """Zip the course folder with ``manifest`` as its ``name`` (imsmanifest.xml for SCORM,
    cmi5.xml for cmi5) into ``target``, atomically."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, manifest)
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith(".") and path.relative_to(folder).as_posix() not in MANIFESTS:
                # Videos are already compressed: store them as they are.
                method = zipfile.ZIP_STORED if path.suffix in (".mp4", ".zip") else zipfile.ZIP_DEFLATED
                archive.write(path, path.relative_to(folder).as_posix(), compress_type=method)
    os.replace(tmp, target)
