"""A SCORM 1.2 package of a built course: imsmanifest.xml with one SCO per lesson, zipped."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from .syllabus import Course


def manifest_xml(course: Course, lesson_files: dict[str, list[str]]) -> str:
    """imsmanifest.xml: an organization of units and lessons, a SCO resource per lesson."""
    items: list[str] = []
    resources: list[str] = []
    for u, unit in enumerate(course.units, start=1):
        children = []
        for lesson in unit.lessons:
            if lesson.id not in lesson_files:
                continue
            ref = f"RES-{lesson.id}"
            children.append(f'      <item identifier="ITEM-{lesson.id}" identifierref="{ref}"><title>{escape(lesson.title)}</title></item>')
            files = "\n".join(f"      <file href={quoteattr(f)}/>" for f in lesson_files[lesson.id])
            resources.append(
                f'    <resource identifier="{ref}" type="webcontent" adlcp:scormtype="sco" href={quoteattr(lesson_files[lesson.id][0])}>\n{files}\n    </resource>'
            )
        if children:
            items.append(f'    <item identifier="UNIT-{u}"><title>{escape(unit.title)}</title>\n' + "\n".join(children) + "\n    </item>")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="explainer-course" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
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


def write_package(folder: Path, target: Path) -> None:
    """Zip the course folder (manifest at the root) into ``target``, atomically."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                # Videos are already compressed: store them as they are.
                method = zipfile.ZIP_STORED if path.suffix in (".mp4", ".zip") else zipfile.ZIP_DEFLATED
                archive.write(path, path.relative_to(folder).as_posix(), compress_type=method)
    os.replace(tmp, target)
