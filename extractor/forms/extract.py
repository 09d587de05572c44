"""Entry point of form extraction: detect the form, assign roles, run the form's module."""

from __future__ import annotations

import importlib

from extractor.forms import common
from extractor.forms.base import ContactValue, FileRole, FormResult, Identity
from extractor.forms.licence import find_licences
from extractor.forms.detect import assign_roles, detect_form
from extractor.forms.spec import FORM_IDS, load_spec
from extractor.model import Document, Location

# each form's module (extractor/forms/<id>.py) provides extract(documents, roles) -> FormResult
EXTRACTORS = {fid: importlib.import_module(f"extractor.forms.{fid}").extract for fid in FORM_IDS}


def extract_form(documents: list[Document], form_hint: str | None = None) -> FormResult:
    form_id, score = detect_form(documents, form_hint)
    if form_id not in EXTRACTORS:
        res = FormResult(form="unknown", detection_score=score)
        res.file_roles = [FileRole(path=d.path, roles=["unreadable" if d.error else "other"]) for d in documents]
        return res
    roles = assign_roles(documents, load_spec(form_id))
    res = EXTRACTORS[form_id](documents, roles)
    res.detection_score = score
    res.file_roles = [FileRole(path=d.path, roles=roles.get(d.path, ["other"])) for d in documents]
    # identities are compared across every readable file, whatever its role, but a part another
    # organisation issued (a social-security statement) names that organisation, not the applicant
    spec = load_spec(form_id)
    foreign = {r for r, rs in spec.roles.items() if rs.foreign}
    for d in documents:
        if d.error or foreign & set(roles.get(d.path, [])):
            continue
        role = roles.get(d.path, ["other"])[0]
        res.identities.extend(common.identities_in(d, role))
    res.licences = find_licences([d for d in documents if not foreign & set(roles.get(d.path, []))])
    res.identities.extend(_licence_identities(res.licences))
    _licence_pages_are_the_licence(res)
    declared = [i.value for i in res.identities if i.kind == "company_name"]
    for d in documents:
        if not d.error and not foreign & set(roles.get(d.path, [])):
            res.identities.extend(common.name_variants_in_text(d, roles.get(d.path, ["other"])[0], declared))
    _folders_join_their_group(res, documents)
    for i in res.identities:
        if i.loc is not None and i.group is None:
            i.group = res.identity_groups.get(i.loc.file)
    _mark_ocr_readings(res, documents)
    for i in res.identities:
        if i.kind == "credit_code" and not any(c.kind == "credit_code" and c.value == i.value and c.loc == i.loc for c in res.contacts):
            res.contacts.append(ContactValue(kind="credit_code", label="统一社会信用代码", value=i.value, loc=i.loc,
                                             confidence=i.confidence))
    return res


LICENCE_ATTACHMENTS = ("business_license",)  # the forms' attachment ids a 营业执照 page satisfies


def _licence_pages_are_the_licence(res: FormResult) -> None:
    """A licence read anywhere (a page of a merged PDF, a photo named 1.jpg) is the 营业执照
    the form asks for, whatever its file is called."""
    if not res.licences:
        return
    for att in res.attachments:
        if att.id.split("@")[0] in LICENCE_ATTACHMENTS and not att.found:
            att.found, att.how = True, "营业执照内容识别"
            att.evidence = [Location(file=lic.file, page=lic.page) for lic in res.licences]


def _folder(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _folders_join_their_group(res: FormResult, documents: list[Document]) -> None:
    """In a package bundling several applicants, a file the form did not place (a licence, a
    certificate) belongs to the applicant whose files share its folder, when they are one
    applicant's: 「01 衡阳金源化工有限公司/营业执照.jpg」 is that company's licence, not a
    second name of the package."""
    if len(set(res.identity_groups.values())) < 2:
        return
    by_folder: dict[str, set[str]] = {}
    for path, group in res.identity_groups.items():
        by_folder.setdefault(_folder(path), set()).add(group)
    for d in documents:
        if d.path in res.identity_groups:
            continue
        groups = by_folder.get(_folder(d.path), set())
        if len(groups) == 1 and _folder(d.path):
            res.identity_groups[d.path] = next(iter(groups))
    # a licence wherever it lies belongs to the applicant it names (a group is named after it)
    names = {common.compact(g): g for g in set(res.identity_groups.values())}
    for lic in res.licences:
        group = names.get(common.compact(lic.value("name") or ""))
        if group and lic.file not in res.identity_groups:
            res.identity_groups[lic.file] = group


def _licence_identities(licences) -> list[Identity]:
    out = []
    for lic in licences:
        name, code = lic.fields.get("name"), lic.fields.get("credit_code")
        if name is not None and common.plausible_company(name.text):
            out.append(Identity(kind="company_name", value=name.text, loc=name.loc, source="business_license",
                                confidence=name.confidence))
        if code is not None and lic.credit_code:
            out.append(Identity(kind="credit_code", value=lic.credit_code, loc=code.loc, source="business_license",
                                confidence=code.confidence))
    return out


def _mark_ocr_readings(res: FormResult, documents: list[Document]) -> None:
    """Identities and contacts read from OCR'd text carry the recogniser's confidence, so that
    a rule can tell a certain reading from a doubtful one."""
    read_by_ocr = {
        (d.path, b.loc.page, b.loc.paragraph): b.confidence
        for d in documents for b in d.blocks if b.confidence is not None
    }
    if not read_by_ocr:
        return
    for item in [*res.identities, *res.contacts]:
        if item.confidence is None and item.loc is not None:
            item.confidence = read_by_ocr.get((item.loc.file, item.loc.page, item.loc.paragraph))
